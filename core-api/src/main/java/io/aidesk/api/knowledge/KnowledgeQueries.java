package io.aidesk.api.knowledge;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Queries over the calling tenant's knowledge; the tenant travels in the metadata. */
public final class KnowledgeQueries {
    private KnowledgeQueries() {
    }

    public record ListSources() {
    }

    public record FindSource(String sourceId) {
    }

    public record SearchKnowledge(String query, int topK, String sourceId) {
    }

    public record SourceList(List<SourceView> items) {
    }

    public record SourceView(String id, String type, String url, String fileId, String fileName, String status,
                             String error, CrawlConfig config, Instant createdAt, SourceStats stats) {
    }

    public record SourceStats(int documents, int chunks, Instant lastSyncedAt, SyncCounts lastSync, Progress progress,
                              List<SyncError> lastErrors) {
    }

    public record Progress(int done, int total) {
    }

    /** @param contentHash and documentVersion pin the exact text a citation of this chunk stands on */
    public record RetrievedChunk(String chunkId, String documentId, String sourceId, String content, double score,
                                 Map<String, Object> meta, String contentHash, int documentVersion) {
    }

    public record Citation(String chunkId, String title, String url, String snippet) {
    }

    public record SearchResult(List<RetrievedChunk> chunks, List<Citation> citations) {
    }
}
