package io.aidesk.api.agentrun;

import io.aidesk.api.decision.Decision;
import io.aidesk.api.decision.DecisionUsage;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.List;

/** Commands on an AgentRun: one answer to one message, every step recorded. Tenant and user travel in the metadata. */
public final class RunCommands {
    private RunCommands() {
    }

    /** @param mode copilot (drafts for an agent, never a tool) or autopilot */
    public record StartRun(@TargetAggregateIdentifier String runId, String conversationId, String mode, String input) {
    }

    public record RecordContext(@TargetAggregateIdentifier String runId, String query, List<ContextChunk> chunks) {
    }

    public record RecordDecision(@TargetAggregateIdentifier String runId, Decision decision, DecisionUsage usage,
                                 String rawOutput) {
    }

    /** The model gave no valid decision (rate limit, 5xx, timeout, invalid output): the run goes to a human. */
    public record RecordDecisionFailure(@TargetAggregateIdentifier String runId, String model, String kind,
                                        String reason, long latencyMs) {
    }

    /** Citations the guard removed because they were not among the chunks retrieved for this run. */
    public record DropCitations(@TargetAggregateIdentifier String runId, List<String> chunkIds, String reason) {
    }

    public record DraftReply(@TargetAggregateIdentifier String runId, String reply, List<PinnedCitation> citations,
                             double confidence, boolean needsHuman) {
    }

    public record CompleteRun(@TargetAggregateIdentifier String runId) {
    }
}
