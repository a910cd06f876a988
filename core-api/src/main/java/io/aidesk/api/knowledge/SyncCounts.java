package io.aidesk.api.knowledge;

/** What one sync did: pages or files fetched, chunks new/unchanged/removed, errors, and how long it took. */
public record SyncCounts(int fetched, int newChunks, int unchangedChunks, int removedChunks, int errors,
                         long durationMs) {
}
