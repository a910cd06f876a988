package io.aidesk.api.webhook;

import java.util.List;

/** What a tenant's admin (or the delivery worker) asks of its webhook endpoints; the tenant travels in metadata. */
public final class WebhookCommands {
    private WebhookCommands() {
    }

    /** Answered with the endpoint and its signing secret, the only time the secret is shown. */
    public record RegisterWebhookEndpoint(String endpointId, String url, String description, List<String> eventTypes) {
    }

    /** Null fields stay as they are; enabled true resumes a paused or disabled endpoint, false pauses it. */
    public record ChangeWebhookEndpoint(String endpointId, String url, String description, List<String> eventTypes,
                                        Boolean enabled) {
    }

    public record RemoveWebhookEndpoint(String endpointId) {
    }

    /** Answered with the new secret; the old one signs nothing from then on. */
    public record RotateWebhookSecret(String endpointId) {
    }

    /** Queues a delivery again, with its first webhook-id, so a receiver that had it already can tell. */
    public record ResendWebhookDelivery(String endpointId, String deliveryId) {
    }

    /** The delivery worker's: every delivery to the endpoint failed for longer than the platform allows. */
    public record DisableWebhookEndpoint(String endpointId, String reason) {
    }
}
