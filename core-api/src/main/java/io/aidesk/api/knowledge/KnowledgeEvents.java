package io.aidesk.api.knowledge;

import java.util.List;

/** What happened to a KnowledgeSource; every event names its tenant. */
public final class KnowledgeEvents {
    private KnowledgeEvents() {
    }

    public record SourceRegistered(String sourceId, String tenantId, String type, String url, String fileId,
                                   String fileName, CrawlConfig config, String registeredBy) {
    }

    public record SourceConfigChanged(String sourceId, String tenantId, CrawlConfig config) {
    }

    public record SyncRequested(String sourceId, String tenantId, String syncId, String type, String url, String fileId,
                                CrawlConfig config) {
    }

    public record SyncStarted(String sourceId, String tenantId, String syncId, int total) {
    }

    public record DocumentIndexed(String sourceId, String tenantId, String syncId, String url, String contentHash,
                                  int newChunks, int unchangedChunks, int removedChunks, int done, int total) {
    }

    public record SyncCompleted(String sourceId, String tenantId, String syncId, SyncCounts counts,
                                List<SyncError> errors) {
    }

    public record SyncFailed(String sourceId, String tenantId, String syncId, String reason, SyncCounts counts,
                             List<SyncError> errors) {
    }

    public record SourceDeleted(String sourceId, String tenantId, String fileId) {
    }
}
