package io.aidesk.api.agentrun;

/**
 * A chunk retrieved for a run, pinned to the exact text it had: its content hash and its document's version.
 */
public record ContextChunk(String chunkId, String documentId, String sourceId, double score, String contentHash,
                           int documentVersion) {
}
