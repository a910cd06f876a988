package io.aidesk.projections.metrics;

import io.aidesk.api.agentrun.RunEvents.DecisionFailed;
import io.aidesk.api.agentrun.RunEvents.DecisionRecorded;
import io.aidesk.api.agentrun.RunEvents.HandedOffToHuman;
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
import io.aidesk.api.decision.DecisionUsage;
import io.aidesk.api.knowledge.KnowledgeEvents.SyncCancelled;
import io.aidesk.api.knowledge.KnowledgeEvents.SyncCompleted;
import io.aidesk.api.knowledge.KnowledgeEvents.SyncFailed;
import io.aidesk.api.knowledge.SyncCounts;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.time.Duration;

/**
 * The AI's counters and timers for /actuator/prometheus, from the events as each node records them (a subscribing
 * processor: Prometheus adds the nodes up). No tenant tag: its cardinality is not bounded by configuration.
 */
@Component
@ProcessingGroup("ai-metrics")
class AiMetrics {
    private final MeterRegistry meters;
    private final JdbcTemplate jdbc;

    AiMetrics(MeterRegistry meters, JdbcTemplate jdbc) {
        this.meters = meters;
        this.jdbc = jdbc;
    }

    @EventHandler
    void on(RunStarted event) {
        meters.counter("aidesk.runs.started", "mode", event.mode()).increment();
    }

    /** A run that handed over ends completed too; the read model, written before this, says it escalated. */
    @EventHandler
    void on(RunCompleted event) {
        String status = jdbc.queryForList("SELECT status FROM ai_runs WHERE id = ?", String.class, event.runId())
                .stream().findFirst().orElse("completed");
        meters.counter("aidesk.runs.ended", "mode", event.mode(), "outcome",
                "escalated".equals(status) ? "escalated" : "completed").increment();
    }

    @EventHandler
    void on(RunFailed event) {
        meters.counter("aidesk.runs.ended", "mode", event.mode(), "outcome", "failed").increment();
    }

    @EventHandler
    void on(DecisionRecorded event) {
        DecisionUsage usage = event.usage();
        String model = usage == null || usage.model() == null ? "unknown" : usage.model();
        meters.counter("aidesk.decisions", "model", model, "outcome", "recorded").increment();
        if (usage != null) {
            Timer.builder("aidesk.decision.latency").tag("model", model).register(meters)
                    .record(Duration.ofMillis(usage.latencyMs()));
            meters.counter("aidesk.decision.tokens", "model", model, "direction", "in").increment(usage.tokensIn());
            meters.counter("aidesk.decision.tokens", "model", model, "direction", "out").increment(usage.tokensOut());
            meters.counter("aidesk.decision.cost.usd", "model", model).increment(usage.costEstimateUsd());
        }
    }

    @EventHandler
    void on(DecisionFailed event) {
        meters.counter("aidesk.decisions", "model", event.model() == null ? "unknown" : event.model(), "outcome",
                "failed", "kind", event.kind() == null ? "unrecorded" : event.kind()).increment();
    }

    @EventHandler
    void on(ToolCallExecuted event) {
        toolCall(event.tool(), "executed");
    }

    @EventHandler
    void on(ToolCallFailed event) {
        toolCall(event.tool(), "failed");
    }

    @EventHandler
    void on(ToolCallRefused event) {
        toolCall(event.tool(), "refused");
    }

    @EventHandler
    void on(ToolCallApprovalRequested event) {
        toolCall(event.tool(), "awaiting_approval");
        approval(event.tool(), "requested");
    }

    @EventHandler
    void on(ToolCallApproved event) {
        approval(event.tool(), "approved");
    }

    @EventHandler
    void on(ToolCallRejected event) {
        toolCall(event.tool(), "rejected");
        approval(event.tool(), "rejected");
    }

    @EventHandler
    void on(ToolCallExpired event) {
        toolCall(event.tool(), "expired");
        approval(event.tool(), "expired");
    }

    @EventHandler
    void on(HandedOffToHuman event) {
        meters.counter("aidesk.handovers", "reason", event.reason() == null ? "unrecorded" : event.reason()).increment();
    }

    @EventHandler
    void on(SyncCompleted event) {
        sync("completed", event.counts());
    }

    @EventHandler
    void on(SyncFailed event) {
        sync("failed", event.counts());
    }

    @EventHandler
    void on(SyncCancelled event) {
        meters.counter("aidesk.syncs", "outcome", "cancelled").increment();
    }

    private void toolCall(String tool, String status) {
        meters.counter("aidesk.tool.calls", "tool", tool, "status", status).increment();
    }

    private void approval(String tool, String decision) {
        meters.counter("aidesk.approvals", "tool", tool, "decision", decision).increment();
    }

    private void sync(String outcome, SyncCounts counts) {
        meters.counter("aidesk.syncs", "outcome", outcome).increment();
        if (counts != null) {
            Timer.builder("aidesk.sync.duration").tag("outcome", outcome).register(meters)
                    .record(Duration.ofMillis(counts.durationMs()));
            meters.counter("aidesk.sync.pages").increment(counts.fetched());
            meters.counter("aidesk.sync.chunks", "kind", "new").increment(counts.newChunks());
            meters.counter("aidesk.sync.chunks", "kind", "removed").increment(counts.removedChunks());
        }
    }
}
