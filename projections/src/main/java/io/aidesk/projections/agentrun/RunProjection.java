package io.aidesk.projections.agentrun;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aidesk.api.agentrun.PolicyOutcome.PlannedCall;
import io.aidesk.api.agentrun.ContextChunk;
import io.aidesk.api.agentrun.PinnedCitation;
import io.aidesk.api.agentrun.RunEvents.CitationsDropped;
import io.aidesk.api.agentrun.RunEvents.ContextRetrieved;
import io.aidesk.api.agentrun.RunEvents.DecisionFailed;
import io.aidesk.api.agentrun.RunEvents.DecisionRecorded;
import io.aidesk.api.agentrun.RunEvents.HandedOffToHuman;
import io.aidesk.api.agentrun.RunEvents.ReplyDrafted;
import io.aidesk.api.agentrun.RunEvents.ReplySent;
import io.aidesk.api.agentrun.RunEvents.RunCompleted;
import io.aidesk.api.agentrun.RunEvents.RunFailed;
import io.aidesk.api.agentrun.RunEvents.RunStarted;
import io.aidesk.api.agentrun.RunEvents.ToolCallApprovalRequested;
import io.aidesk.api.agentrun.RunEvents.ToolCallApproved;
import io.aidesk.api.agentrun.RunEvents.ToolCallExecuted;
import io.aidesk.api.agentrun.RunEvents.ToolCallExpired;
import io.aidesk.api.agentrun.RunEvents.ToolCallFailed;
import io.aidesk.api.agentrun.RunEvents.ToolCallRefused;
import io.aidesk.api.agentrun.RunEvents.ToolCallRejected;
import io.aidesk.api.agentrun.RunEvents.ToolCallRehearsed;
import io.aidesk.api.agentrun.RunEvents.ToolCallRequested;
import io.aidesk.api.agentrun.ArgsHash;
import io.aidesk.api.agentrun.RunStatus;
import io.aidesk.api.decision.Decision;
import io.aidesk.api.decision.DecisionUsage;
import io.aidesk.api.privacy.PersonalData;
import io.aidesk.api.agentrun.RunEvents.DraftRated;
import io.aidesk.api.agentrun.RunEvents.DraftReviewed;
import io.aidesk.api.privacy.PrivacyEvents.ContactErased;
import io.aidesk.api.privacy.Redaction;
import io.aidesk.projections.privacy.LogContent;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Keeps ai_runs and ai_actions_log: every run with its decision and reply, every tool call with what the policy, the
 * approver and the CRM made of it, and ai_run_citations: the chunks each run read. In the command's transaction, so a
 * run's state is readable when its step commits. Texts are kept as the tenant's log_content allows ({@link LogContent}).
 */
@Component
@ProcessingGroup(RunProjection.PROCESSING_GROUP)
class RunProjection {
    static final String PROCESSING_GROUP = "agent-runs";
    /** What an erased JSON value reads as, in the events and in the read models alike. */
    private static final Map<String, String> ERASED_OBJECT = Map.of("erased", PersonalData.ERASED);

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;
    private final LogContent logContent;

    RunProjection(JdbcTemplate jdbc, ObjectMapper json, LogContent logContent) {
        this.jdbc = jdbc;
        this.json = json;
        this.logContent = logContent;
    }

    @EventHandler
    void on(RunStarted event, @org.axonframework.eventhandling.Timestamp Instant at) {
        String mode = logContent.mode(event.tenantId());
        jdbc.update("""
                INSERT INTO ai_runs (id, tenant_id, conversation_id, message_id, mode, status, input, input_hash,
                                     input_length, log_content, started_by, started_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING
                """, event.runId(), event.tenantId(), event.conversationId(), event.messageId(), event.mode(),
                RunStatus.RUNNING, logContent.text(mode, event.input()), event.inputHash(), LogContent.length(event.input()), mode,
                event.startedBy(), Timestamp.from(at), Timestamp.from(at));
    }

    @EventHandler
    void on(ContextRetrieved event) {
        String mode = modeOf(event.runId());
        List<ContextChunk> chunks = event.chunks();
        for (int position = 0; position < chunks.size(); position++) {
            ContextChunk chunk = chunks.get(position);
            jdbc.update("""
                    INSERT INTO ai_run_citations (tenant_id, run_id, position, chunk_id, document_id, source_id, title,
                                                  url, score, content_hash, document_version, text, text_length)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING
                    """, event.tenantId(), event.runId(), position, chunk.chunkId(), chunk.documentId(),
                    chunk.sourceId(), chunk.title(), chunk.url(), chunk.score(), chunk.contentHash(),
                    chunk.documentVersion(), logContent.text(mode, chunk.text()), LogContent.length(chunk.text()));
        }
    }

