package io.aidesk.api.webhook;

import java.util.Arrays;
import java.util.Optional;

/** Whether an endpoint is sent events; the API and the table spell it {@link #wire()}. */
public enum WebhookEndpointStatus {
    ACTIVE("active"),
    /** Paused by an admin: events are not queued for it. */
    PAUSED("paused"),
    /** Disabled by AI Desk after its deliveries failed for a day: events are not queued until an admin enables it. */
    DISABLED("disabled");

    private final String wire;

    WebhookEndpointStatus(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public static Optional<WebhookEndpointStatus> of(String wire) {
        return Arrays.stream(values()).filter(status -> status.wire.equals(wire)).findFirst();
    }
}
