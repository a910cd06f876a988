package io.aidesk.api.agentrun;

import io.aidesk.api.decision.Decision;
import io.aidesk.api.decision.DecisionUsage;

import java.util.List;

/** What happened in an agent run, tenant-tagged; replaying them tells the whole run. */
public final class RunEvents {
    private RunEvents() {
    }

    /** @param inputHash SHA-256 of the input, kept even when the tenant logs no content */
    public record RunStarted(String runId, String tenantId, String conversationId, String mode, String input,
                             String inputHash, String startedBy) {
    }

    public record ContextRetrieved(String runId, String tenantId, String query, List<ContextChunk> chunks) {
    }

    public record DecisionRecorded(String runId, String tenantId, Decision decision, DecisionUsage usage,
                                   String rawOutput) {
    }

    public record DecisionFailed(String runId, String tenantId, String model, String kind, String reason,
                                 long latencyMs) {
    }

    public record CitationsDropped(String runId, String tenantId, List<String> chunkIds, String reason) {
    }

    public record ReplyDrafted(String runId, String tenantId, String reply, List<PinnedCitation> citations,
                               double confidence, boolean needsHuman) {
    }

    public record RunCompleted(String runId, String tenantId, String mode) {
    }
}
