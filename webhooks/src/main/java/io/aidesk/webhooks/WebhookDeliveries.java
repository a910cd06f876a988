package io.aidesk.webhooks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aidesk.api.webhook.WebhookDeliveryStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** An endpoint's delivery log, newest first; read under the caller's tenant. */
final class WebhookDeliveries {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String COLUMNS = "delivery_id, event_type, event_id, status, attempts, next_attempt_at, "
            + "last_attempt_at, last_status, last_error, delivered_at, created_at, payload::text AS payload";
    private static final RowMapper<WebhookDelivery> ROW = (row, index) -> {
        try {
            Object lastStatus = row.getObject("last_status");
            return new WebhookDelivery(row.getString("delivery_id"), row.getString("event_type"),
                    row.getString("event_id"), row.getString("status"), row.getInt("attempts"),
                    WebhookEndpoints.instant(row.getTimestamp("next_attempt_at")),
                    WebhookEndpoints.instant(row.getTimestamp("last_attempt_at")),
                    lastStatus == null ? null : ((Number) lastStatus).intValue(), row.getString("last_error"),
                    WebhookEndpoints.instant(row.getTimestamp("delivered_at")),
                    WebhookEndpoints.instant(row.getTimestamp("created_at")), JSON.readTree(row.getString("payload")));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    };

    private WebhookDeliveries() {
    }

    static List<WebhookDelivery> log(JdbcTemplate jdbc, String endpointId, WebhookDeliveryStatus status, int limit) {
        List<Object> args = new ArrayList<>(List.of(endpointId));
        String where = "endpoint_id = ?";
        if (status != null) {
            where += " AND status = ?";
            args.add(status.wire());
        }
        args.add(limit);
        return jdbc.query("SELECT " + COLUMNS + " FROM ai_webhook_deliveries WHERE " + where
                + " ORDER BY seq DESC LIMIT ?", ROW, args.toArray());
    }

    static Optional<WebhookDelivery> find(JdbcTemplate jdbc, String endpointId, String deliveryId) {
        return jdbc.query("SELECT " + COLUMNS + " FROM ai_webhook_deliveries WHERE endpoint_id = ? AND delivery_id = ?",
                ROW, endpointId, deliveryId).stream().findFirst();
    }
}
