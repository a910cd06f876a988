package io.aidesk.api.agentrun;

/** What became of a copilot draft; stored events keep the constant's name, the API spells it {@link #wire()}. */
public enum DraftOutcome {
    SENT_AS_DRAFTED("sent_as_drafted"),
    /** Sent after the agent changed it. */
    EDITED("edited"),
    DISCARDED("discarded");

    private final String wire;

    DraftOutcome(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }
}
