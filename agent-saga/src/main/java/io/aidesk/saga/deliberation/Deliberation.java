package io.aidesk.saga.deliberation;

import io.aidesk.api.FeatureDisabledException;
import io.aidesk.api.InvalidCommandException;
import io.aidesk.api.Queries;
import io.aidesk.api.RateLimitedException;
import io.aidesk.api.StateConflictException;
import io.aidesk.api.agentrun.ContextChunk;
import io.aidesk.api.agentrun.FailureKind;
import io.aidesk.api.agentrun.PinnedCitation;
import io.aidesk.api.agentrun.RunCommands.DraftReply;
import io.aidesk.api.agentrun.RunCommands.DropCitations;
import io.aidesk.api.agentrun.RunCommands.RecordContext;
import io.aidesk.api.agentrun.RunCommands.RecordDecision;
import io.aidesk.api.agentrun.RunCommands.RecordDecisionFailure;
import io.aidesk.api.conversation.ConversationQueries.ConversationView;
import io.aidesk.api.decision.ConfidenceBasis;
import io.aidesk.api.decision.Decision;
import io.aidesk.api.knowledge.KnowledgeQueries.RetrievedChunk;
import io.aidesk.api.knowledge.KnowledgeQueries.SearchKnowledge;
import io.aidesk.api.knowledge.KnowledgeQueries.SearchResult;
import io.aidesk.api.settings.AssistantSettingsValues;
import io.aidesk.api.tenancy.MissingTenantException;
import io.aidesk.api.tenancy.NotFoundException;
import io.aidesk.api.tools.ToolSchemas;
import io.aidesk.gateway.decision.Confidences;
import io.aidesk.gateway.decision.DecisionFailedException;
import io.aidesk.gateway.decision.DecisionModel;
import io.aidesk.gateway.decision.DecisionRequest;
import io.aidesk.gateway.decision.DecisionRequest.Evidence;
import io.aidesk.gateway.decision.DecisionRequest.Policy;
import io.aidesk.gateway.decision.DecisionRequest.ToolSpec;
import io.aidesk.gateway.decision.DecisionRequest.Turn;
import io.aidesk.gateway.decision.DecisionResult;
import io.aidesk.gateway.decision.InstructionGuard;
import io.aidesk.gateway.embedding.EmbeddingUnavailableException;
import io.aidesk.gateway.language.Language;
import io.aidesk.gateway.decision.offline.Replies;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The common part of every run, copilot or autopilot: retrieve, decide, guard the citations, draft — each step
 * recorded on the run. What happens to the draft (an agent reads it, or the policy acts on it) is the caller's.
 */
@Component
public class Deliberation {
    static final int TOP_K = 5;

    private final CommandGateway commands;
    private final QueryGateway queries;
    private final DecisionModel model;

    public Deliberation(CommandGateway commands, QueryGateway queries, DecisionModel model) {
        this.commands = commands;
        this.queries = queries;
        this.model = model;
    }

    /**
     * The draft as recorded on the run; intent and basis are null when the model gave no valid decision.
     *
     * @param basis   why the decision was as confident as it was
     * @param failure why there is no valid decision; null when there is one
     */
    public record Draft(String reply, List<PinnedCitation> citations, double confidence, boolean needsHuman,
                        String intent, List<String> missingFields, ConfidenceBasis basis, Failure failure,
                        Decision decision) {
    }

    /** What kept a run from its decision, as the run records it. */
    public record Failure(FailureKind kind, String reason) {
        /** A failure thrown on the way to a decision: the model's own kind, a failed search, or AI Desk's fault. */
        public static Failure of(RuntimeException error) {
            if (error instanceof DecisionFailedException decision) {
                return new Failure(FailureKind.of(decision.kind()), decision.getMessage());
            }
            if (error instanceof EmbeddingUnavailableException retrieval) {
                return new Failure(FailureKind.RETRIEVAL_FAILED, "the knowledge could not be searched: "
                        + retrieval.getMessage());
            }
            if (error instanceof InvalidCommandException || error instanceof NotFoundException
                    || error instanceof StateConflictException || error instanceof FeatureDisabledException
                    || error instanceof RateLimitedException || error instanceof MissingTenantException) {
                return new Failure(FailureKind.REFUSED, error.getMessage());
            }
            return new Failure(FailureKind.INTERNAL_ERROR, error.toString());
        }
    }

    public Draft deliberate(String runId, ConversationView conversation, String message,
                            AssistantSettingsValues settings) {
        return deliberate(runId, conversation, message, settings, model);
    }

