package io.aidesk.api.webhook;

/** Where a delivery stands: pending until the receiver answers 2xx (delivered) or its retries run out (failed). */
public enum WebhookDeliveryStatus {
    PENDING("pending"),
    DELIVERED("delivered"),
    FAILED("failed");

    private final String wire;

    WebhookDeliveryStatus(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }
}
