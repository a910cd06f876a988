package io.aidesk.api.replay;

/**
 * One thing to decide again: a past customer message (its conversation and message, and the run that answered it,
 * if one did), or a test question an admin uploaded (question set, nothing else). The message's words are not
 * copied here: the replay reads them from the conversation, where erasure reaches them.
 */
public record ReplayItem(String conversationId, String messageId, String originalRunId, String question) {
    /** A replay decides at most this many messages again. */
    public static final int MAX_PER_REPLAY = 1000;
}
