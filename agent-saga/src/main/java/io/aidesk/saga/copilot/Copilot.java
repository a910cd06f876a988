package io.aidesk.saga.copilot;

import io.aidesk.api.FeatureDisabledException;
import io.aidesk.api.Queries;
import io.aidesk.api.decision.ConfidenceBasis;
import io.aidesk.api.agentrun.FailureKind;
import io.aidesk.api.agentrun.PinnedCitation;
import io.aidesk.api.agentrun.RunCommands.CompleteRun;
import io.aidesk.api.agentrun.RunCommands.FailRun;
import io.aidesk.api.agentrun.RunCommands.StartRun;
import io.aidesk.api.agentrun.RunModes;
import io.aidesk.api.conversation.ConversationQueries.ConversationView;
import io.aidesk.api.conversation.ConversationQueries.FindConversation;
import io.aidesk.api.settings.AssistantSettingsValues;
import io.aidesk.api.settings.AssistantSettingsView;
import io.aidesk.api.settings.FindAssistantSettings;
import io.aidesk.saga.deliberation.Deliberation;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.UUID;

/**
 * Drafts a reply for an agent: one AgentRun in copilot mode — retrieve, decide, guard the citations, draft — every
 * step recorded on the run, and never a tool.
 */
@Component
public class Copilot {
    private final CommandGateway commands;
    private final QueryGateway queries;
    private final Deliberation deliberation;

    public Copilot(CommandGateway commands, QueryGateway queries, Deliberation deliberation) {
        this.commands = commands;
        this.queries = queries;
        this.deliberation = deliberation;
    }

    /** The draft as the agent sees it, with what its confidence stands on. */
    public record Draft(String runId, String reply, List<PinnedCitation> citations, double confidence, boolean needsHuman,
                        String intent, List<String> missingFields, ConfidenceBasis confidenceBasis) {
    }

    public Draft draft(String conversationId, String message) {
        AssistantSettingsValues settings = Queries.await(queries.query(new FindAssistantSettings(),
                AssistantSettingsView.class)).settings();
        if (!settings.copilotEnabled()) {
            throw new FeatureDisabledException("the copilot is switched off for this tenant (PUT /api/ai/settings)");
        }
        ConversationView conversation = Queries.await(queries.query(new FindConversation(conversationId),
                ConversationView.class));
        String runId = UUID.randomUUID().toString();
        commands.sendAndWait(new StartRun(runId, conversationId, RunModes.COPILOT, message));
        Deliberation.Draft draft;
        try {
            draft = deliberation.deliberate(runId, conversation, message, settings);
        } catch (RuntimeException e) {
            Deliberation.Failure failure = Deliberation.Failure.of(e);
            CopilotFailedException failed = fail(runId, failure, e);
            // a refusal keeps its own precise 4xx; the run is ended all the same
            throw failure.kind() == FailureKind.REFUSED ? e : failed;
        }
        if (draft.failure() != null) {
            // no valid decision is no draft: the agent is told why, and the run ends failed as the autopilot's does
            throw fail(runId, draft.failure(), null);
        }
        commands.sendAndWait(new CompleteRun(runId));
        return new Draft(runId, draft.reply(), draft.citations(), draft.confidence(), draft.needsHuman(), draft.intent(),
                draft.missingFields(), draft.basis());
    }

    /** Ends the run failed with its kind; a run that cannot even record that stays as it is, and the error says so. */
    private CopilotFailedException fail(String runId, Deliberation.Failure failure, RuntimeException cause) {
        CopilotFailedException failed = new CopilotFailedException(runId, failure, cause);
        try {
            commands.sendAndWait(new FailRun(runId, failure.kind(), failure.reason()));
        } catch (RuntimeException unrecorded) {
            failed.addSuppressed(unrecorded);
        }
        return failed;
    }
}
