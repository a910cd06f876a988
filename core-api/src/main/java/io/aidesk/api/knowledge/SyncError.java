package io.aidesk.api.knowledge;

/** A page or file a sync could not use, and why; the sync goes on without it. */
public record SyncError(String url, String reason) {
}
