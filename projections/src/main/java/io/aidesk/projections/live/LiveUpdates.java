package io.aidesk.projections.live;

import io.aidesk.api.agentrun.RunEvents.RunStarted;
import io.aidesk.api.agentrun.RunModes;
import io.aidesk.api.agentrun.RunEvents.ToolCallApprovalRequested;
import io.aidesk.api.agentrun.RunEvents.ToolCallApproved;
import io.aidesk.api.agentrun.RunEvents.ToolCallExecuted;
import io.aidesk.api.agentrun.RunEvents.ToolCallExpired;
import io.aidesk.api.agentrun.RunEvents.ToolCallFailed;
import io.aidesk.api.agentrun.RunEvents.ToolCallRejected;
import io.aidesk.api.live.LiveNotice;
import io.aidesk.api.live.LiveQueries.WatchChanges;
import io.aidesk.api.live.LiveTopic;
import io.aidesk.api.tenancy.MetadataKeys;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;


/**
 * Tells the subscribers of {@link WatchChanges} what changed, from every event of the aggregates a screen shows. A
 * subscribing processor: it runs in the transaction that stores the event, after the read models' own handlers may or
 * may not have run, but Postgres delivers the notification only once that transaction commits, so a subscriber that
 * reads the record then sees the change; every node hears it. Only the tenant's own subscribers are told.
 */
@Component
@ProcessingGroup("live-updates")
class LiveUpdates {
    private final JdbcTemplate jdbc;

    LiveUpdates(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @EventHandler
    void on(Object event, EventMessage<?> message) {
        if (!(message instanceof DomainEventMessage<?> domain) || !(message.getMetaData().get(MetadataKeys.TENANT_ID)
                instanceof String tenant)) {
            return;
        }
        String id = domain.getAggregateIdentifier();
        String what = message.getPayloadType().getSimpleName();
        switch (domain.getType()) {
            case "Conversation" -> emit(tenant, LiveTopic.CONVERSATIONS, id, what);
            case "KnowledgeSource" -> emit(tenant, LiveTopic.SOURCES, id, what);
            case "Replay" -> emit(tenant, LiveTopic.REPLAYS, id, what);
            case "AgentRun" -> {
                Run run = event instanceof RunStarted started ? new Run(started.mode(), started.conversationId())
                        : runOf(id);
                // a replay's rehearsals touch no conversation and no screen of the work done: its replay tells of them
                if (RunModes.REPLAY.equals(run.mode())) {
                    return;
                }
                emit(tenant, LiveTopic.RUNS, id, what);
                if (run.conversationId() != null) {
                    emit(tenant, LiveTopic.CONVERSATIONS, run.conversationId(), what);
                }
                String call = approvalCall(event);
                if (call != null) {
                    emit(tenant, LiveTopic.APPROVALS, call, what);
                }
            }
            default -> {
            }
        }
    }

    private record Run(String mode, String conversationId) {
    }

    private Run runOf(String runId) {
        return jdbc.query("SELECT mode, conversation_id FROM ai_runs WHERE id = ?", (rs, n) -> new Run(
                rs.getString("mode"), rs.getString("conversation_id")), runId).stream().findFirst()
                .orElse(new Run(null, null));
    }

    /** The call whose approval moved, for the approvals inbox; null for every other event. */
    private static String approvalCall(Object event) {
        if (event instanceof ToolCallApprovalRequested e) {
            return e.callId();
        } else if (event instanceof ToolCallApproved e) {
            return e.callId();
        } else if (event instanceof ToolCallRejected e) {
            return e.callId();
        } else if (event instanceof ToolCallExpired e) {
            return e.callId();
        } else if (event instanceof ToolCallExecuted e) {
            return e.callId();
        } else if (event instanceof ToolCallFailed e) {
            return e.callId();
        }
        return null;
    }

    /** A notification, sent by Postgres once the transaction commits, to every node (query-side/live/LiveListener). */
    private void emit(String tenant, LiveTopic topic, String id, String what) {
        jdbc.queryForList(LiveNotice.NOTIFY_SQL, String.class, LiveNotice.encode(tenant, topic, id, what));
    }
}
