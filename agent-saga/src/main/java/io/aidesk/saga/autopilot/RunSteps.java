package io.aidesk.saga.autopilot;

import io.aidesk.api.Queries;
import io.aidesk.api.agentrun.RunCommands.DecideRun;
import io.aidesk.api.agentrun.RunCommands.DraftReply;
import io.aidesk.api.agentrun.RunCommands.RecordDecisionFailure;
import io.aidesk.api.agentrun.RunQueries.FindRun;
import io.aidesk.api.agentrun.RunQueries.RunView;
import io.aidesk.api.conversation.ConversationQueries.ConversationView;
import io.aidesk.api.conversation.ConversationQueries.FindConversation;
import io.aidesk.api.settings.AssistantSettingsView;
import io.aidesk.api.settings.FindAssistantSettings;
import io.aidesk.api.tenancy.NotFoundException;
import io.aidesk.gateway.decision.DecisionModel;
import io.aidesk.gateway.language.Language;
import io.aidesk.gateway.decision.offline.Replies;
import io.aidesk.saga.deliberation.Deliberation;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.queryhandling.QueryGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.util.List;

/**
 * The I/O steps of an autopilot run, outside the saga and the aggregate: retrieval and the model's decision, reported
 * back to the run by command. Anything that keeps the run from a decision is recorded as a failed decision, so the
 * saga hands the conversation to a person instead of leaving it unanswered.
 */
@Component
class RunSteps {
    private static final Logger log = LoggerFactory.getLogger(RunSteps.class);

    private final Deliberation deliberation;
    private final QueryGateway queries;
    private final CommandGateway commands;
    private final DecisionModel model;

    RunSteps(Deliberation deliberation, QueryGateway queries, CommandGateway commands, DecisionModel model) {
        this.deliberation = deliberation;
        this.queries = queries;
        this.commands = commands;
        this.model = model;
    }

    /** Whether the run has its decision (or its failure) already; when in doubt, decide: the run keeps the first. */
    private boolean decidedAlready(String runId) {
        try {
            return Queries.await(queries.query(new FindRun(runId), RunView.class)).model() != null;
        } catch (NotFoundException notYetRead) {
            return false;
        }
    }

    @CommandHandler
    void handle(DecideRun command) {
        if (decidedAlready(command.runId())) {
            return; // a redelivery
        }
        long started = System.nanoTime();
        try {
            AssistantSettingsView settings = Queries.await(queries.query(new FindAssistantSettings(),
                    AssistantSettingsView.class));
            ConversationView conversation = Queries.await(queries.query(new FindConversation(command.conversationId()),
                    ConversationView.class));
            deliberation.deliberate(command.runId(), conversation, command.input(), settings.settings());
        } catch (RuntimeException e) {
            log.warn("run {} could not retrieve or decide: {}", command.runId(), e.toString());
            Deliberation.Failure failure = Deliberation.Failure.of(e);
            commands.sendAndWait(new RecordDecisionFailure(command.runId(), model.name(), failure.kind().wire(),
                    failure.reason(), (System.nanoTime() - started) / 1_000_000));
            commands.sendAndWait(new DraftReply(command.runId(), Replies.unsure(Language.of(command.input())), List.of(),
                    0, true));
        }
    }
}
