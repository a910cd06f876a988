package io.aidesk.api.agentrun;

import io.aidesk.api.decision.ConfidenceBasis;
import io.aidesk.api.decision.Decision;
import io.aidesk.api.decision.DecisionUsage;
import io.aidesk.api.settings.AssistantSettingsValues;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Commands on an AgentRun: one answer to one message, every step recorded. Tenant and user travel in the metadata. */
public final class RunCommands {
    private RunCommands() {
    }

    /**
     * @param mode      copilot (drafts for an agent, never a tool) or autopilot
     * @param messageId the customer message an autopilot run answers (null for a copilot draft)
     * @param contactId the CRM contact the conversation is with, the default target of the run's tools
     */
    public record StartRun(@TargetAggregateIdentifier String runId, String conversationId, String mode, String input,
                           String messageId, String contactId) {
        public StartRun(String runId, String conversationId, String mode, String input) {
            this(runId, conversationId, mode, input, null, null);
        }
    }

    public record RecordContext(@TargetAggregateIdentifier String runId, String query, List<ContextChunk> chunks) {
    }

    /** @param settings the tenant's settings the decision was made under, so the policy and the audit use the same */
    public record RecordDecision(@TargetAggregateIdentifier String runId, Decision decision, DecisionUsage usage,
                                 String rawOutput, AssistantSettingsValues settings, ConfidenceBasis basis) {
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

    /** What the backend's policy made of the decision; its calls are requested, refused or held for approval. */
    public record ApplyPolicy(@TargetAggregateIdentifier String runId, PolicyOutcome outcome,
                              Instant approvalDeadline) {
    }

    /** The autopilot's reply goes to the customer; messageId is the conversation message it becomes. */
    public record SendReply(@TargetAggregateIdentifier String runId, String messageId, String reply,
                            List<PinnedCitation> citations, double confidence) {
    }

    public record RecordToolExecution(@TargetAggregateIdentifier String runId, String callId, Map<String, Object> result) {
    }

    public record RecordToolFailure(@TargetAggregateIdentifier String runId, String callId, String error) {
    }

    /** @param argsHash the hash of the arguments the approver was shown; null approves what the run holds */
    public record ApproveToolCall(@TargetAggregateIdentifier String runId, String callId, String argsHash) {
    }

    public record RejectToolCall(@TargetAggregateIdentifier String runId, String callId, String reason) {
    }

    /** The approval deadline passed; a call still pending never runs. */
    public record ExpireToolCall(@TargetAggregateIdentifier String runId, String callId) {
    }

    /** @param reason one of {@link PolicyOutcome#HANDOFF_REASONS} */
    public record HandOffToHuman(@TargetAggregateIdentifier String runId, String reason, String summary) {
    }

    public record CompleteRun(@TargetAggregateIdentifier String runId) {
    }

    public record FailRun(@TargetAggregateIdentifier String runId, FailureKind kind, String reason) {
    }

    /**
     * An agent sent a copilot draft (as drafted or edited: the run decides, comparing the text with its draft) or
     * discarded it. Recorded once per draft; the same sending again is taken as done.
     *
     * @param sentText  what was sent to the customer; null when discarded
     * @param messageId the conversation message that carried it; null when discarded
     */
    public record RecordDraftOutcome(@TargetAggregateIdentifier String runId, String sentText, String messageId,
                                     String reason) {
    }

    /** An agent's rating of a copilot draft: helpful or not, why; a later rating replaces an earlier one. */
    public record RateDraft(@TargetAggregateIdentifier String runId, boolean helpful, String reason) {
    }

    /** Retrieve and decide for a run: I/O, handled outside the aggregate and the saga, reported back by command. */
    public record DecideRun(String runId, String conversationId, String input, String contactId) {
    }

    /**
     * Run one allowed (or approved) tool call through the CRM adapter, exactly once per (run, call).
     *
     * @param argsHash for an approved call, the hash the approval is bound to (the call runs only with those args)
     */
    public record ExecuteToolCall(String runId, String callId, String tool, Map<String, Object> args, String argsHash,
                                  String actor) {
    }
}
