package io.aidesk.api.agentrun;

/**
 * A chunk retrieved for a run, pinned to the exact text it had: its content hash, its document's version and the text
 * itself, so the audit shows what the run read whatever a later sync did to the knowledge.
 */
public record ContextChunk(String chunkId, String documentId, String sourceId, double score, String contentHash,
                           int documentVersion, String title, String url, String text) {
}
