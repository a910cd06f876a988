package io.aidesk.webhooks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aidesk.api.agentrun.PinnedCitation;
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
import io.aidesk.api.knowledge.KnowledgeEvents.SyncCompleted;
import io.aidesk.api.knowledge.KnowledgeEvents.SyncFailed;
import io.aidesk.api.knowledge.SyncCounts;
import io.aidesk.api.tenancy.MetadataKeys;
import io.aidesk.api.tools.ToolNames;
import io.aidesk.api.webhook.WebhookEventType;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The transactional outbox: a tracking processor over the event store turns the events a CRM can subscribe to into
 * one delivery per subscribed endpoint, in the transaction that moves its token, so each event is queued exactly once
 * (and again with the same webhook-id after a replay, which the unique key drops). The workers deliver them.
 */
@Component
@ProcessingGroup(WebhookOutbox.PROCESSOR)
class WebhookOutbox {
    static final String PROCESSOR = "webhooks";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the outbox knows of a run: later events of it name neither its conversation nor its contact. */
    private record Run(String runId, String conversationId, String contactId, String mode) {
    }

    private final JdbcTemplate jdbc;
    private final WebhookDispatcher dispatcher;

    WebhookOutbox(JdbcTemplate jdbc, WebhookDispatcher dispatcher) {
        this.jdbc = jdbc;
        this.dispatcher = dispatcher;
    }

    @EventHandler
    void on(RunStarted event, @org.axonframework.eventhandling.Timestamp Instant at) {
        if (RunModes.REPLAY.equals(event.mode())) {
            return; // a rehearsal: the CRM hears of none of its steps
        }
        // a copilot run names no contact: its conversation's is the one an erasure blanks its deliveries for
        String contact = event.contactId() != null || event.conversationId() == null ? event.contactId()
                : jdbc.queryForList("SELECT contact_id FROM ai_conversations WHERE id = ?", String.class,
                        event.conversationId()).stream().findFirst().orElse(null);
        jdbc.update("""
                INSERT INTO ai_webhook_runs (run_id, tenant_id, conversation_id, contact_id, mode, started_at)
                VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (run_id) DO NOTHING
                """, event.runId(), event.tenantId(), event.conversationId(), contact, event.mode(),
                Timestamp.from(at));
    }

    @EventHandler
    void on(ReplyDrafted event, EventMessage<?> message) {
        // the autopilot's reply is ready when it is sent (ReplySent); the copilot's when it is drafted
        run(event.runId()).filter(run -> RunModes.COPILOT.equals(run.mode())).ifPresent(run -> enqueue(message,
                WebhookEventType.REPLY_READY, run, data -> {
                    data.put("reply", event.reply());
                    data.put("citations", citations(event.citations()));
                    data.put("confidence", event.confidence());
                    data.put("needs_human", event.needsHuman());
                }));
    }

    @EventHandler
    void on(ReplySent event, EventMessage<?> message) {
        run(event.runId()).ifPresent(run -> enqueue(message, WebhookEventType.REPLY_READY, run, data -> {
            data.put("message_id", event.messageId());
            data.put("reply", event.reply());
            data.put("citations", citations(event.citations()));
            data.put("confidence", event.confidence());
        }));
    }

    @EventHandler
    void on(RunCompleted event, EventMessage<?> message) {
        run(event.runId()).ifPresent(run -> enqueue(message, WebhookEventType.RUN_COMPLETED, run, data -> {
        }));
    }

    @EventHandler
    void on(RunFailed event, EventMessage<?> message) {
        run(event.runId()).ifPresent(run -> enqueue(message, WebhookEventType.RUN_FAILED, run,
                data -> data.put("failure_kind", event.kind().wire())));
    }

    @EventHandler
    void on(HandedOffToHuman event, EventMessage<?> message) {
        run(event.runId()).ifPresent(run -> enqueue(message, WebhookEventType.HANDOFF_REQUESTED, run, data -> {
            data.put("reason", event.reason());
            data.put("summary", event.summary());
        }));
    }

    @EventHandler
    void on(ToolCallApprovalRequested event, EventMessage<?> message) {
        run(event.runId()).ifPresent(run -> enqueue(message, WebhookEventType.APPROVAL_REQUESTED, run, data -> {
            call(data, event.callId(), event.tool());
            data.put("args", event.args());
            data.put("args_hash", event.argsHash());
            data.put("deadline", event.deadline() == null ? null : event.deadline().toString());
        }));
    }

    @EventHandler
    void on(ToolCallApproved event, EventMessage<?> message) {
        decided(message, event.runId(), event.callId(), event.tool(), "approved", event.by(), null);
    }

    @EventHandler
    void on(ToolCallRejected event, EventMessage<?> message) {
        decided(message, event.runId(), event.callId(), event.tool(), "rejected", event.by(), event.reason());
    }

    @EventHandler
    void on(ToolCallExpired event, EventMessage<?> message) {
        decided(message, event.runId(), event.callId(), event.tool(), "expired", null, null);
    }

