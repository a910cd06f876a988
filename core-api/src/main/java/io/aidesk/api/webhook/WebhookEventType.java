package io.aidesk.api.webhook;

import java.util.Arrays;
import java.util.Optional;

/** The events a CRM can subscribe an endpoint to, spelled as the payload's type says ({@link #wire()}). */
public enum WebhookEventType {
    /** A reply is ready: the autopilot sent one to the conversation, or the copilot drafted one for an agent. */
    REPLY_READY("reply.ready"),
    RUN_COMPLETED("run.completed"),
    RUN_FAILED("run.failed"),
    HANDOFF_REQUESTED("handoff.requested"),
    APPROVAL_REQUESTED("approval.requested"),
    /** Approved, rejected or expired. */
    APPROVAL_DECIDED("approval.decided"),
    TOOL_CALL_EXECUTED("tool_call.executed"),
    TICKET_CREATED("ticket.created"),
    SYNC_COMPLETED("sync.completed"),
    SYNC_FAILED("sync.failed");

    private final String wire;

    WebhookEventType(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public static Optional<WebhookEventType> of(String wire) {
        return Arrays.stream(values()).filter(type -> type.wire.equals(wire)).findFirst();
    }
}
