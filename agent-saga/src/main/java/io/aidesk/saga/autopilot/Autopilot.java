package io.aidesk.saga.autopilot;

import io.aidesk.api.FeatureDisabledException;
import io.aidesk.api.InvalidCommandException;
import io.aidesk.api.Queries;
import io.aidesk.api.RateLimitedException;
import io.aidesk.api.StateConflictException;
import io.aidesk.api.agentrun.AgentRunBudget;
import io.aidesk.api.agentrun.RunCommands.StartRun;
import io.aidesk.api.agentrun.RunModes;
import io.aidesk.api.agentrun.RunQueries.FindRun;
import io.aidesk.api.agentrun.RunQueries.RunView;
import io.aidesk.api.agentrun.RunStartLock;
import io.aidesk.api.agentrun.RunStatus;
import io.aidesk.api.conversation.Channels;
import io.aidesk.api.live.LiveQueries.Changed;
import io.aidesk.api.live.LiveQueries.WatchChanges;
import io.aidesk.api.live.LiveTopic;
import io.aidesk.api.live.LiveWait;
import io.aidesk.api.conversation.ConversationQueries.ConversationView;
import io.aidesk.api.conversation.ConversationQueries.FindConversation;
import io.aidesk.api.conversation.ConversationQueries.MessageView;
import io.aidesk.api.settings.AssistantSettingsView;
import io.aidesk.api.settings.FindAssistantSettings;
import io.aidesk.api.tenancy.NotFoundException;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.messaging.GenericMessage;
import org.axonframework.messaging.ResultMessage;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.axonframework.queryhandling.QueryGateway;
import org.axonframework.queryhandling.SubscriptionQueryResult;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Starts the autopilot on a customer's message, once: the run's id is derived from the tenant and the message, so the
 * CRM's handle-message call and the automatic start on posting find the same run instead of acting twice. The two
 * may come at the same moment: each start holds the run's lock until it commits, so the second finds the first's run.
 */
@Component
@EnableConfigurationProperties(AutopilotSettings.class)
public class Autopilot {
    private final CommandGateway commands;
    private final QueryGateway queries;
    private final AutopilotSettings settings;
    private final AgentRunBudget budget;
    private final RunStartLock lock;
    private final TransactionManager transactions;

    public Autopilot(CommandGateway commands, QueryGateway queries, AutopilotSettings settings, AgentRunBudget budget,
                     RunStartLock lock, TransactionManager transactions) {
        this.commands = commands;
        this.queries = queries;
        this.settings = settings;
        this.budget = budget;
        this.lock = lock;
        this.transactions = transactions;
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
        if (CurrentUnitOfWork.isStarted()) {
            // the trigger: its processor's transaction holds the lock until it commits the run with its token
            return startLocked(tenant, conversationId, messageId);
        }
        // handle-message: a unit of work of its own, so the run's events are stored in the transaction holding the lock
        UnitOfWork<?> unitOfWork = DefaultUnitOfWork.startAndGet(new GenericMessage<>(messageId));
        unitOfWork.attachTransaction(transactions);
        ResultMessage<String> started = unitOfWork.executeWithResult(() -> startLocked(tenant, conversationId,
                messageId));
        if (started.isExceptional()) {
            Throwable failure = started.exceptionResult();
            if (failure instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (failure instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(failure);
        }
        return started.getPayload();
    }

    private String startLocked(String tenant, String conversationId, String messageId) {
        String runId = runIdFor(tenant, messageId);
        lock.holdUntilCommit(runId);
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
        commands.sendAndWait(new StartRun(runId, conversationId, RunModes.AUTOPILOT, message.text(), messageId,
                conversation.contactId()));
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
    public RunView awaitSettled(String tenant, String runId) {
        return LiveWait.until(changed -> listenToRuns(tenant, changed), runId, () -> find(runId), run -> RunStatus.SETTLED.contains(run.status()),
                settings.settleWait());
    }

    /** The tenant's run changes, from the live updates' subscription query: a run is read again when it moved. */
    private Runnable listenToRuns(String tenant, Consumer<String> changed) {
        SubscriptionQueryResult<Changed, Changed> watch = queries.subscriptionQuery(new WatchChanges(LiveTopic.RUNS, tenant),
                Changed.class, Changed.class);
        Disposable listening = watch.updates().subscribe(change -> changed.accept(change.id()));
        return () -> {
            listening.dispose();
            watch.cancel();
        };
    }

    private RunView find(String runId) {
        return Queries.await(queries.query(new FindRun(runId), RunView.class));
    }
}