    @EventHandler
    void on(ToolCallExecuted event, EventMessage<?> message) {
        run(event.runId()).ifPresent(run -> {
            enqueue(message, WebhookEventType.TOOL_CALL_EXECUTED, run, data -> {
                call(data, event.callId(), event.tool());
                data.put("result", event.result());
            });
            if (ToolNames.CREATE_TICKET.equals(event.tool())) {
                enqueue(message, WebhookEventType.TICKET_CREATED, run, data -> {
                    call(data, event.callId(), event.tool());
                    data.put("ticket", event.result());
                });
            }
        });
    }

    @EventHandler
    void on(SyncCompleted event, EventMessage<?> message) {
        enqueue(message, WebhookEventType.SYNC_COMPLETED, event.tenantId(), "source:" + event.sourceId(), null, data -> {
            data.put("source_id", event.sourceId());
            data.put("sync_id", event.syncId());
            data.put("counts", counts(event.counts()));
        });
    }

    @EventHandler
    void on(SyncFailed event, EventMessage<?> message) {
        enqueue(message, WebhookEventType.SYNC_FAILED, event.tenantId(), "source:" + event.sourceId(), null, data -> {
            data.put("source_id", event.sourceId());
            data.put("sync_id", event.syncId());
            data.put("reason", event.reason());
            data.put("counts", counts(event.counts()));
        });
    }

    private void decided(EventMessage<?> message, String runId, String callId, String tool, String decision, String by,
                         String reason) {
        run(runId).ifPresent(run -> enqueue(message, WebhookEventType.APPROVAL_DECIDED, run, data -> {
            call(data, callId, tool);
            data.put("decision", decision);
            data.put("decided_by", by);
            data.put("reason", reason);
        }));
    }

    private Optional<Run> run(String runId) {
        return jdbc.query("SELECT run_id, conversation_id, contact_id, mode FROM ai_webhook_runs WHERE run_id = ?",
                (row, i) -> new Run(row.getString(1), row.getString(2), row.getString(3), row.getString(4)), runId)
                .stream().findFirst();
    }

    private void enqueue(EventMessage<?> message, WebhookEventType type, Run run,
                         Consumer<Map<String, Object>> details) {
        String tenant = String.valueOf(message.getMetaData().get(MetadataKeys.TENANT_ID));
        String lane = run.conversationId() == null ? "run:" + run.runId() : "conversation:" + run.conversationId();
        enqueue(message, type, tenant, lane, run.contactId(), data -> {
            data.put("run_id", run.runId());
            data.put("mode", run.mode());
            data.put("conversation_id", run.conversationId());
            data.put("contact_id", run.contactId());
            details.accept(data);
        });
    }

    private void enqueue(EventMessage<?> message, WebhookEventType type, String tenant, String lane, String contactId,
                         Consumer<Map<String, Object>> details) {
        Instant at = message.getTimestamp();
        List<String> endpoints = jdbc.queryForList("""
                SELECT endpoint_id FROM ai_webhook_endpoints
                WHERE status = 'active' AND ? = ANY (event_types) AND created_at <= ?
                """, String.class, type.wire(), Timestamp.from(at));
        if (endpoints.isEmpty()) {
            return;
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("tenant_id", tenant);
        details.accept(data);
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("type", type.wire());
        payload.put("timestamp", at.toString());
        payload.put("data", data);
        String body;
        try {
            body = JSON.writeValueAsString(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a webhook payload of " + type.wire() + " cannot be written", e);
        }
        for (String endpoint : endpoints) {
            jdbc.update("""
                    INSERT INTO ai_webhook_deliveries (delivery_id, tenant_id, endpoint_id, event_id, event_type, lane,
                                                       contact_id, payload, status, next_attempt_at, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?::jsonb, 'pending', now(), now())
                    ON CONFLICT (endpoint_id, event_id, event_type) DO NOTHING
                    """, deliveryId(endpoint, message.getIdentifier(), type), tenant, endpoint, message.getIdentifier(),
                    type.wire(), lane, contactId, body);
        }
        wakeTheDispatcherAfterCommit();
    }

    /** The same for the same event and endpoint, so a replayed event is recognised (and a receiver can dedupe). */
    static String deliveryId(String endpointId, String eventId, WebhookEventType type) {
        return "msg_" + UUID.nameUUIDFromBytes((endpointId + "|" + eventId + "|" + type.wire())
                .getBytes(StandardCharsets.UTF_8)).toString().replace("-", "");
    }

    private void wakeTheDispatcherAfterCommit() {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    dispatcher.wake();
                }
            });
        } else {
            dispatcher.wake();
        }
    }

    private static void call(Map<String, Object> data, String callId, String tool) {
        data.put("call_id", callId);
        data.put("tool", tool);
    }

    private static List<Map<String, Object>> citations(List<PinnedCitation> citations) {
        return citations == null ? List.of() : citations.stream().map(citation -> {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("chunk_id", citation.chunkId());
            one.put("title", citation.title());
            one.put("url", citation.url());
            one.put("snippet", citation.snippet());
            return one;
        }).toList();
    }

    private static Map<String, Object> counts(SyncCounts counts) {
        if (counts == null) {
            return null;
        }
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("fetched", counts.fetched());
        map.put("new_chunks", counts.newChunks());
        map.put("unchanged_chunks", counts.unchangedChunks());
        map.put("removed_chunks", counts.removedChunks());
        map.put("errors", counts.errors());
        map.put("duration_ms", counts.durationMs());
        return map;
    }
}
