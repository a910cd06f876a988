package io.aidesk.saga.autopilot;

import io.aidesk.api.FeatureDisabledException;
import io.aidesk.api.RateLimitedException;
import io.aidesk.api.StateConflictException;
import io.aidesk.api.conversation.Channels;
import io.aidesk.api.conversation.ConversationEvents.MessagePosted;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * A customer's message starts the autopilot by itself when the tenant has it on, no person has the conversation and
 * the tenant's run budget allows; the CRM need not call handle-message (if it does, it gets the same run).
 */
@Component
@ProcessingGroup(AutopilotTrigger.PROCESSING_GROUP)
class AutopilotTrigger {
    static final String PROCESSING_GROUP = "autopilot-trigger";
    private static final Logger log = LoggerFactory.getLogger(AutopilotTrigger.class);

    private final Autopilot autopilot;

    AutopilotTrigger(Autopilot autopilot) {
        this.autopilot = autopilot;
    }

    @EventHandler
    void on(MessagePosted event) {
        if (!Channels.CUSTOMER.equals(event.sender())) {
            return;
        }
        try {
            autopilot.start(event.tenantId(), event.conversationId(), event.messageId());
        } catch (FeatureDisabledException | StateConflictException notNow) {
            log.debug("no autopilot for message {}: {}", event.messageId(), notNow.getMessage());
        } catch (RateLimitedException overBudget) {
            // beyond its budget a tenant's messages wait for people, as they would without the autopilot
            log.info("no autopilot for message {} of tenant {}: {}", event.messageId(), event.tenantId(),
                    overBudget.getMessage());
        }
    }
}
