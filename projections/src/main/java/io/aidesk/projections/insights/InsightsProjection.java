package io.aidesk.projections.insights;

import io.aidesk.api.agentrun.RunEvents.DecisionFailed;
import io.aidesk.api.agentrun.RunEvents.DecisionRecorded;
import io.aidesk.api.agentrun.RunEvents.DraftRated;
import io.aidesk.api.agentrun.RunEvents.DraftReviewed;
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
import io.aidesk.api.agentrun.RunEvents.ToolCallRejected;
import io.aidesk.api.agentrun.RunModes;
import io.aidesk.api.conversation.Channels;
import io.aidesk.api.conversation.ConversationEvents.MessagePosted;
import io.aidesk.api.decision.DecisionUsage;
import io.aidesk.api.tools.ToolNames;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.Timestamp;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.time.Instant;

/**
 * Keeps ai_insight_runs and ai_insight_approvals: what each copilot and autopilot run came to, and each approval, in
 * figures only. Replay runs are rehearsals, not work done, and are left out.
 */
@Component
@ProcessingGroup(InsightsProjection.PROCESSING_GROUP)
class InsightsProjection {
    static final String PROCESSING_GROUP = "insights";
    /** A customer writing again this soon after an autopilot reply means the reply did not resolve it. */
    static final Duration REOPEN_WINDOW = Duration.ofHours(24);

    private final JdbcTemplate jdbc;

    InsightsProjection(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @EventHandler
    void on(RunStarted event, @Timestamp Instant at) {
        if (!RunModes.COPILOT.equals(event.mode()) && !RunModes.AUTOPILOT.equals(event.mode())) {
            return;
        }
        jdbc.update("""
                INSERT INTO ai_insight_runs (tenant_id, run_id, conversation_id, mode, started_at, outcome)
                VALUES (?, ?, ?, ?, ?, 'running') ON CONFLICT DO NOTHING
                """, event.tenantId(), event.runId(), event.conversationId(), event.mode(), ts(at));
    }

    @EventHandler
    void on(DecisionRecorded event) {
        DecisionUsage usage = event.usage();
        jdbc.update("""
                UPDATE ai_insight_runs SET intent = ?, confidence = ?, model = ?, tokens_in = ?, tokens_out = ?,
                       cost_usd = ?, threshold = ?
                WHERE tenant_id = ? AND run_id = ?
                """, event.decision().intent(), event.decision().confidence(), usage == null ? null : usage.model(),
                usage == null ? null : usage.tokensIn(), usage == null ? null : usage.tokensOut(),
                usage == null ? null : usage.costEstimateUsd(),
                event.settings() == null ? null : event.settings().confidenceThreshold(), event.tenantId(), event.runId());
    }

    @EventHandler
    void on(DecisionFailed event) {
        jdbc.update("UPDATE ai_insight_runs SET model = ? WHERE tenant_id = ? AND run_id = ?", event.model(),
                event.tenantId(), event.runId());
    }

    @EventHandler
    void on(ReplyDrafted event, @Timestamp Instant at) {
        jdbc.update("""
                UPDATE ai_insight_runs SET drafted_at = COALESCE(drafted_at, ?), confidence = ?
                WHERE tenant_id = ? AND run_id = ?
                """, ts(at), event.confidence(), event.tenantId(), event.runId());
    }

    @EventHandler
    void on(ReplySent event, @Timestamp Instant at) {
        jdbc.update("UPDATE ai_insight_runs SET replied_at = ? WHERE tenant_id = ? AND run_id = ?", ts(at),
                event.tenantId(), event.runId());
    }

    @EventHandler
    void on(HandedOffToHuman event) {
        jdbc.update("UPDATE ai_insight_runs SET handoff_reason = ? WHERE tenant_id = ? AND run_id = ?", event.reason(),
                event.tenantId(), event.runId());
    }

    @EventHandler
    void on(ToolCallExecuted event) {
        if (ToolNames.CREATE_TICKET.equals(event.tool())) {
            jdbc.update("UPDATE ai_insight_runs SET tickets = tickets + 1 WHERE tenant_id = ? AND run_id = ?",
                    event.tenantId(), event.runId());
        }
    }

    @EventHandler
    void on(ToolCallApprovalRequested event, @Timestamp Instant at) {
        jdbc.update("""
                INSERT INTO ai_insight_approvals (tenant_id, run_id, call_id, tool, requested_at, decision)
                VALUES (?, ?, ?, ?, ?, 'pending') ON CONFLICT DO NOTHING
                """, event.tenantId(), event.runId(), event.callId(), event.tool(), ts(at));
    }

    @EventHandler
    void on(ToolCallApproved event, @Timestamp Instant at) {
        decide(event.tenantId(), event.runId(), event.callId(), "approved", at);
    }

    @EventHandler
    void on(ToolCallRejected event, @Timestamp Instant at) {
        decide(event.tenantId(), event.runId(), event.callId(), "rejected", at);
    }

    @EventHandler
    void on(ToolCallExpired event, @Timestamp Instant at) {
        decide(event.tenantId(), event.runId(), event.callId(), "expired", at);
    }

    private void decide(String tenant, String runId, String callId, String decision, Instant at) {
        jdbc.update("""
                UPDATE ai_insight_approvals SET decision = ?, decided_at = ?
                WHERE tenant_id = ? AND run_id = ? AND call_id = ? AND decision = 'pending'
                """, decision, ts(at), tenant, runId, callId);
    }

    @EventHandler
    void on(RunCompleted event, @Timestamp Instant at) {
        jdbc.update("""
                UPDATE ai_insight_runs SET ended_at = ?,
                       outcome = CASE WHEN handoff_reason IS NULL THEN 'completed' ELSE 'escalated' END
                WHERE tenant_id = ? AND run_id = ?
                """, ts(at), event.tenantId(), event.runId());
    }

    @EventHandler
    void on(RunFailed event, @Timestamp Instant at) {
        jdbc.update("UPDATE ai_insight_runs SET ended_at = ?, outcome = 'failed' WHERE tenant_id = ? AND run_id = ?",
                ts(at), event.tenantId(), event.runId());
    }

    @EventHandler
    void on(DraftReviewed event) {
        jdbc.update("UPDATE ai_insight_runs SET draft_outcome = ? WHERE tenant_id = ? AND run_id = ?",
                event.outcome().wire(), event.tenantId(), event.runId());
    }

    @EventHandler
    void on(DraftRated event) {
        jdbc.update("UPDATE ai_insight_runs SET draft_helpful = ? WHERE tenant_id = ? AND run_id = ?", event.helpful(),
                event.tenantId(), event.runId());
    }

    /** The customer wrote again within a day of an autopilot reply: that reply resolved nothing. */
    @EventHandler
    void on(MessagePosted event, @Timestamp Instant at) {
        if (!Channels.CUSTOMER.equals(event.sender())) {
            return;
        }
        jdbc.update("""
                UPDATE ai_insight_runs SET reopened = true
                WHERE tenant_id = ? AND conversation_id = ? AND mode = ? AND replied_at IS NOT NULL
                  AND replied_at < ? AND replied_at >= ?
                """, event.tenantId(), event.conversationId(), RunModes.AUTOPILOT, ts(at), ts(at.minus(REOPEN_WINDOW)));
    }

    private static java.sql.Timestamp ts(Instant at) {
        return java.sql.Timestamp.from(at);
    }
}
