package io.aidesk.api.knowledge;

/** One page or file a sync wrote, and what writing it changed. */
public record IndexedDocument(String url, String contentHash, int newChunks, int unchangedChunks, int removedChunks) {
}
