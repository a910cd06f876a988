package io.aidesk.projections.knowledge;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aidesk.api.knowledge.KnowledgeEvents.DocumentIndexed;
import io.aidesk.api.knowledge.KnowledgeEvents.SourceConfigChanged;
import io.aidesk.api.knowledge.KnowledgeEvents.SourceDeleted;
import io.aidesk.api.knowledge.KnowledgeEvents.SourceRegistered;
import io.aidesk.api.knowledge.KnowledgeEvents.SyncCompleted;
import io.aidesk.api.knowledge.KnowledgeEvents.SyncFailed;
import io.aidesk.api.knowledge.KnowledgeEvents.SyncRequested;
import io.aidesk.api.knowledge.KnowledgeEvents.SyncStarted;
import io.aidesk.api.knowledge.SourceStatus;
import io.aidesk.api.knowledge.SyncError;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

/** Keeps ai_kb_sources: each source's status, sync progress, last sync counts and latest errors. */
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
    void on(SyncRequested event) {
        jdbc.update("""
                UPDATE ai_kb_sources SET status = ?, current_sync = ?, error = NULL, progress_done = NULL,
                    progress_total = NULL WHERE id = ?
                """, SourceStatus.QUEUED, event.syncId(), event.sourceId());
    }

    @EventHandler
    void on(SyncStarted event) {
        jdbc.update("UPDATE ai_kb_sources SET status = ?, progress_done = 0, progress_total = ? WHERE id = ?",
                SourceStatus.SYNCING, event.total(), event.sourceId());
    }

    @EventHandler
    void on(DocumentIndexed event) {
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
    }

    @EventHandler
    void on(SyncFailed event) {
        jdbc.update("""
                UPDATE ai_kb_sources SET status = ?, error = ?, current_sync = NULL, last_sync = ?::jsonb,
                    last_errors = ?::jsonb, progress_done = NULL, progress_total = NULL WHERE id = ?
                """, SourceStatus.FAILED, event.reason(), write(event.counts()), write(latest(event.errors())),
                event.sourceId());
    }

    @EventHandler
    void on(SourceDeleted event) {
        jdbc.update("DELETE FROM ai_kb_sources WHERE id = ?", event.sourceId());
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
