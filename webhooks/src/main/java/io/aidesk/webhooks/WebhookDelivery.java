package io.aidesk.webhooks;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;

/**
 * One event queued for one endpoint, as its delivery log shows it.
 *
 * @param id          the webhook-id header, the same for every attempt
 * @param lastStatus  the HTTP status of the last attempt; null when none got an answer
 * @param lastError   why the last attempt failed, in words
 * @param payload     the body as it is (or was) sent
 */
public record WebhookDelivery(String id, String eventType, String eventId, String status, int attempts,
                              Instant nextAttemptAt, Instant lastAttemptAt, Integer lastStatus, String lastError,
                              Instant deliveredAt, Instant createdAt, JsonNode payload) {
}
