package io.aidesk.api.audit;

/** Checking the calling tenant's audit chain against the event store; the tenant travels in the metadata. */
public final class AuditQueries {
    public static final String PAYLOAD_CHANGED = "payload or metadata changed";
    public static final String EVENT_MISSING = "event missing";
    public static final String LINK_CHANGED = "link changed";
    public static final String NOT_IN_CHAIN = "event not in chain";

    private AuditQueries() {
    }

    /** Recomputes the tenant's chain from the event store, in order. */
    public record VerifyChain() {
    }

    /**
     * @param ok      every chained event is stored as it was chained, and every event of the tenant up to the head is
     *                in the chain
     * @param events  how many chained events were verified (before the break, when there is one)
     * @param head    the link_hash of the last event verified; null when there is none
     * @param brokenAt where the chain breaks; null when it does not
     */
    public record ChainVerification(boolean ok, long events, String head, ChainBreak brokenAt) {
    }

    /**
     * @param position the chain position; null for an event that is not in the chain
     * @param type     the event's name (AssistantSettingsChanged)
     * @param reason   {@value #PAYLOAD_CHANGED}, {@value #EVENT_MISSING}, {@value #LINK_CHANGED} or
     *                 {@value #NOT_IN_CHAIN}
     */
    public record ChainBreak(Long position, String eventIdentifier, String aggregateIdentifier, Long sequenceNumber,
                             String type, String reason) {
    }
}
