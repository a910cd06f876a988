package io.aidesk.api.agentrun;

import io.aidesk.api.decision.ConfidenceBasis;
import io.aidesk.api.decision.Decision;
import io.aidesk.api.decision.DecisionUsage;
import io.aidesk.api.privacy.PersonalData;
import io.aidesk.api.settings.AssistantSettingsValues;
import org.axonframework.serialization.Revision;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What happened in an agent run, tenant-tagged; replaying them tells the whole run. {@link PersonalData} marks what
 * is the contact's (their words, what was said or done for them, and failure texts that may quote either); it is
 * stored sealed with the contact's key.
 */
public final class RunEvents {
    private RunEvents() {
    }

    /**
     * @param inputHash SHA-256 of the input, kept even when the tenant logs no content
     * @param messageId the customer message an autopilot run answers
     */
    public record RunStarted(String runId, String tenantId, String conversationId, String mode, @PersonalData String input,
                             String inputHash, String startedBy, String messageId, String contactId) {
    }

    public record ContextRetrieved(String runId, String tenantId, @PersonalData String query, List<ContextChunk> chunks) {
    }

    /**
     * Revision 2 added basis (why the decision was as confident as it was); earlier events are upcast with a basis
     * that says it was not recorded.
     */
    @Revision(DecisionRecorded.REVISION)
    public record DecisionRecorded(String runId, String tenantId, Decision decision, DecisionUsage usage,
                                   @PersonalData String rawOutput, AssistantSettingsValues settings,
                                   ConfidenceBasis basis) {
        public static final String REVISION = "3";

        public DecisionRecorded {
            basis = basis == null ? new ConfidenceBasis(ConfidenceBasis.UNRECORDED, null, null, null) : basis;
        }

        public DecisionRecorded(String runId, String tenantId, Decision decision, DecisionUsage usage, String rawOutput,
                                AssistantSettingsValues settings) {
            this(runId, tenantId, decision, usage, rawOutput, settings, null);
        }
    }

    public record DecisionFailed(String runId, String tenantId, String model, String kind, @PersonalData String reason,
                                 long latencyMs) {
    }

    public record CitationsDropped(String runId, String tenantId, List<String> chunkIds, String reason) {
    }

    public record ReplyDrafted(String runId, String tenantId, @PersonalData String reply, List<PinnedCitation> citations,
                               double confidence, boolean needsHuman) {
    }

    /** @param outcome answer, ask_for_data or handoff; reasons lists every rule that applied */
    public record PolicyApplied(String runId, String tenantId, String outcome, List<String> reasons,
                                String handoffReason) {
    }

    /** @param disposition execute, await_approval or refused, as the policy decided */
    public record ToolCallRequested(String runId, String tenantId, String callId, String tool,
                                    @PersonalData Map<String, Object> args, String disposition, String reason) {
    }

    /** A replay run's call: what the policy decided for it (execute, await_approval, refused); it never runs. */
    public record ToolCallRehearsed(String runId, String tenantId, String callId, String tool,
                                    @PersonalData Map<String, Object> args, String disposition, String reason) {
    }

    public record ToolCallRefused(String runId, String tenantId, String callId, String tool, String reason) {
    }

    /** @param argsHash what an approval is bound to: only exactly these arguments may run */
    public record ToolCallApprovalRequested(String runId, String tenantId, String callId, String tool,
                                            @PersonalData Map<String, Object> args, String argsHash, Instant deadline) {
    }

    public record ToolCallApproved(String runId, String tenantId, String callId, String tool,
                                   @PersonalData Map<String, Object> args, String argsHash, String by) {
    }

    public record ToolCallRejected(String runId, String tenantId, String callId, String tool, String by,
                                   @PersonalData String reason) {
    }

    public record ToolCallExpired(String runId, String tenantId, String callId, String tool) {
    }

    public record ToolCallExecuted(String runId, String tenantId, String callId, String tool,
                                   @PersonalData Map<String, Object> result) {
    }

    public record ToolCallFailed(String runId, String tenantId, String callId, String tool, @PersonalData String error) {
    }

    public record ReplySent(String runId, String tenantId, String conversationId, String messageId,
                            @PersonalData String reply,
                            List<PinnedCitation> citations, double confidence) {
    }

    /** @param reason one of {@link PolicyOutcome#HANDOFF_REASONS}; summary is what the person taking over reads */
    public record HandedOffToHuman(String runId, String tenantId, String conversationId, String reason,
                                   @PersonalData String summary) {
    }

    /**
     * What an agent did with a copilot draft: the feedback that tells a tenant how good its copilot is.
     *
     * @param sentText what reached the customer (null when discarded); reason why it was discarded, if said
     */
    public record DraftReviewed(String runId, String tenantId, String conversationId, DraftOutcome outcome,
                                @PersonalData String sentText, String messageId, @PersonalData String reason,
                                String by) {
    }

    public record DraftRated(String runId, String tenantId, boolean helpful, @PersonalData String reason, String by) {
    }

    public record RunCompleted(String runId, String tenantId, String mode) {
    }

    /** Revision 2 added kind; earlier events are upcast with the kind their reason starts with, or unrecorded. */
    @Revision(RunFailed.REVISION)
    public record RunFailed(String runId, String tenantId, String mode, FailureKind kind, @PersonalData String reason) {
        public static final String REVISION = "2";

        public RunFailed {
            kind = kind == null ? FailureKind.UNRECORDED : kind;
        }
    }
}
