package io.aidesk.webhooks;

import io.aidesk.api.InvalidCommandException;
import io.aidesk.api.StateConflictException;
import io.aidesk.api.tenancy.MetadataKeys;
import io.aidesk.api.tenancy.MissingTenantException;
import io.aidesk.api.tenancy.NotFoundException;
import io.aidesk.api.tenancy.RowSecurity;
import io.aidesk.api.webhook.WebhookCommands.ChangeWebhookEndpoint;
import io.aidesk.api.webhook.WebhookCommands.DisableWebhookEndpoint;
import io.aidesk.api.webhook.WebhookCommands.RegisterWebhookEndpoint;
import io.aidesk.api.webhook.WebhookCommands.RemoveWebhookEndpoint;
import io.aidesk.api.webhook.WebhookCommands.ResendWebhookDelivery;
import io.aidesk.api.webhook.WebhookCommands.RotateWebhookSecret;
import io.aidesk.api.webhook.WebhookEndpointStatus;
import io.aidesk.api.webhook.WebhookEvents.WebhookDeliveryResent;
import io.aidesk.api.webhook.WebhookEvents.WebhookEndpointChanged;
import io.aidesk.api.webhook.WebhookEvents.WebhookEndpointDisabled;
import io.aidesk.api.webhook.WebhookEvents.WebhookEndpointRegistered;
import io.aidesk.api.webhook.WebhookEvents.WebhookEndpointRemoved;
import io.aidesk.api.webhook.WebhookEvents.WebhookSecretRotated;
import io.aidesk.api.webhook.WebhookEventType;
import io.aidesk.ingestion.crawl.OutboundAddresses;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventhandling.EventBus;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.messaging.annotation.MetaDataValue;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.net.URI;
import java.net.URISyntaxException;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A tenant's webhook endpoints: a stateless command handler (as the privacy erasure is) that keeps the endpoint's
 * row and records every change as an event in the same transaction, so the audit says who sent which events where.
 */
@Component
class WebhookEndpoints {
    static final int MAX_URL = 2048;
    static final int MAX_DESCRIPTION = 200;
    private static final String COLUMNS = """
            e.endpoint_id, e.url, e.description, e.event_types, e.status, e.disabled_reason, e.failing_since,
            e.created_at, e.created_by, e.updated_at, e.updated_by,
            (SELECT count(*) FROM ai_webhook_deliveries d WHERE d.endpoint_id = e.endpoint_id AND d.status = 'pending')
            AS pending
            """;

    private final JdbcTemplate jdbc;
    private final EventBus events;
    private final SigningSecrets secrets;
    private final OutboundAddresses addresses;
    private final WebhookSettings settings;

    WebhookEndpoints(JdbcTemplate jdbc, EventBus events, SigningSecrets secrets, OutboundAddresses addresses,
                     WebhookSettings settings) {
        this.jdbc = jdbc;
        this.events = events;
        this.secrets = secrets;
        this.addresses = addresses;
        this.settings = settings;
    }

    @CommandHandler
    WebhookEndpoint handle(RegisterWebhookEndpoint command, @MetaDataValue(MetadataKeys.TENANT_ID) String tenant,
                           @MetaDataValue(MetadataKeys.USER_ID) String user) {
        scope(tenant, command);
        String url = url(command.url());
        List<String> types = eventTypes(command.eventTypes());
        String description = description(command.description());
        Integer count = jdbc.queryForObject("SELECT count(*) FROM ai_webhook_endpoints", Integer.class);
        if (count != null && count >= settings.maxEndpoints()) {
            throw new StateConflictException("the tenant has " + count + " webhook endpoints, the most it may have; "
                    + "remove one first");
        }
        String secret = WebhookSignature.newSecret();
        String by = by(user);
        Instant now = Instant.now();
        jdbc.update("""
                INSERT INTO ai_webhook_endpoints (endpoint_id, tenant_id, url, description, event_types, status, secret,
                                                  created_at, created_by, updated_at, updated_by)
                VALUES (?, ?, ?, ?, ?::text[], 'active', ?, ?, ?, ?, ?)
                """, command.endpointId(), tenant, url, description, textArray(types),
                secrets.seal(tenant, command.endpointId(), secret), Timestamp.from(now), by, Timestamp.from(now), by);
        publish(new WebhookEndpointRegistered(command.endpointId(), tenant, url, description, types, by));
        return find(command.endpointId()).orElseThrow().withSecret(secret);
    }

