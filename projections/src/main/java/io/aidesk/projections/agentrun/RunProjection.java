package io.aidesk.projections.agentrun;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aidesk.api.agentrun.PolicyOutcome.PlannedCall;
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
import io.aidesk.api.agentrun.RunEvents.ToolCallRequested;
import io.aidesk.api.agentrun.ArgsHash;
import io.aidesk.api.agentrun.RunStatus;
import io.aidesk.api.decision.Decision;
import io.aidesk.api.decision.DecisionUsage;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.time.Instant;

/**
 * Keeps ai_runs and ai_actions_log: every run with its decision and reply, every tool call with what the policy, the
 * approver and the CRM made of it. In the command's transaction, so a run's state is readable when its step commits.
 */
@Component
@ProcessingGroup(RunProjection.PROCESSING_GROUP)
class RunProjection {
    static final String PROCESSING_GROUP = "agent-runs";

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;

    RunProjection(JdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    @EventHandler
    void on(RunStarted event, @org.axonframework.eventhandling.Timestamp Instant at) {
        jdbc.update("""
                INSERT INTO ai_runs (id, tenant_id, conversation_id, message_id, mode, status, input, input_hash,
                                     started_by, started_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING
                """, event.runId(), event.tenantId(), event.conversationId(), event.messageId(), event.mode(),
                RunStatus.RUNNING, event.input(), event.inputHash(), event.startedBy(), Timestamp.from(at),
                Timestamp.from(at));
    }

    @EventHandler
    void on(DecisionRecorded event, @org.axonframework.eventhandling.Timestamp Instant at) {
        Decision decision = event.decision();
        DecisionUsage usage = event.usage();
        jdbc.update("""
                UPDATE ai_runs SET intent = ?, confidence = ?, needs_human = ?, missing_fields = ?::jsonb, reply = ?,
                       model = ?, tokens_in = ?, tokens_out = ?, latency_ms = ?, cost_estimate = ?, output_json = ?,
                       updated_at = ?
                WHERE id = ?
                """, decision.intent(), decision.confidence(), decision.needsHuman(), write(decision.missingFields()),
                decision.reply(), usage == null ? null : usage.model(), usage == null ? null : usage.tokensIn(),
                usage == null ? null : usage.tokensOut(), usage == null ? null : usage.latencyMs(),
                usage == null ? null : usage.costEstimateUsd(), event.rawOutput(), Timestamp.from(at), event.runId());
    }

    @EventHandler
    void on(DecisionFailed event, @org.axonframework.eventhandling.Timestamp Instant at) {
        jdbc.update("UPDATE ai_runs SET model = ?, latency_ms = ?, needs_human = true, updated_at = ? WHERE id = ?",
                event.model(), event.latencyMs(), Timestamp.from(at), event.runId());
    }

    @EventHandler
    void on(ReplyDrafted event, @org.axonframework.eventhandling.Timestamp Instant at) {
        jdbc.update("UPDATE ai_runs SET reply = ?, confidence = ?, needs_human = ?, updated_at = ? WHERE id = ?",
                event.reply(), event.confidence(), event.needsHuman(), Timestamp.from(at), event.runId());
    }

    @EventHandler
    void on(ReplySent event, @org.axonframework.eventhandling.Timestamp Instant at) {
        jdbc.update("UPDATE ai_runs SET reply = ?, confidence = ?, updated_at = ? WHERE id = ?",
                event.reply(), event.confidence(), Timestamp.from(at), event.runId());
    }

    @EventHandler
    void on(ToolCallRequested event, @org.axonframework.eventhandling.Timestamp Instant at) {
        jdbc.update("""
                INSERT INTO ai_actions_log (call_id, tenant_id, run_id, position, tool_name, args, args_hash, status,
                                            requires_approval, reason, requested_at)
                VALUES (?, ?, ?, (SELECT count(*) FROM ai_actions_log WHERE tenant_id = ? AND run_id = ?), ?, ?::jsonb,
                        ?, ?, ?, ?, ?) ON CONFLICT (call_id) DO NOTHING
                """, event.callId(), event.tenantId(), event.runId(), event.tenantId(), event.runId(), event.tool(),
                write(event.args()), ArgsHash.of(event.tool(), event.args()), RunStatus.CALL_REQUESTED,
                PlannedCall.AWAIT_APPROVAL.equals(event.disposition()), event.reason(), Timestamp.from(at));
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
                RunStatus.CALL_REJECTED, event.by(), Timestamp.from(at), event.reason(), event.callId());
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
                RunStatus.CALL_EXECUTED, write(event.result()), event.callId());
    }

    @EventHandler
    void on(ToolCallFailed event) {
        jdbc.update("UPDATE ai_actions_log SET status = ?, error = ?, success = false WHERE call_id = ?",
                RunStatus.CALL_FAILED, event.error(), event.callId());
    }

    @EventHandler
    void on(HandedOffToHuman event, @org.axonframework.eventhandling.Timestamp Instant at) {
        jdbc.update("UPDATE ai_runs SET handoff_reason = ?, needs_human = true, updated_at = ? WHERE id = ?",
                event.reason(), Timestamp.from(at), event.runId());
    }

    @EventHandler
    void on(RunCompleted event, @org.axonframework.eventhandling.Timestamp Instant at) {
        jdbc.update("""
                UPDATE ai_runs SET status = CASE WHEN handoff_reason IS NULL THEN ? ELSE ? END, updated_at = ?
                WHERE id = ?
                """, RunStatus.COMPLETED, RunStatus.ESCALATED, Timestamp.from(at), event.runId());
    }

    @EventHandler
    void on(RunFailed event, @org.axonframework.eventhandling.Timestamp Instant at) {
        jdbc.update("UPDATE ai_runs SET status = ?, updated_at = ? WHERE id = ?", RunStatus.FAILED, Timestamp.from(at),
                event.runId());
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
