package io.aidesk.webhooks;

import java.time.Instant;
import java.util.List;

/**
 * An endpoint as its admin reads it. The secret is only ever set in the answer that created or rotated it.
 *
 * @param failingSince the first failed attempt of the current run of failures; null while deliveries succeed
 * @param pending      deliveries waiting to be delivered (retries included)
 */
public record WebhookEndpoint(String id, String url, String description, List<String> eventTypes, String status,
                              String disabledReason, Instant failingSince, long pending, Instant createdAt,
                              String createdBy, Instant updatedAt, String updatedBy, String secret) {
    WebhookEndpoint withSecret(String newSecret) {
        return new WebhookEndpoint(id, url, description, eventTypes, status, disabledReason, failingSince, pending,
                createdAt, createdBy, updatedAt, updatedBy, newSecret);
    }
}