    @CommandHandler
    WebhookEndpoint handle(ChangeWebhookEndpoint command, @MetaDataValue(MetadataKeys.TENANT_ID) String tenant,
                           @MetaDataValue(MetadataKeys.USER_ID) String user) {
        scope(tenant, command);
        WebhookEndpoint before = existing(command.endpointId());
        String url = command.url() == null ? before.url() : url(command.url());
        List<String> types = command.eventTypes() == null ? before.eventTypes() : eventTypes(command.eventTypes());
        String description = command.description() == null ? before.description() : description(command.description());
        String status = command.enabled() == null ? before.status()
                : (command.enabled() ? WebhookEndpointStatus.ACTIVE : WebhookEndpointStatus.PAUSED).wire();
        boolean resumed = !status.equals(before.status()) && status.equals(WebhookEndpointStatus.ACTIVE.wire());
        String by = by(user);
        if (resumed) {
            lockDeliveries(command.endpointId(), " AND status = 'pending'");
        }
        jdbc.update("""
                UPDATE ai_webhook_endpoints SET url = ?, description = ?, event_types = ?::text[], status = ?,
                       disabled_reason = CASE WHEN ? = 'active' THEN NULL ELSE disabled_reason END,
                       failing_since = CASE WHEN ? THEN NULL ELSE failing_since END,
                       updated_at = now(), updated_by = ?
                WHERE endpoint_id = ?
                """, url, description, textArray(types), status, status, resumed, by, command.endpointId());
        if (resumed) {
            // what waited while it was off is tried again now, in order
            jdbc.update("UPDATE ai_webhook_deliveries SET next_attempt_at = now() WHERE endpoint_id = ? "
                    + "AND status = 'pending'", command.endpointId());
        }
        publish(new WebhookEndpointChanged(command.endpointId(), tenant, url, description, types,
                WebhookEndpointStatus.of(status).orElseThrow(), by));
        return find(command.endpointId()).orElseThrow();
    }

    @CommandHandler
    void handle(RemoveWebhookEndpoint command, @MetaDataValue(MetadataKeys.TENANT_ID) String tenant,
                @MetaDataValue(MetadataKeys.USER_ID) String user) {
        scope(tenant, command);
        existing(command.endpointId());
        lockDeliveries(command.endpointId(), "");
        // its deliveries go with it (ON DELETE CASCADE): nothing more is sent there
        jdbc.update("DELETE FROM ai_webhook_endpoints WHERE endpoint_id = ?", command.endpointId());
        publish(new WebhookEndpointRemoved(command.endpointId(), tenant, by(user)));
    }

    @CommandHandler
    WebhookEndpoint handle(RotateWebhookSecret command, @MetaDataValue(MetadataKeys.TENANT_ID) String tenant,
                           @MetaDataValue(MetadataKeys.USER_ID) String user) {
        scope(tenant, command);
        existing(command.endpointId());
        String secret = WebhookSignature.newSecret();
        String by = by(user);
        jdbc.update("UPDATE ai_webhook_endpoints SET secret = ?, updated_at = now(), updated_by = ? WHERE endpoint_id = ?",
                secrets.seal(tenant, command.endpointId(), secret), by, command.endpointId());
        publish(new WebhookSecretRotated(command.endpointId(), tenant, by));
        return find(command.endpointId()).orElseThrow().withSecret(secret);
    }

    @CommandHandler
    WebhookDelivery handle(ResendWebhookDelivery command, @MetaDataValue(MetadataKeys.TENANT_ID) String tenant,
                           @MetaDataValue(MetadataKeys.USER_ID) String user) {
        scope(tenant, command);
        existing(command.endpointId());
        // a resend is a new chance: the retry window starts again, the webhook-id stays
        int changed = jdbc.update("""
                UPDATE ai_webhook_deliveries SET status = 'pending', next_attempt_at = now(), created_at = now(),
                       delivered_at = NULL, seq = nextval('ai_webhook_deliveries_seq_seq')
                WHERE endpoint_id = ? AND delivery_id = ? AND status <> 'pending'
                """, command.endpointId(), command.deliveryId());
        if (changed == 0) {
            WebhookDeliveries.find(jdbc, command.endpointId(), command.deliveryId())
                    .orElseThrow(() -> new NotFoundException("webhook delivery"));
            throw new StateConflictException("the delivery is pending already: it is tried again by itself");
        }
        publish(new WebhookDeliveryResent(command.endpointId(), tenant, command.deliveryId(), by(user)));
        return WebhookDeliveries.find(jdbc, command.endpointId(), command.deliveryId()).orElseThrow();
    }

    @CommandHandler
    void handle(DisableWebhookEndpoint command, @MetaDataValue(MetadataKeys.TENANT_ID) String tenant) {
        scope(tenant, command);
        int changed = jdbc.update("UPDATE ai_webhook_endpoints SET status = 'disabled', disabled_reason = ?, "
                + "updated_at = now(), updated_by = 'system' WHERE endpoint_id = ? AND status = 'active'",
                command.reason(), command.endpointId());
        if (changed > 0) {
            publish(new WebhookEndpointDisabled(command.endpointId(), tenant, command.reason()));
        }
    }

