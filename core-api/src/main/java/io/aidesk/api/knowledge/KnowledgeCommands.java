package io.aidesk.api.knowledge;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.List;

/** Commands on a KnowledgeSource; the tenant and the user travel in the metadata. */
public final class KnowledgeCommands {
    private KnowledgeCommands() {
    }

    /** Connect a URL (fileId null) or an uploaded file (url null); its first sync is queued at once. */
    public record RegisterSource(@TargetAggregateIdentifier String sourceId, String type, String url, String fileId,
                                 String fileName, CrawlConfig config, String firstSyncId) {
    }

    public record ChangeSourceConfig(@TargetAggregateIdentifier String sourceId, CrawlConfig config) {
    }

    public record RequestSync(@TargetAggregateIdentifier String sourceId, String syncId, SyncTrigger trigger) {
        public RequestSync(String sourceId, String syncId) {
            this(sourceId, syncId, SyncTrigger.MANUAL);
        }
    }

    /** Stops the sync queued or running; answers the sync id stopped, or null when none was. */
    public record CancelSync(@TargetAggregateIdentifier String sourceId) {
    }

    /** A worker took the sync; total is the pages or files it knows of so far. */
    public record StartSync(@TargetAggregateIdentifier String sourceId, String syncId, int total) {
    }

    /** The pages the sync wrote since its last report; answers whether the sync is still running. */
    public record RecordDocumentsIndexed(@TargetAggregateIdentifier String sourceId, String syncId,
                                         List<IndexedDocument> documents, int done, int total) {
    }

    public record CompleteSync(@TargetAggregateIdentifier String sourceId, String syncId, SyncCounts counts,
                               List<SyncError> errors) {
    }

    public record FailSync(@TargetAggregateIdentifier String sourceId, String syncId, String reason,
                           SyncCounts counts, List<SyncError> errors) {
    }

    public record DeleteSource(@TargetAggregateIdentifier String sourceId) {
    }
}
