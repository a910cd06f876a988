package io.aidesk.ingestion.sync;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.exceptions.TaskInstanceNotFoundException;
import com.github.kagkarlsson.scheduler.task.TaskInstanceId;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import io.aidesk.api.knowledge.KnowledgeEvents.SourceConfigChanged;
import io.aidesk.api.knowledge.KnowledgeEvents.SourceDeleted;
import io.aidesk.api.knowledge.KnowledgeEvents.SourceRegistered;
import io.aidesk.api.knowledge.KnowledgeEvents.SyncCancelled;
import io.aidesk.api.knowledge.KnowledgeEvents.SyncCompleted;
import io.aidesk.api.knowledge.KnowledgeEvents.SyncFailed;
import io.aidesk.api.knowledge.KnowledgeEvents.SyncRequested;
import io.aidesk.api.knowledge.KnowledgeQueries.Schedule;
import io.aidesk.api.knowledge.SourceType;
import io.aidesk.api.knowledge.SyncEvery;
import io.aidesk.api.live.LiveNotice;
import io.aidesk.api.live.LiveTopic;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.Timestamp;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Keeps each URL source's re-sync schedule (ai_kb_sync_schedule) and its db-scheduler execution (ResyncTask): the
 * next sync is due its interval after the last one ended. Failed syncs in a row back it off, doubling the wait up to
 * {@link Schedule#MAX_WAIT_FACTOR} times the interval, and the source says why; a sync that ends well resets it.
 */
@Component
@ProcessingGroup(ResyncSchedule.PROCESSING_GROUP)
class ResyncSchedule {
    static final String PROCESSING_GROUP = "knowledge-schedule";

    private final JdbcTemplate jdbc;
    private final SchedulerClient scheduler;
    private final OneTimeTask<ResyncTask.Due> task;

    ResyncSchedule(JdbcTemplate jdbc, SchedulerClient scheduler, OneTimeTask<ResyncTask.Due> knowledgeResyncTask) {
        this.jdbc = jdbc;
        this.scheduler = scheduler;
        this.task = knowledgeResyncTask;
    }

    @EventHandler
    void on(SourceRegistered event) {
        if (SourceType.URL.equals(event.type())) {
            // its first sync is already queued: the schedule starts when it ends
            jdbc.update("""
                    INSERT INTO ai_kb_sync_schedule (source_id, tenant_id, every_seconds, syncing) VALUES (?, ?, ?, TRUE)
                    ON CONFLICT (source_id) DO NOTHING
                    """, event.sourceId(), event.tenantId(), seconds(event.config().syncEvery()));
        }
    }

    @EventHandler
    void on(SourceConfigChanged event) {
        jdbc.update("UPDATE ai_kb_sync_schedule SET every_seconds = ? WHERE source_id = ?",
                seconds(event.config().syncEvery()), event.sourceId());
        plan(event.tenantId(), event.sourceId());
        scheduled(event.tenantId(), event.sourceId());
    }

    @EventHandler
    void on(SyncRequested event) {
        jdbc.update("UPDATE ai_kb_sync_schedule SET syncing = TRUE WHERE source_id = ?", event.sourceId());
    }

    @EventHandler
    void on(SyncCompleted event, @Timestamp Instant at) {
        ended(event.tenantId(), event.sourceId(), at, "failures = 0, backoff = NULL", Map.of());
    }

    @EventHandler
    void on(SyncFailed event, @Timestamp Instant at) {
        ended(event.tenantId(), event.sourceId(), at, "failures = failures + 1", Map.of("reason", event.reason()));
    }

    @EventHandler
    void on(SyncCancelled event, @Timestamp Instant at) {
        ended(event.tenantId(), event.sourceId(), at, "failures = failures", Map.of());
    }

    @EventHandler
    void on(SourceDeleted event) {
        jdbc.update("DELETE FROM ai_kb_sync_schedule WHERE source_id = ?", event.sourceId());
        unschedule(event.sourceId());
    }

    private void ended(String tenant, String sourceId, Instant at, String failures, Map<String, String> failure) {
        jdbc.update("UPDATE ai_kb_sync_schedule SET syncing = FALSE, last_finished_at = ?, " + failures
                + " WHERE source_id = ?", java.sql.Timestamp.from(at), sourceId);
        List<Integer> inARow = jdbc.queryForList("SELECT failures FROM ai_kb_sync_schedule WHERE source_id = ?",
                Integer.class, sourceId);
        if (failure.containsKey("reason") && !inARow.isEmpty()) {
            int count = inARow.get(0);
            jdbc.update("UPDATE ai_kb_sync_schedule SET backoff = ? WHERE source_id = ?", count < 2 ? null
                    : count + " syncs in a row failed (the last: " + failure.get("reason") + "): the next waits "
                    + Schedule.waitFactor(count) + " times its interval", sourceId);
        }
        plan(tenant, sourceId);
        scheduled(tenant, sourceId);
    }

    /** The schedule is written after the source's own events: the knowledge screen hears of it here. */
    private void scheduled(String tenant, String sourceId) {
        jdbc.queryForList(LiveNotice.NOTIFY_SQL, String.class,
                LiveNotice.encode(tenant, LiveTopic.SOURCES, sourceId, "SyncScheduled"));
    }

    /** Sets the next sync of a source at rest, or takes it off when its schedule is off. */
    private void plan(String tenant, String sourceId) {
        List<Map<String, Object>> rows = jdbc.queryForList("""
                SELECT every_seconds, syncing, last_finished_at, failures FROM ai_kb_sync_schedule WHERE source_id = ?
                """, sourceId);
        if (rows.isEmpty()) {
            return;
        }
        Map<String, Object> row = rows.get(0);
        long every = ((Number) row.get("every_seconds")).longValue();
        if (Boolean.TRUE.equals(row.get("syncing")) || row.get("last_finished_at") == null) {
            return; // planned when the sync running ends
        }
        if (every == 0) {
            jdbc.update("UPDATE ai_kb_sync_schedule SET next_at = NULL WHERE source_id = ?", sourceId);
            unschedule(sourceId);
            return;
        }
        int failures = ((Number) row.get("failures")).intValue();
        long factor = Schedule.waitFactor(failures);
        Instant lastEnd = ((java.sql.Timestamp) row.get("last_finished_at")).toInstant();
        Instant next = lastEnd.plus(Duration.ofSeconds(every).multipliedBy(factor));
        jdbc.update("UPDATE ai_kb_sync_schedule SET next_at = ? WHERE source_id = ?", java.sql.Timestamp.from(next),
                sourceId);
        scheduler.schedule(task.instance(sourceId, new ResyncTask.Due(tenant, sourceId)), next,
                SchedulerClient.ScheduleOptions.WHEN_EXISTS_RESCHEDULE);
    }

    /** Takes the source's next sync off, if it has one (a file source, or a schedule turned off, has none). */
    private void unschedule(String sourceId) {
        TaskInstanceId due = TaskInstanceId.of(ResyncTask.NAME, sourceId);
        if (scheduler.getScheduledExecution(due).isPresent()) {
            try {
                scheduler.cancel(due);
            } catch (TaskInstanceNotFoundException ranMeanwhile) {
                // it ran between the look and the cancel: nothing is left to take off
            }
        }
    }

    private static long seconds(String syncEvery) {
        return SyncEvery.parse(syncEvery).map(Duration::toSeconds).orElse(0L);
    }
}
