package io.aidesk.ingestion.index;

import io.aidesk.api.knowledge.KnowledgeEvents.SourceDeleted;
import io.aidesk.api.knowledge.SourceSecrets;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Removes a deleted source's chunks, documents, file and secret in the very transaction that records SourceDeleted
 * (a subscribing processor), so they leave retrieval at once.
 */
@Component
@ProcessingGroup(KnowledgePurge.PROCESSING_GROUP)
class KnowledgePurge {
    static final String PROCESSING_GROUP = "knowledge-purge";

    private final JdbcTemplate jdbc;
    private final SourceSecrets secrets;

    KnowledgePurge(JdbcTemplate jdbc, SourceSecrets secrets) {
        this.jdbc = jdbc;
        this.secrets = secrets;
    }

    @EventHandler
    void on(SourceDeleted event) {
        jdbc.update("DELETE FROM ai_kb_chunks WHERE tenant_id = ? AND source_id = ?", event.tenantId(), event.sourceId());
        jdbc.update("DELETE FROM ai_kb_documents WHERE tenant_id = ? AND source_id = ?", event.tenantId(), event.sourceId());
        if (event.fileId() != null) {
            jdbc.update("DELETE FROM ai_kb_files WHERE tenant_id = ? AND id = ?", event.tenantId(), event.fileId());
        }
        secrets.forget(event.tenantId(), event.sourceId());
    }
}
