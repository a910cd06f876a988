package io.aidesk.projections.replay;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aidesk.api.replay.ReplayEvents.ReplayCancelled;
import io.aidesk.api.replay.ReplayEvents.ReplayCompleted;
import io.aidesk.api.replay.ReplayEvents.ReplayItemReplayed;
import io.aidesk.api.replay.ReplayEvents.ReplayStarted;
import io.aidesk.api.replay.ReplayItem;
import io.aidesk.api.replay.ReplayStatus;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.Timestamp;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;

/** Keeps ai_replays and ai_replay_items: each replay, its items, and for each one replayed what differs. */
@Component
@ProcessingGroup(ReplayProjection.PROCESSING_GROUP)
class ReplayProjection {
    static final String PROCESSING_GROUP = "replays";

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;

    ReplayProjection(JdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    @EventHandler
    void on(ReplayStarted event, @Timestamp Instant at) {
        jdbc.update("""
                INSERT INTO ai_replays (replay_id, tenant_id, status, description, selection, model, current, proposed,
                                        items, requested_by, started_at)
                VALUES (?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?, ?, ?) ON CONFLICT DO NOTHING
                """, event.replayId(), event.tenantId(), ReplayStatus.RUNNING.wire(), event.description(),
                event.selection() == null ? "" : event.selection(), event.model(), write(event.current()),
                write(event.proposed()), event.items().size(), event.requestedBy(), java.sql.Timestamp.from(at));
        List<ReplayItem> items = event.items();
        jdbc.batchUpdate("""
                INSERT INTO ai_replay_items (tenant_id, replay_id, idx, conversation_id, message_id, original_run_id,
                                             question)
                VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING
                """, IntStream.range(0, items.size()).mapToObj(i -> new Object[]{event.tenantId(),
                event.replayId(), i, items.get(i).conversationId(), items.get(i).messageId(),
                items.get(i).originalRunId(), items.get(i).question()}).toList());
    }

    @EventHandler
    void on(ReplayItemReplayed event, @Timestamp Instant at) {
        jdbc.update("""
                UPDATE ai_replay_items SET replay_run_id = ?, original = ?::jsonb, replayed = ?::jsonb,
                       differences = ?::jsonb, outcome_changed = ?, replayed_at = ?
                WHERE replay_id = ? AND idx = ?
                """, event.replayRunId(), write(event.original()), write(event.replayed()), write(event.differences()),
                event.differences().contains("outcome"), java.sql.Timestamp.from(at), event.replayId(), event.index());
    }

    @EventHandler
    void on(ReplayCompleted event, @Timestamp Instant at) {
        end(event.replayId(), ReplayStatus.COMPLETED, at);
    }

    @EventHandler
    void on(ReplayCancelled event, @Timestamp Instant at) {
        end(event.replayId(), ReplayStatus.CANCELLED, at);
    }

    private void end(String replayId, ReplayStatus status, Instant at) {
        jdbc.update("UPDATE ai_replays SET status = ?, ended_at = ? WHERE replay_id = ?", status.wire(),
                java.sql.Timestamp.from(at), replayId);
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a replay's JSON", e);
        }
    }
}