    @EventHandler
    void on(DecisionRecorded event, @org.axonframework.eventhandling.Timestamp Instant at) {
        String mode = modeOf(event.runId());
        Decision decision = event.decision();
        DecisionUsage usage = event.usage();
        jdbc.update("""
                UPDATE ai_runs SET intent = ?, confidence = ?, needs_human = ?, missing_fields = ?::jsonb, reply = ?,
                       reply_hash = ?, reply_length = ?, model = ?, tokens_in = ?, tokens_out = ?, latency_ms = ?,
                       cost_estimate = ?, output_json = ?, updated_at = ?
                WHERE id = ?
                """, decision.intent(), decision.confidence(), decision.needsHuman(), write(decision.missingFields()),
                logContent.text(mode, decision.reply()), LogContent.hash(decision.reply()), LogContent.length(decision.reply()),
                usage == null ? null : usage.model(), usage == null ? null : usage.tokensIn(),
                usage == null ? null : usage.tokensOut(), usage == null ? null : usage.latencyMs(),
                usage == null ? null : usage.costEstimateUsd(), logContent.jsonText(mode, event.rawOutput()),
                Timestamp.from(at), event.runId());
    }

    @EventHandler
    void on(CitationsDropped event) {
        if (!event.chunkIds().isEmpty()) {
            jdbc.update("UPDATE ai_runs SET dropped_citations = dropped_citations || ?::jsonb WHERE id = ?",
                    write(event.chunkIds()), event.runId());
        }
    }

    @EventHandler
    void on(DecisionFailed event, @org.axonframework.eventhandling.Timestamp Instant at) {
        jdbc.update("""
                UPDATE ai_runs SET model = ?, latency_ms = ?, failure_kind = ?, needs_human = true, updated_at = ?
                WHERE id = ?
                """, event.model(), event.latencyMs(), event.kind(), Timestamp.from(at), event.runId());
    }

    @EventHandler
    void on(ReplyDrafted event, @org.axonframework.eventhandling.Timestamp Instant at) {
        updateReply(event.runId(), event.reply(), event.confidence(), event.needsHuman(), at);
        for (PinnedCitation citation : event.citations()) {
            jdbc.update("UPDATE ai_run_citations SET cited = true WHERE run_id = ? AND chunk_id = ?", event.runId(),
                    citation.chunkId());
        }
    }

    @EventHandler
    void on(ReplySent event, @org.axonframework.eventhandling.Timestamp Instant at) {
        updateReply(event.runId(), event.reply(), event.confidence(), null, at);
    }

    private void updateReply(String runId, String reply, double confidence, Boolean needsHuman, Instant at) {
        jdbc.update("""
                UPDATE ai_runs SET reply = ?, reply_hash = ?, reply_length = ?, confidence = ?,
                       needs_human = COALESCE(?, needs_human), updated_at = ?
                WHERE id = ?
                """, logContent.text(modeOf(runId), reply), LogContent.hash(reply), LogContent.length(reply), confidence,
                needsHuman, Timestamp.from(at), runId);
    }

    @EventHandler
    void on(ToolCallRequested event, @org.axonframework.eventhandling.Timestamp Instant at) {
        insertCall(event.tenantId(), event.runId(), event.callId(), event.tool(), event.args(), RunStatus.CALL_REQUESTED,
                PlannedCall.AWAIT_APPROVAL.equals(event.disposition()), event.reason(), at);
    }

    private void insertCall(String tenant, String runId, String callId, String tool, Map<String, Object> args,
                            String status, boolean requiresApproval, String reason, Instant at) {
        jdbc.update("""
                INSERT INTO ai_actions_log (call_id, tenant_id, run_id, position, tool_name, args, args_hash, status,
                                            requires_approval, reason, requested_at)
                VALUES (?, ?, ?, (SELECT count(*) FROM ai_actions_log WHERE tenant_id = ? AND run_id = ?), ?, ?::jsonb,
                        ?, ?, ?, ?, ?) ON CONFLICT (call_id) DO NOTHING
                """, callId, tenant, runId, tenant, runId, tool, logContent.json(modeOf(runId), args),
                ArgsHash.of(tool, args), status, requiresApproval, reason, Timestamp.from(at));
    }

