package io.aidesk.gateway.decision;

/** No valid decision: the run records why, escalates to a human and runs no tool. */
public class DecisionFailedException extends RuntimeException {
    /** rate_limited, server_error, timeout, invalid_output or unavailable */
    private final String kind;

    public DecisionFailedException(String kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public String kind() {
        return kind;
    }
}
