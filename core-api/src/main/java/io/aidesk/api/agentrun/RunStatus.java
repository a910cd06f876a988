package io.aidesk.api.agentrun;

import java.util.List;

/** Where a run, and each of its tool calls, stands; as the API and the audit spell them. */
public final class RunStatus {
    public static final String RUNNING = "running";
    public static final String AWAITING_APPROVAL = "awaiting_approval";
    public static final String COMPLETED = "completed";
    /** Handed over to a person. */
    public static final String ESCALATED = "escalated";
    public static final String FAILED = "failed";
    /** A run in one of these has nothing more to do now (an approval may still complete it later). */
    public static final List<String> SETTLED = List.of(AWAITING_APPROVAL, COMPLETED, ESCALATED, FAILED);

    /** Tool call states. */
    public static final String CALL_REQUESTED = "requested";
    public static final String CALL_AWAITING_APPROVAL = "awaiting_approval";
    public static final String CALL_APPROVED = "approved";
    public static final String CALL_EXECUTED = "executed";
    public static final String CALL_FAILED = "failed";
    public static final String CALL_REFUSED = "refused";
    public static final String CALL_REJECTED = "rejected";
    public static final String CALL_EXPIRED = "expired";
    /** A replay run's call: what the policy would have done with it (its disposition), never run. */
    public static final String CALL_REHEARSED = "rehearsed";

    private RunStatus() {
    }
}
