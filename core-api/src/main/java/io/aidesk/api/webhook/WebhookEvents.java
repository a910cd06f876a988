package io.aidesk.api.webhook;

import java.util.List;

/** What happened to a tenant's webhook endpoints, tenant-tagged; the audit reads who sent its events where. */
public final class WebhookEvents {
    private WebhookEvents() {
    }

    public record WebhookEndpointRegistered(String endpointId, String tenantId, String url, String description,
                                            List<String> eventTypes, String by) {
    }

    /** @param status the endpoint's status after the change */
    public record WebhookEndpointChanged(String endpointId, String tenantId, String url, String description,
                                         List<String> eventTypes, WebhookEndpointStatus status, String by) {
    }

    public record WebhookEndpointRemoved(String endpointId, String tenantId, String by) {
    }

    public record WebhookSecretRotated(String endpointId, String tenantId, String by) {
    }

    public record WebhookDeliveryResent(String endpointId, String tenantId, String deliveryId, String by) {
    }

    public record WebhookEndpointDisabled(String endpointId, String tenantId, String reason) {
    }
}
