package io.aidesk.api.replay;

/** Where a replay stands; the API spells it {@link #wire()}. */
public enum ReplayStatus {
    RUNNING("running"),
    COMPLETED("completed"),
    CANCELLED("cancelled");

    private final String wire;

    ReplayStatus(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }
}
