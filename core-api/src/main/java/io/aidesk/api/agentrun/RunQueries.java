package io.aidesk.api.agentrun;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Reading runs, their tool calls and the approvals inbox; the tenant travels in the metadata. */
public final class RunQueries {
    private RunQueries() {
    }

    public record FindRun(String runId) {
    }

    /** A conversation's autopilot runs, newest first, as the inbox follows them (a working view, any role). */
    public record ListConversationRuns(String conversationId) {
        public static final int MAX_RUNS = 20;
    }

    public record RunViewList(List<RunView> items) {
    }

    /** @param status pending, approved, rejected or expired; null for all */
    public record ListApprovals(String status) {
    }

    /** Which run a tool call belongs to (the approval endpoints are addressed by call id). */
    public record FindToolCall(String callId) {
    }

    /**
     * A tool call as the run and the approver see it.
     *
     * @param status requested, awaiting_approval, approved, executed, failed, refused, rejected or expired
     */
    public record ActionView(String callId, String runId, String tool, Map<String, Object> args, String argsHash,
                             String status, boolean requiresApproval, String reason, Map<String, Object> result,
                             String error, Instant requestedAt, Instant deadline, String decidedBy, Instant decidedAt) {
    }

    /**
     * @param status         running, awaiting_approval, completed, escalated or failed
     * @param failureKind    why the run failed or its decision did ({@link FailureKind#wire()}); null otherwise
     * @param modelLatencyMs how long the decision model took (retrieval and everything else is the rest of the run)
     */
    public record RunView(String runId, String conversationId, String messageId, String mode, String status,
                          String intent, Double confidence, Boolean needsHuman, List<String> missingFields, String reply,
                          String handoffReason, String failureKind, List<ActionView> actions, String model,
                          Long modelLatencyMs, Instant startedAt, Instant updatedAt) {
    }

    /** A sensitive call with what the approver needs: the customer's words, the conversation and the exact args. */
    public record ApprovalView(String callId, String runId, String conversationId, String contactId, String input,
                               ActionView action) {
    }

    public record ApprovalList(List<ApprovalView> items) {
    }

    /** A run's events as the event store holds them: the replay a reviewer reads. */
    public record FindRunEvents(String runId) {
    }

    /**
     * @param type     the event's name (ToolCallApproved)
     * @param payload  the event as stored
     * @param metadata tenant, user, correlation and causation ids
     */
    public record RunEvent(long sequence, String type, Instant timestamp, Map<String, Object> payload,
                           Map<String, Object> metadata) {
    }

    public record RunEventList(String runId, List<RunEvent> items) {
    }

    /**
     * The run list's filters, all optional; newest first, {@code limit} at a time from {@code cursor}.
     *
     * @param tool runs that proposed a call of this tool
     */
    public record ListRuns(Instant from, Instant to, String mode, String intent, String status, Double minConfidence,
                           Double maxConfidence, String tool, String conversationId, String cursor, int limit) {
        public static final int MAX_LIMIT = 200;
    }

    /** @param actionsExecuted the calls that ran in the CRM, of {@code tools} proposed */
    public record RunSummary(String runId, String conversationId, String mode, String status, String intent,
                             Double confidence, Boolean needsHuman, String handoffReason, List<String> tools,
                             int actionsExecuted, String model, Instant startedAt, Instant endedAt) {
    }

    /** @param nextCursor where the next page starts; null on the last page */
    public record RunPage(List<RunSummary> items, String nextCursor) {
    }

    /** Everything the audit knows of one run. */
    public record FindRunDetail(String runId) {
    }

    /**
     * A chunk the run read, with its text as the run read it (as the tenant's log_content lets the audit keep it).
     *
     * @param cited whether the reply stands on it
     */
    public record CitationView(int position, String chunkId, String documentId, String sourceId, String title,
                               String url, double score, String contentHash, Integer documentVersion, String text,
                               Integer textLength, boolean cited) {
    }

    /** @param costEstimate in US dollars */
    public record RunUsage(String model, Integer tokensIn, Integer tokensOut, Long latencyMs, Double costEstimate) {
    }

    /**
     * @param output     the model's JSON as it answered (parsed when it is JSON)
     * @param logContent how the run's texts were kept: full, redacted or none (hashes, lengths and previews)
     */
    public record RunDetail(String runId, String conversationId, String messageId, String mode, String status,
                            String startedBy, String input, String inputHash, Integer inputLength, String intent,
                            Double confidence, Boolean needsHuman, List<String> missingFields, String reply,
                            String replyHash, Integer replyLength, String handoffReason, String failureKind,
                            List<CitationView> citations, List<String> droppedCitations, Object output,
                            List<ActionView> actions, RunUsage usage, String logContent, Instant startedAt,
                            Instant endedAt, Long durationMs, DraftFeedback draftFeedback) {
    }

    /**
     * What the agent did with a copilot draft; null for an autopilot run or a draft nobody reviewed or rated yet.
     *
     * @param outcome sent_as_drafted, edited or discarded; null while not sent nor discarded
     * @param helpful the agent's rating; null while unrated
     * @param reason  why, as the agent said it (kept as log_content allows)
     */
    public record DraftFeedback(String outcome, String reviewedBy, Instant reviewedAt, Boolean helpful, String ratedBy,
                                Instant ratedAt, String reason) {
    }
}
