package io.aidesk.projections.knowledge;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aidesk.api.knowledge.KnowledgeEvents.DocumentsIndexed;
import io.aidesk.api.knowledge.KnowledgeEvents.SourceConfigChanged;
import io.aidesk.api.knowledge.KnowledgeEvents.SourceDeleted;
import io.aidesk.api.knowledge.KnowledgeEvents.SourceRegistered;
import io.aidesk.api.knowledge.KnowledgeEvents.SyncCancelled;
import io.aidesk.api.knowledge.KnowledgeEvents.SyncCompleted;
import io.aidesk.api.knowledge.KnowledgeEvents.SyncFailed;
import io.aidesk.api.knowledge.KnowledgeEvents.SyncRequested;
import io.aidesk.api.knowledge.KnowledgeEvents.SyncStarted;
import io.aidesk.api.knowledge.KnowledgeQueries;
import io.aidesk.api.knowledge.SourceStatus;
import io.aidesk.api.knowledge.SyncCounts;
import io.aidesk.api.knowledge.SyncError;
import io.aidesk.api.knowledge.SyncTrigger;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

/**
 * Keeps ai_kb_sources (each source's status, sync progress, last sync counts and latest errors) and
 * ai_kb_sync_history (each source's latest syncs).
 */
@Component
@ProcessingGroup(KnowledgeSourceProjection.PROCESSING_GROUP)
class KnowledgeSourceProjection {
    static final String PROCESSING_GROUP = "knowledge-sources";
    /** The source page shows the latest errors, not thousands. */
    static final int MAX_ERRORS_KEPT = 50;

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;

    KnowledgeSourceProjection(JdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    @EventHandler
    void on(SourceRegistered event, @org.axonframework.eventhandling.Timestamp Instant at) {
        jdbc.update("""
                INSERT INTO ai_kb_sources (id, tenant_id, type, url, file_id, file_name, status, config, created_at, created_by)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?) ON CONFLICT (id) DO NOTHING
                """, event.sourceId(), event.tenantId(), event.type(), event.url(), event.fileId(), event.fileName(),
                SourceStatus.IDLE, write(event.config()), Timestamp.from(at), event.registeredBy());
    }

    @EventHandler
    void on(SourceConfigChanged event) {
        jdbc.update("UPDATE ai_kb_sources SET config = ?::jsonb WHERE id = ?", write(event.config()), event.sourceId());
    }

    @EventHandler
    void on(SyncRequested event, @org.axonframework.eventhandling.Timestamp Instant at) {
        jdbc.update("""
                UPDATE ai_kb_sources SET status = ?, current_sync = ?, error = NULL, progress_done = NULL,
                    progress_total = NULL WHERE id = ?
                """, SourceStatus.QUEUED, event.syncId(), event.sourceId());
        jdbc.update("""
                INSERT INTO ai_kb_sync_history (sync_id, tenant_id, source_id, trigger, status, requested_at)
                VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (sync_id) DO NOTHING
                """, event.syncId(), event.tenantId(), event.sourceId(),
                (event.trigger() == null ? SyncTrigger.MANUAL : event.trigger()).code(), SourceStatus.QUEUED,
                Timestamp.from(at));
        jdbc.update("""
                DELETE FROM ai_kb_sync_history WHERE tenant_id = ? AND source_id = ? AND sync_id NOT IN (
                    SELECT sync_id FROM ai_kb_sync_history WHERE tenant_id = ? AND source_id = ?
                    ORDER BY requested_at DESC LIMIT ?)
                """, event.tenantId(), event.sourceId(), event.tenantId(), event.sourceId(), KnowledgeQueries.SYNCS_KEPT);
    }

    @EventHandler
    void on(SyncStarted event, @org.axonframework.eventhandling.Timestamp Instant at) {
        jdbc.update("UPDATE ai_kb_sources SET status = ?, progress_done = 0, progress_total = ? WHERE id = ?",
                SourceStatus.SYNCING, event.total(), event.sourceId());
        // a sync resumed after a crash starts again: it keeps its first start
        jdbc.update("UPDATE ai_kb_sync_history SET status = ?, started_at = COALESCE(started_at, ?) WHERE sync_id = ?",
                SourceStatus.SYNCING, Timestamp.from(at), event.syncId());
    }

    @EventHandler
    void on(DocumentsIndexed event) {
        jdbc.update("UPDATE ai_kb_sources SET progress_done = ?, progress_total = ? WHERE id = ?",
                event.done(), event.total(), event.sourceId());
    }

    @EventHandler
    void on(SyncCompleted event, @org.axonframework.eventhandling.Timestamp Instant at) {
        jdbc.update("""
                UPDATE ai_kb_sources SET status = ?, current_sync = NULL, last_synced_at = ?, last_sync = ?::jsonb,
                    last_errors = ?::jsonb, progress_done = NULL, progress_total = NULL WHERE id = ?
                """, SourceStatus.OK, Timestamp.from(at), write(event.counts()), write(latest(event.errors())),
                event.sourceId());
        finished(event.syncId(), SourceStatus.OK, at, event.counts(), null, event.errors());
    }

    @EventHandler
    void on(SyncFailed event, @org.axonframework.eventhandling.Timestamp Instant at) {
        jdbc.update("""
                UPDATE ai_kb_sources SET status = ?, error = ?, current_sync = NULL, last_sync = ?::jsonb,
                    last_errors = ?::jsonb, progress_done = NULL, progress_total = NULL WHERE id = ?
                """, SourceStatus.FAILED, event.reason(), write(event.counts()), write(latest(event.errors())),
                event.sourceId());
        finished(event.syncId(), SourceStatus.FAILED, at, event.counts(), event.reason(), event.errors());
    }

    @EventHandler
    void on(SyncCancelled event, @org.axonframework.eventhandling.Timestamp Instant at) {
        jdbc.update("""
                UPDATE ai_kb_sources SET status = ?, error = ?, current_sync = NULL, progress_done = NULL,
                    progress_total = NULL WHERE id = ?
                """, SourceStatus.CANCELLED, "cancelled by " + event.cancelledBy(), event.sourceId());
        finished(event.syncId(), SourceStatus.CANCELLED, at, null, "cancelled by " + event.cancelledBy(), List.of());
    }

    @EventHandler
    void on(SourceDeleted event) {
        jdbc.update("DELETE FROM ai_kb_sync_history WHERE tenant_id = ? AND source_id = ?", event.tenantId(),
                event.sourceId());
        jdbc.update("DELETE FROM ai_kb_sources WHERE id = ?", event.sourceId());
    }

    private void finished(String syncId, String status, Instant at, SyncCounts counts, String error,
                          List<SyncError> errors) {
        jdbc.update("""
                UPDATE ai_kb_sync_history SET status = ?, finished_at = ?, counts = ?::jsonb, error = ?, errors = ?::jsonb
                WHERE sync_id = ?
                """, status, Timestamp.from(at), counts == null ? null : write(counts), error, write(latest(errors)),
                syncId);
    }

    private static List<SyncError> latest(List<SyncError> errors) {
        return errors.size() <= MAX_ERRORS_KEPT ? errors : errors.subList(errors.size() - MAX_ERRORS_KEPT, errors.size());
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a source's JSON column", e);
        }
    }
}
