package io.aidesk.api.agentrun;

/**
 * A citation as the reply gave it, pinned: the audit can show what the knowledge said then, after any re-sync.
 */
public record PinnedCitation(String chunkId, String title, String url, String snippet, String contentHash,
                             int documentVersion) {
}