    /** The tenant's endpoints, oldest first; read under the caller's tenant. */
    List<WebhookEndpoint> list() {
        return jdbc.query("SELECT " + COLUMNS + " FROM ai_webhook_endpoints e ORDER BY e.created_at, e.endpoint_id",
                WebhookEndpoints::endpoint);
    }

    Optional<WebhookEndpoint> find(String endpointId) {
        return jdbc.query("SELECT " + COLUMNS + " FROM ai_webhook_endpoints e WHERE e.endpoint_id = ?",
                WebhookEndpoints::endpoint, endpointId).stream().findFirst();
    }

    private WebhookEndpoint existing(String endpointId) {
        return find(endpointId).orElseThrow(() -> new NotFoundException("webhook endpoint"));
    }

    private void scope(String tenant, Object command) {
        if (tenant == null) {
            throw new MissingTenantException(command.getClass().getSimpleName());
        }
        jdbc.queryForObject(RowSecurity.SCOPE_SQL, String.class, tenant);
    }

    private void publish(Object event) {
        events.publish(GenericEventMessage.asEventMessage(event));
    }

    private static String by(String user) {
        return user == null ? "system" : user;
    }

    /** An endpoint's URL: absolute http(s), no credentials, and an address the crawler's policy allows. */
    String url(String value) {
        if (value == null || value.isBlank()) {
            throw new InvalidCommandException("url", "name the endpoint's url (https://…)");
        }
        String url = value.strip();
        if (url.length() > MAX_URL) {
            throw new InvalidCommandException("url", "the url is longer than " + MAX_URL + " characters");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new InvalidCommandException("url", "the url is not a URL: " + e.getReason());
        }
        if (!uri.isAbsolute() || uri.getHost() == null) {
            throw new InvalidCommandException("url", "the url must be absolute, with a host (https://crm.example.com/…)");
        }
        if (uri.getRawUserInfo() != null) {
            throw new InvalidCommandException("url", "the url must not carry credentials: the signature tells the "
                    + "receiver the call is AI Desk's");
        }
        if (uri.getFragment() != null) {
            throw new InvalidCommandException("url", "the url must not have a fragment (#…)");
        }
        String refusal = addresses.refusal(uri);
        if (refusal != null) {
            throw new InvalidCommandException("url", "the url cannot be called: " + refusal);
        }
        return url;
    }

    static List<String> eventTypes(List<String> values) {
        if (values == null || values.isEmpty()) {
            throw new InvalidCommandException("event_types", "subscribe the endpoint to at least one event type: "
                    + known());
        }
        Set<WebhookEventType> types = new LinkedHashSet<>();
        for (String value : values) {
            String wire = value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
            types.add(WebhookEventType.of(wire).orElseThrow(() -> new InvalidCommandException("event_types",
                    "'" + value + "' is not an event type; the types are " + known())));
        }
        return Arrays.stream(WebhookEventType.values()).filter(types::contains).map(WebhookEventType::wire).toList();
    }

    private static String known() {
        return Arrays.stream(WebhookEventType.values()).map(WebhookEventType::wire).collect(Collectors.joining(", "));
    }

    static String description(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        if (value.strip().length() > MAX_DESCRIPTION || value.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidCommandException("description", "the description is up to " + MAX_DESCRIPTION
                    + " printable characters");
        }
        return value.strip();
    }

    private static String textArray(List<String> values) {
        return values.stream().map(v -> "\"" + v + "\"").collect(Collectors.joining(",", "{", "}"));
    }

    private static WebhookEndpoint endpoint(ResultSet row, int index) throws SQLException {
        Array types = row.getArray("event_types");
        return new WebhookEndpoint(row.getString("endpoint_id"), row.getString("url"), row.getString("description"),
                List.of((String[]) types.getArray()), row.getString("status"), row.getString("disabled_reason"),
                instant(row.getTimestamp("failing_since")), row.getLong("pending"),
                instant(row.getTimestamp("created_at")), row.getString("created_by"),
                instant(row.getTimestamp("updated_at")), row.getString("updated_by"), null);
    }

    static Instant instant(Timestamp value) {
        return value == null ? null : value.toInstant();
    }

    /**
     * Deliveries before their endpoint, as the dispatcher locks them (it holds a delivery, then records on its
     * endpoint): a change that touches both waits for a delivery in flight instead of deadlocking with it.
     */
    private void lockDeliveries(String endpointId, String which) {
        jdbc.queryForList("SELECT delivery_id FROM ai_webhook_deliveries WHERE endpoint_id = ?" + which + " FOR UPDATE",
                String.class, endpointId);
    }
}
