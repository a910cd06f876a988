package io.aidesk.api.live;

import java.util.Arrays;
import java.util.Optional;

/** What a screen (or a waiting request) follows of its tenant; spelled {@link #wire()} in /api/ai/stream. */
public enum LiveTopic {
    /** A conversation started, got a message, was handed over or back, or one of its runs moved. */
    CONVERSATIONS("conversations"),
    /** A run moved: a step, a call, its end. */
    RUNS("runs"),
    /** A sensitive call asked for approval, or was approved, rejected, expired or run. */
    APPROVALS("approvals"),
    /** A knowledge source was added, changed or deleted, or its sync moved. */
    SOURCES("sources"),
    /** A replay started, decided an item again, ended or was cancelled. */
    REPLAYS("replays");

    private final String wire;

    LiveTopic(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public static Optional<LiveTopic> of(String wire) {
        return Arrays.stream(values()).filter(topic -> topic.wire.equals(wire)).findFirst();
    }
}