    /** A replay's call, in the audit as what would have happened; it is no approval and never runs. */
    @EventHandler
    void on(ToolCallRehearsed event, @org.axonframework.eventhandling.Timestamp Instant at) {
        insertCall(event.tenantId(), event.runId(), event.callId(), event.tool(), event.args(), RunStatus.CALL_REHEARSED,
                false, event.disposition() + ": " + event.reason(), at);
    }

    @EventHandler
    void on(ToolCallRefused event) {
        jdbc.update("UPDATE ai_actions_log SET status = ?, reason = ? WHERE call_id = ?", RunStatus.CALL_REFUSED,
                event.reason(), event.callId());
    }

    @EventHandler
    void on(ToolCallApprovalRequested event, @org.axonframework.eventhandling.Timestamp Instant at) {
        jdbc.update("UPDATE ai_actions_log SET status = ?, args_hash = ?, deadline = ? WHERE call_id = ?",
                RunStatus.CALL_AWAITING_APPROVAL, event.argsHash(),
                event.deadline() == null ? null : Timestamp.from(event.deadline()), event.callId());
        refreshRunStatus(event.runId(), at);
    }

    @EventHandler
    void on(ToolCallApproved event, @org.axonframework.eventhandling.Timestamp Instant at) {
        jdbc.update("""
                UPDATE ai_actions_log SET status = ?, approved_by_user_id = ?, decided_by = ?, decided_at = ?
                WHERE call_id = ?
                """, RunStatus.CALL_APPROVED, event.by(), event.by(), Timestamp.from(at), event.callId());
        refreshRunStatus(event.runId(), at);
    }

    @EventHandler
    void on(ToolCallRejected event, @org.axonframework.eventhandling.Timestamp Instant at) {
        jdbc.update("UPDATE ai_actions_log SET status = ?, decided_by = ?, decided_at = ?, reason = ? WHERE call_id = ?",
                RunStatus.CALL_REJECTED, event.by(), Timestamp.from(at),
                logContent.text(modeOf(event.runId()), event.reason()), event.callId());
        refreshRunStatus(event.runId(), at);
    }

    @EventHandler
    void on(ToolCallExpired event, @org.axonframework.eventhandling.Timestamp Instant at) {
        jdbc.update("UPDATE ai_actions_log SET status = ?, decided_at = ?, reason = ? WHERE call_id = ?",
                RunStatus.CALL_EXPIRED, Timestamp.from(at), "no admin decided before the deadline", event.callId());
        refreshRunStatus(event.runId(), at);
    }

    @EventHandler
    void on(ToolCallExecuted event) {
        jdbc.update("UPDATE ai_actions_log SET status = ?, result = ?::jsonb, success = true WHERE call_id = ?",
                RunStatus.CALL_EXECUTED, logContent.json(modeOf(event.runId()), event.result()), event.callId());
    }

    @EventHandler
    void on(ToolCallFailed event) {
        jdbc.update("UPDATE ai_actions_log SET status = ?, error = ?, success = false WHERE call_id = ?",
                RunStatus.CALL_FAILED, logContent.text(modeOf(event.runId()), event.error()), event.callId());
    }

    @EventHandler
    void on(HandedOffToHuman event, @org.axonframework.eventhandling.Timestamp Instant at) {
        jdbc.update("UPDATE ai_runs SET handoff_reason = ?, needs_human = true, updated_at = ? WHERE id = ?",
                event.reason(), Timestamp.from(at), event.runId());
    }

    @EventHandler
    void on(RunCompleted event, @org.axonframework.eventhandling.Timestamp Instant at) {
        jdbc.update("""
                UPDATE ai_runs SET status = CASE WHEN handoff_reason IS NULL THEN ? ELSE ? END, updated_at = ?,
                       ended_at = ?
                WHERE id = ?
                """, RunStatus.COMPLETED, RunStatus.ESCALATED, Timestamp.from(at), Timestamp.from(at), event.runId());
    }

    @EventHandler
    void on(RunFailed event, @org.axonframework.eventhandling.Timestamp Instant at) {
        jdbc.update("UPDATE ai_runs SET status = ?, failure_kind = ?, updated_at = ?, ended_at = ? WHERE id = ?",
                RunStatus.FAILED, event.kind().wire(), Timestamp.from(at), Timestamp.from(at), event.runId());
    }

