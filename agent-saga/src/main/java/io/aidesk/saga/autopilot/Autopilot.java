package io.aidesk.saga.autopilot;

import io.aidesk.api.FeatureDisabledException;
import io.aidesk.api.InvalidCommandException;
import io.aidesk.api.Polling;
import io.aidesk.api.Queries;
import io.aidesk.api.RateLimitedException;
import io.aidesk.api.StateConflictException;
import io.aidesk.api.agentrun.AgentRunBudget;
import io.aidesk.api.agentrun.RunCommands.StartRun;
import io.aidesk.api.agentrun.RunModes;
import io.aidesk.api.agentrun.RunQueries.FindRun;
import io.aidesk.api.agentrun.RunQueries.RunView;
import io.aidesk.api.agentrun.RunStatus;
import io.aidesk.api.conversation.Channels;
import io.aidesk.api.conversation.ConversationQueries.ConversationView;
import io.aidesk.api.conversation.ConversationQueries.FindConversation;
import io.aidesk.api.conversation.ConversationQueries.MessageView;
import io.aidesk.api.settings.AssistantSettingsView;
import io.aidesk.api.settings.FindAssistantSettings;
import io.aidesk.api.tenancy.NotFoundException;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.eventsourcing.eventstore.EventStoreException;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.UUID;

/**
 * Starts the autopilot on a customer's message, once: the run's id is derived from the tenant and the message, so the
 * CRM's handle-message call and the automatic start on posting find the same run instead of acting twice.
 */
@Component
@EnableConfigurationProperties(AutopilotSettings.class)
public class Autopilot {
    private final CommandGateway commands;
    private final QueryGateway queries;
    private final AutopilotSettings settings;
    private final AgentRunBudget budget;

    public Autopilot(CommandGateway commands, QueryGateway queries, AutopilotSettings settings, AgentRunBudget budget) {
        this.commands = commands;
        this.queries = queries;
        this.settings = settings;
        this.budget = budget;
    }

    static String runIdFor(String tenant, String messageId) {
        return UUID.nameUUIDFromBytes(("autopilot/" + tenant + "/" + messageId).getBytes(StandardCharsets.UTF_8))
                .toString();
    }

    /**
     * @return the run's id, new or already started for this message
     * @throws FeatureDisabledException when the tenant's autopilot is off
     * @throws StateConflictException   when a person has the conversation
     * @throws RateLimitedException     when the tenant has started all the runs it may this minute
     */
    public String start(String tenant, String conversationId, String messageId) {
        String runId = runIdFor(tenant, messageId);
        Optional<RunView> started = existing(runId);
        if (started.isPresent()) {
            // asked again (or started by the trigger): the run stands, whatever happened to the conversation since
            if (!conversationId.equals(started.get().conversationId())) {
                throw new NotFoundException("message");
            }
            return runId;
        }
        if (!Queries.await(queries.query(new FindAssistantSettings(), AssistantSettingsView.class)).settings()
                .autopilotEnabled()) {
            throw new FeatureDisabledException("the autopilot is switched off for this tenant (PUT /api/ai/settings)");
        }
        ConversationView conversation = Queries.await(queries.query(new FindConversation(conversationId),
                ConversationView.class));
        MessageView message = conversation.messages().stream().filter(m -> m.id().equals(messageId)).findFirst()
                .orElseThrow(() -> new NotFoundException("message"));
        if (!Channels.CUSTOMER.equals(message.sender())) {
            throw new InvalidCommandException("message_id", "the autopilot answers customer messages; this one is from "
                    + message.sender());
        }
        if (ConversationView.WAITING_HUMAN.equals(conversation.status())) {
            throw new StateConflictException("a person has this conversation: the autopilot replies again once an agent "
                    + "hands it back (POST /api/ai/conversations/" + conversationId + "/hand-back)");
        }
        budget.acquire(tenant);
        try {
            commands.sendAndWait(new StartRun(runId, conversationId, RunModes.AUTOPILOT, message.text(), messageId,
                    conversation.contactId()));
        } catch (AggregateStreamCreationException | ConcurrencyException | EventStoreException raced) {
            // started at the same moment by the trigger: that run is the answer (when the trigger loses the race, its
            // processor's transaction fails and is retried a second later, and then finds this run)
            if (existing(runId).isEmpty()) {
                throw raced;
            }
        }
        return runId;
    }

    private Optional<RunView> existing(String runId) {
        try {
            return Optional.of(find(runId));
        } catch (NotFoundException notYet) {
            return Optional.empty();
        }
    }

    /** The run once it settled (completed, escalated, failed or waiting for approval), or as it stands at the limit. */
    public RunView awaitSettled(String runId) {
        return Polling.until(() -> find(runId), run -> RunStatus.SETTLED.contains(run.status()), settings.settleWait());
    }

    private RunView find(String runId) {
        return Queries.await(queries.query(new FindRun(runId), RunView.class));
    }
}