    /** With a model of the caller's choosing (a replay's); a question asked outside a conversation has none. */
    public Draft deliberate(String runId, ConversationView conversation, String message,
                            AssistantSettingsValues settings, DecisionModel model) {
        SearchResult retrieved = Queries.await(queries.query(new SearchKnowledge(message, TOP_K, null), SearchResult.class));
        commands.sendAndWait(new RecordContext(runId, message, retrieved.chunks().stream()
                .map(Deliberation::pinned).toList()));

        String language = Language.of(message);
        // a passage that addresses a machine is content, never an instruction: no model sees it, the run records it
        InstructionGuard.Screened screened = InstructionGuard.screen(evidence(retrieved));
        DecisionRequest request = new DecisionRequest(turns(conversation, message),
                conversation == null || conversation.contactId() == null ? Map.of()
                        : Map.of("contact_id", conversation.contactId()), screened.kept(), policy(settings),
                retrieved.termWeights());
        long started = System.nanoTime();
        try {
            DecisionResult result = model.decide(request);
            ConfidenceBasis basis = result.basis().withDropped(screened.dropped());
            commands.sendAndWait(new RecordDecision(runId, result.decision(), result.usage(), result.rawOutput(),
                    settings, basis));
            CitationGuard.Guarded guarded = CitationGuard.apply(result.decision(), retrieved,
                    settings.confidenceThreshold(), language, answers(result.decision(), basis));
            commands.sendAndWait(new DropCitations(runId, guarded.dropped(),
                    "not among the chunks retrieved for this run"));
            commands.sendAndWait(new DraftReply(runId, guarded.reply(), guarded.citations(), guarded.confidence(),
                    guarded.needsHuman()));
            return new Draft(guarded.reply(), guarded.citations(), guarded.confidence(), guarded.needsHuman(),
                    result.decision().intent(), result.decision().missingFields(), basis, null, result.decision());
        } catch (DecisionFailedException failure) {
            // no valid decision: nothing to send, only the reason, and the run says why
            commands.sendAndWait(new RecordDecisionFailure(runId, model.name(), failure.kind(), failure.getMessage(),
                    (System.nanoTime() - started) / 1_000_000));
            String reply = Replies.unsure(language);
            commands.sendAndWait(new DraftReply(runId, reply, List.of(), 0, true));
            return new Draft(reply, List.of(), 0, true, null, List.of(), null, Failure.of(failure), null);
        }
    }

    /** Whether the reply answers from the knowledge, by what the model read the customer to ask for. */
    private static boolean answers(Decision decision, ConfidenceBasis basis) {
        if (ConfidenceBasis.CALIBRATED.equals(basis.method()) || basis.needs().isEmpty()) {
            return true;
        }
        return !Confidences.standsOnAction(basis.needs().get(0).need(), !decision.actions().isEmpty(),
                !decision.missingFields().isEmpty());
    }

    /** The conversation so far, ending with the message to answer. */
    private static List<Turn> turns(ConversationView conversation, String message) {
        List<Turn> turns = new ArrayList<>();
        if (conversation != null) {
            conversation.messages().forEach(m -> turns.add(new Turn(m.role(), m.text())));
        }
        if (turns.isEmpty() || !"user".equals(turns.get(turns.size() - 1).role())
                || !turns.get(turns.size() - 1).text().equals(message.strip())) {
            turns.add(new Turn("user", message.strip()));
        }
        return turns;
    }

    private static List<Evidence> evidence(SearchResult retrieved) {
        return retrieved.chunks().stream().map(Deliberation::evidence).toList();
    }

    private static Evidence evidence(RetrievedChunk chunk) {
        Object title = chunk.meta().get("title");
        Object url = chunk.meta().get("page_url");
        List<String> context = new ArrayList<>();
        if (title != null) {
            context.add(title.toString());
        }
        if (chunk.meta().get("headings") instanceof List<?> headings) {
            headings.stream().map(String::valueOf).filter(heading -> !context.contains(heading)).forEach(context::add);
        }
        return new Evidence(chunk.chunkId(), chunk.documentId(), title == null ? null : title.toString(),
                url == null ? null : url.toString(), chunk.content(), chunk.score(), String.join(" > ", context),
                chunk.lexical(), chunk.relevance(), chunk.vectorRank(), chunk.lexicalRank());
    }

    private static ContextChunk pinned(RetrievedChunk chunk) {
        Evidence evidence = evidence(chunk);
        return new ContextChunk(chunk.chunkId(), chunk.documentId(), chunk.sourceId(), chunk.score(),
                chunk.contentHash(), chunk.documentVersion(), evidence.title(), evidence.url(), chunk.content());
    }

    private static Policy policy(AssistantSettingsValues settings) {
        return new Policy(settings.confidenceThreshold(), settings.requiredFields(),
                settings.allowedTools().stream().map(ToolSchemas::of)
                        .map(tool -> new ToolSpec(tool.name(), tool.description(), tool.parameters())).toList());
    }
}
