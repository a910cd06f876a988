package io.aidesk.command.conversation;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.aidesk.api.conversation.ConversationEvents.ConversationHandedOver;
import io.aidesk.api.tools.ToolNames;
import io.aidesk.command.tools.ToolCall;
import io.aidesk.command.tools.ToolExecutor;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.stereotype.Component;

import java.util.Map;

/**
 * Leaves the summary of a handover as an internal note on the conversation, for the person who takes it over; once
 * per handover, whatever redelivers it.
 */
@Component
@ProcessingGroup(HandoffNotes.PROCESSING_GROUP)
class HandoffNotes {
    static final String PROCESSING_GROUP = "handoff-notes";

    private final ToolExecutor executor;
    private final ObjectMapper json;

    HandoffNotes(ToolExecutor executor, ObjectMapper json) {
        this.executor = executor;
        this.json = json;
    }

    @EventHandler
    void on(ConversationHandedOver event) {
        executor.execute(new ToolCall(event.tenantId(), event.runId(), "handoff-note", ToolNames.ADD_INTERNAL_NOTE,
                json.valueToTree(Map.of("conversation_id", event.conversationId(), "note", event.summary())),
                "autopilot"));
    }
}