    /**
     * The contact's key is gone: what the audit kept of their words and their calls' data goes with it, leaving the
     * rows as a rebuild from the now erased events makes them.
     */
    @EventHandler
    void on(DraftReviewed event, @org.axonframework.eventhandling.Timestamp Instant at) {
        jdbc.update("UPDATE ai_runs SET draft_outcome = ?, draft_reviewed_by = ?, draft_reviewed_at = ?, "
                        + "draft_feedback = COALESCE(?, draft_feedback) WHERE id = ?", event.outcome().wire(), event.by(),
                Timestamp.from(at), logContent.text(modeOf(event.runId()), event.reason()), event.runId());
    }

    @EventHandler
    void on(DraftRated event, @org.axonframework.eventhandling.Timestamp Instant at) {
        jdbc.update("UPDATE ai_runs SET draft_helpful = ?, draft_rated_by = ?, draft_rated_at = ?, "
                        + "draft_feedback = COALESCE(?, draft_feedback) WHERE id = ?", event.helpful(), event.by(), Timestamp.from(at),
                logContent.text(modeOf(event.runId()), event.reason()), event.runId());
    }

    @EventHandler
    void on(ContactErased event) {
        String runs = "SELECT r.id FROM ai_runs r JOIN ai_conversations c ON c.id = r.conversation_id "
                + "AND c.tenant_id = r.tenant_id WHERE r.tenant_id = ? AND c.contact_id = ?";
        jdbc.update("UPDATE ai_runs SET input = ?, input_length = NULL, reply_hash = NULL, reply_length = NULL, "
                        + "draft_feedback = CASE WHEN draft_feedback IS NULL THEN NULL ELSE ? END, "
                        + "reply = CASE WHEN reply IS NULL THEN NULL ELSE ? END, "
                        + "output_json = CASE WHEN output_json IS NULL THEN NULL ELSE ? END WHERE id IN (" + runs + ")",
                PersonalData.ERASED, PersonalData.ERASED, PersonalData.ERASED, PersonalData.ERASED, event.tenantId(),
                event.contactId());
        jdbc.update("UPDATE ai_actions_log SET args = ?::jsonb, result = CASE WHEN result IS NULL THEN NULL "
                        + "ELSE ?::jsonb END, error = CASE WHEN error IS NULL THEN NULL ELSE ? END, "
                        + "reason = CASE WHEN status = ? THEN ? ELSE reason END WHERE run_id IN (" + runs + ")",
                write(ERASED_OBJECT), write(ERASED_OBJECT), PersonalData.ERASED, RunStatus.CALL_REJECTED,
                PersonalData.ERASED, event.tenantId(), event.contactId());
        // a call's hash is of its arguments as the read model has them, but for an approval's, which its event keeps
        jdbc.queryForList("SELECT call_id, tool_name FROM ai_actions_log WHERE NOT requires_approval AND run_id IN ("
                + runs + ")", event.tenantId(), event.contactId()).forEach(call -> jdbc.update(
                "UPDATE ai_actions_log SET args_hash = ? WHERE call_id = ?",
                ArgsHash.of((String) call.get("tool_name"), ERASED_OBJECT), call.get("call_id")));
    }

    /** The run's texts follow the mode they started under, so one run is never kept half one way and half another. */
    private String modeOf(String runId) {
        List<String> found = jdbc.queryForList("SELECT log_content FROM ai_runs WHERE id = ?", String.class, runId);
        return found.isEmpty() || found.get(0) == null ? Redaction.REDACTED : found.get(0);
    }


    /** A run waits for approval while any of its calls does; an ended run keeps its final status. */
    private void refreshRunStatus(String runId, Instant at) {
        jdbc.update("""
                UPDATE ai_runs SET updated_at = ?, status = CASE
                    WHEN status IN (?, ?, ?) THEN status
                    WHEN EXISTS (SELECT 1 FROM ai_actions_log a WHERE a.tenant_id = ai_runs.tenant_id
                                 AND a.run_id = ai_runs.id AND a.status = ?) THEN ?
                    ELSE ? END
                WHERE id = ?
                """, Timestamp.from(at), RunStatus.COMPLETED, RunStatus.ESCALATED, RunStatus.FAILED,
                RunStatus.CALL_AWAITING_APPROVAL, RunStatus.AWAITING_APPROVAL, RunStatus.RUNNING, runId);
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a run's JSON", e);
        }
    }
}
