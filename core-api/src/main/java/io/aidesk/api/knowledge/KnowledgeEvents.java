package io.aidesk.api.knowledge;

import org.axonframework.serialization.Revision;

import java.util.List;

/** What happened to a KnowledgeSource; every event names its tenant. */
public final class KnowledgeEvents {
    private KnowledgeEvents() {
    }

    /**
     * Revision 2: the url never has userinfo (its credentials are the source's secret, {@link SourceSecrets}); an
     * earlier one is read with its userinfo taken off. Revision 3: a URL source's config says how often it re-syncs
     * (sync_every); an earlier one is read with the default, daily.
     */
    @Revision(SourceRegistered.REVISION)
    public record SourceRegistered(String sourceId, String tenantId, String type, String url, String fileId,
                                   String fileName, CrawlConfig config, String registeredBy) {
        public static final String REVISION = "3";
    }

    /** Revision 2: the config has sync_every, as in {@link SourceRegistered}. */
    @Revision(SourceConfigChanged.REVISION)
    public record SourceConfigChanged(String sourceId, String tenantId, CrawlConfig config) {
        public static final String REVISION = "2";
    }

    /**
     * Revision 2: the url never has userinfo, as in {@link SourceRegistered}. Revision 3: the config has sync_every,
     * and the request says who asked for it (its trigger); an earlier one was asked for by a person.
     */
    @Revision(SyncRequested.REVISION)
    public record SyncRequested(String sourceId, String tenantId, String syncId, String type, String url, String fileId,
                                CrawlConfig config, SyncTrigger trigger) {
        public static final String REVISION = "3";
    }

    public record SyncStarted(String sourceId, String tenantId, String syncId, int total) {
    }

    /**
     * The pages a sync wrote since its last report, and its progress (done of total). Before revision 1 a sync
     * recorded each page as a DocumentIndexed event of its own; one is read as a report of that one page.
     */
    @Revision(DocumentsIndexed.REVISION)
    public record DocumentsIndexed(String sourceId, String tenantId, String syncId, List<IndexedDocument> documents,
                                   int done, int total) {
        public static final String REVISION = "1";
        /** The type name a sync's per-page events were stored under. */
        public static final String BEFORE = "io.aidesk.api.knowledge.KnowledgeEvents$DocumentIndexed";
    }

    public record SyncCompleted(String sourceId, String tenantId, String syncId, SyncCounts counts,
                                List<SyncError> errors) {
    }

    public record SyncFailed(String sourceId, String tenantId, String syncId, String reason, SyncCounts counts,
                             List<SyncError> errors) {
    }

    /** A person stopped the sync: what it indexed so far stays, nothing it had not reached is removed. */
    public record SyncCancelled(String sourceId, String tenantId, String syncId, String cancelledBy) {
    }

    public record SourceDeleted(String sourceId, String tenantId, String fileId) {
    }
}
