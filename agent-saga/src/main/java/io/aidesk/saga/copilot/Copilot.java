package io.aidesk.saga.copilot;

import io.aidesk.api.FeatureDisabledException;
import io.aidesk.api.Queries;
import io.aidesk.api.agentrun.ContextChunk;
import io.aidesk.api.agentrun.PinnedCitation;
import io.aidesk.api.agentrun.RunCommands.CompleteRun;
import io.aidesk.api.agentrun.RunCommands.DraftReply;
import io.aidesk.api.agentrun.RunCommands.DropCitations;
import io.aidesk.api.agentrun.RunCommands.RecordContext;
import io.aidesk.api.agentrun.RunCommands.RecordDecision;
import io.aidesk.api.agentrun.RunCommands.RecordDecisionFailure;
import io.aidesk.api.agentrun.RunCommands.StartRun;
import io.aidesk.api.agentrun.RunModes;
import io.aidesk.api.conversation.ConversationQueries.ConversationView;
import io.aidesk.api.conversation.ConversationQueries.FindConversation;
import io.aidesk.api.knowledge.KnowledgeQueries.RetrievedChunk;
import io.aidesk.api.knowledge.KnowledgeQueries.SearchKnowledge;
import io.aidesk.api.knowledge.KnowledgeQueries.SearchResult;
import io.aidesk.api.settings.AssistantSettingsValues;
import io.aidesk.api.settings.AssistantSettingsView;
import io.aidesk.api.settings.FindAssistantSettings;
import io.aidesk.api.tools.ToolSchemas;
import io.aidesk.gateway.decision.DecisionFailedException;
import io.aidesk.gateway.decision.DecisionModel;
import io.aidesk.gateway.decision.DecisionRequest;
import io.aidesk.gateway.decision.DecisionRequest.Evidence;
import io.aidesk.gateway.decision.DecisionRequest.Policy;
import io.aidesk.gateway.decision.DecisionRequest.ToolSpec;
import io.aidesk.gateway.decision.DecisionRequest.Turn;
import io.aidesk.gateway.decision.DecisionResult;
import io.aidesk.gateway.decision.offline.Language;
import io.aidesk.gateway.decision.offline.Replies;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Drafts a reply for an agent: one AgentRun in copilot mode — retrieve, decide, guard the citations, draft — every
 * step recorded on the run, and never a tool.
 */
@Component
public class Copilot {
    static final int TOP_K = 5;

    private final CommandGateway commands;
    private final QueryGateway queries;
    private final DecisionModel model;

    public Copilot(CommandGateway commands, QueryGateway queries, DecisionModel model) {
        this.commands = commands;
        this.queries = queries;
        this.model = model;
    }

    /** The draft as the agent sees it. */
    public record Draft(String runId, String reply, List<PinnedCitation> citations, double confidence, boolean needsHuman,
                        String intent, List<String> missingFields) {
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

        SearchResult retrieved = Queries.await(queries.query(new SearchKnowledge(message, TOP_K, null), SearchResult.class));
        commands.sendAndWait(new RecordContext(runId, message, retrieved.chunks().stream()
                .map(c -> new ContextChunk(c.chunkId(), c.documentId(), c.sourceId(), c.score(), c.contentHash(),
                        c.documentVersion())).toList()));

        String language = Language.of(message);
        DecisionRequest request = new DecisionRequest(turns(conversation, message),
                Map.of("contact_id", conversation.contactId()), evidence(retrieved), policy(settings));
        long started = System.nanoTime();
        Draft draft;
        try {
            DecisionResult result = model.decide(request);
            commands.sendAndWait(new RecordDecision(runId, result.decision(), result.usage(), result.rawOutput()));
            CitationGuard.Guarded guarded = CitationGuard.apply(result.decision(), retrieved,
                    settings.confidenceThreshold(), language);
            commands.sendAndWait(new DropCitations(runId, guarded.dropped(),
                    "not among the chunks retrieved for this run"));
            commands.sendAndWait(new DraftReply(runId, guarded.reply(), guarded.citations(), guarded.confidence(),
                    guarded.needsHuman()));
            draft = new Draft(runId, guarded.reply(), guarded.citations(), guarded.confidence(), guarded.needsHuman(),
                    result.decision().intent(), result.decision().missingFields());
        } catch (DecisionFailedException failure) {
            // no valid decision: the agent gets no draft to send, only the reason, and the run says why
            commands.sendAndWait(new RecordDecisionFailure(runId, model.name(), failure.kind(), failure.getMessage(),
                    (System.nanoTime() - started) / 1_000_000));
            String reply = Replies.unsure(language);
            commands.sendAndWait(new DraftReply(runId, reply, List.of(), 0, true));
            draft = new Draft(runId, reply, List.of(), 0, true, null, List.of());
        }
        commands.sendAndWait(new CompleteRun(runId));
        return draft;
    }

    /** The conversation so far, ending with the message to answer. */
    private static List<Turn> turns(ConversationView conversation, String message) {
        List<Turn> turns = new ArrayList<>();
        conversation.messages().forEach(m -> turns.add(new Turn(m.role(), m.text())));
        if (turns.isEmpty() || !"user".equals(turns.get(turns.size() - 1).role())
                || !turns.get(turns.size() - 1).text().equals(message.strip())) {
            turns.add(new Turn("user", message.strip()));
        }
        return turns;
    }

    private static List<Evidence> evidence(SearchResult retrieved) {
        return retrieved.chunks().stream().map(Copilot::evidence).toList();
    }

    private static Evidence evidence(RetrievedChunk chunk) {
        Object title = chunk.meta().get("title");
        Object url = chunk.meta().get("page_url");
        return new Evidence(chunk.chunkId(), chunk.documentId(), title == null ? null : title.toString(),
                url == null ? null : url.toString(), chunk.content(), chunk.score());
    }

    private static Policy policy(AssistantSettingsValues settings) {
        return new Policy(settings.confidenceThreshold(), settings.requiredFields(),
                settings.allowedTools().stream().map(ToolSchemas::of)
                        .map(tool -> new ToolSpec(tool.name(), tool.description(), tool.parameters())).toList());
    }
}
