package io.aidesk.api.agentrun;

import java.util.Arrays;

/** Why a run failed; stored events keep the constant's name, the API and the audit spell it {@link #wire()}. */
public enum FailureKind {
    /** The model's provider refused for now (429). */
    RATE_LIMITED("rate_limited"),
    /** The model's provider failed (5xx). */
    SERVER_ERROR("server_error"),
    TIMEOUT("timeout"),
    /** The model answered something that is not a decision. */
    INVALID_OUTPUT("invalid_output"),
    /** The model could not be reached or refused the request. */
    UNAVAILABLE("unavailable"),
    /** The knowledge could not be searched (the embedding model failed, say). */
    RETRIEVAL_FAILED("retrieval_failed"),
    /** The request was refused on the way (a 4xx the caller is told as such). */
    REFUSED("refused"),
    /** Anything else: a fault of AI Desk's own, logged with the correlation id. */
    INTERNAL_ERROR("internal_error"),
    /** A run that failed before runs recorded why. */
    UNRECORDED("unrecorded");

    private final String wire;

    FailureKind(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    /** The kind spelled so (a DecisionFailed's kind); one this version does not know reads as unrecorded. */
    public static FailureKind of(String wire) {
        return Arrays.stream(values()).filter(kind -> kind.wire.equals(wire)).findFirst().orElse(UNRECORDED);
    }
}
