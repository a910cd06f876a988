package io.aidesk.api.knowledge;

import org.axonframework.serialization.Revision;

import java.util.List;

/** What happened to a KnowledgeSource; every event names its tenant. */
public final class KnowledgeEvents {
    private KnowledgeEvents() {
    }

    /**
     * Revision 2: the url never has userinfo (its credentials are the source's secret, {@link SourceSecrets}); an
     * earlier one is read with its userinfo taken off.
     */
    @Revision(SourceRegistered.REVISION)
    public record SourceRegistered(String sourceId, String tenantId, String type, String url, String fileId,
                                   String fileName, CrawlConfig config, String registeredBy) {
        public static final String REVISION = "2";
    }

    public record SourceConfigChanged(String sourceId, String tenantId, CrawlConfig config) {
    }

    /** Revision 2: the url never has userinfo, as in {@link SourceRegistered}. */
    @Revision(SyncRequested.REVISION)
    public record SyncRequested(String sourceId, String tenantId, String syncId, String type, String url, String fileId,
                                CrawlConfig config) {
        public static final String REVISION = "2";
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
