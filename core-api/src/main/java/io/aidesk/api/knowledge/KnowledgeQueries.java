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

    /** The source's latest syncs, newest first (a short history is kept: {@link #SYNCS_KEPT}). */
    public record ListSyncs(String sourceId) {
    }

    public static final int SYNCS_KEPT = 20;

    public record SyncHistory(List<SyncRecord> items) {
    }

    /** One sync: who asked for it, how it went, its counts and its errors (the latest, at most 50). */
    public record SyncRecord(String syncId, String trigger, String status, Instant requestedAt, Instant startedAt,
                             Instant finishedAt, Long durationMs, SyncCounts counts, String error,
                             List<SyncError> errors) {
    }

    /** @param schedule null for a file source, which re-syncs only when asked */
    public record SourceView(String id, String type, String url, String fileId, String fileName, String status,
                             String error, CrawlConfig config, Instant createdAt, SourceStats stats,
                             Schedule schedule) {
    }

    /**
     * When the source syncs by itself next.
     *
     * @param nextAt  null when its schedule is off (or its first sync has not ended yet)
     * @param backoff  why nextAt is later than the schedule says (failed syncs in a row), null otherwise
     * @param failures the syncs in a row that failed
     * @param waitFactor how many times its interval the next sync waits: 1, or doubled by each failure after the first
     */
    public record Schedule(String every, Instant nextAt, String backoff, int failures, int waitFactor) {
        /** The factor a schedule's next sync waits after this many failures in a row (at most 16). */
        public static int waitFactor(int failures) {
            return (int) Math.min(MAX_WAIT_FACTOR, 1L << Math.max(0, Math.min(failures - 1, 30)));
        }

        public static final int MAX_WAIT_FACTOR = 16;
    }

    public record SourceStats(int documents, int chunks, Instant lastSyncedAt, SyncCounts lastSync, Progress progress,
                              List<SyncError> lastErrors) {
    }

    public record Progress(int done, int total) {
    }

    /**
     * @param score       cosine similarity of the chunk to the query
     * @param contentHash and documentVersion pin the exact text a citation of this chunk stands on
     * @param lexical     share of the query's words (weighted by rarity, title and headings counting more) the chunk holds
     * @param relevance   the ranking's score, similarity and lexical combined
     * @param vectorRank  rank among the vector side's candidates, 0 when it did not bring the chunk
     * @param lexicalRank rank among the full-text side's candidates, 0 when it did not bring the chunk
     */
    public record RetrievedChunk(String chunkId, String documentId, String sourceId, String content, double score,
                                 Map<String, Object> meta, String contentHash, int documentVersion, double lexical,
                                 double relevance, int vectorRank, int lexicalRank) {
        public RetrievedChunk(String chunkId, String documentId, String sourceId, String content, double score,
                              Map<String, Object> meta, String contentHash, int documentVersion) {
            this(chunkId, documentId, sourceId, content, score, meta, contentHash, documentVersion, 0, score, 1, 0);
        }
    }

    public record Citation(String chunkId, String title, String url, String snippet) {
    }

    /** @param termWeights the query's words, each with its rarity in the tenant's knowledge (BM25 idf; highest for a word it lacks) */
    public record SearchResult(List<RetrievedChunk> chunks, List<Citation> citations, Map<String, Double> termWeights) {
        public SearchResult {
            termWeights = termWeights == null ? Map.of() : Map.copyOf(termWeights);
        }

        public SearchResult(List<RetrievedChunk> chunks, List<Citation> citations) {
            this(chunks, citations, Map.of());
        }
    }
}
