package io.aidesk.webhooks;

import io.aidesk.api.InvalidCommandException;
import io.aidesk.api.tenancy.Caller;
import io.aidesk.api.tenancy.Ids;
import io.aidesk.api.tenancy.NotFoundException;
import io.aidesk.api.webhook.WebhookCommands.ChangeWebhookEndpoint;
import io.aidesk.api.webhook.WebhookCommands.RegisterWebhookEndpoint;
import io.aidesk.api.webhook.WebhookCommands.RemoveWebhookEndpoint;
import io.aidesk.api.webhook.WebhookCommands.ResendWebhookDelivery;
import io.aidesk.api.webhook.WebhookCommands.RotateWebhookSecret;
import io.aidesk.api.webhook.WebhookDeliveryStatus;
import io.aidesk.api.webhook.WebhookEventType;
import io.aidesk.ingestion.index.TenantTransactions;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/** A tenant admin's webhook endpoints and their delivery logs (README, Webhooks). */
@RestController
@RequestMapping("/api/ai/webhooks")
class WebhookController {
    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 200;

    record NewEndpoint(String url, String description, List<String> eventTypes) {
    }

    record EndpointChange(String url, String description, List<String> eventTypes, Boolean enabled) {
    }

    record EndpointList(List<WebhookEndpoint> items, List<String> eventTypes) {
    }

    record DeliveryList(List<WebhookDelivery> items) {
    }

    private final CommandGateway commands;
    private final WebhookEndpoints endpoints;
    private final TenantTransactions tenants;
    private final JdbcTemplate jdbc;

    WebhookController(CommandGateway commands, WebhookEndpoints endpoints, TenantTransactions tenants,
                      JdbcTemplate jdbc) {
        this.commands = commands;
        this.endpoints = endpoints;
        this.tenants = tenants;
        this.jdbc = jdbc;
    }

    @GetMapping
    EndpointList list(Caller caller) {
        return new EndpointList(tenants.inTenant(caller.tenantId().value(), endpoints::list),
                Arrays.stream(WebhookEventType.values()).map(WebhookEventType::wire).toList());
    }

    /** 201 with the endpoint and its signing secret, shown this once. */
    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<WebhookEndpoint> register(@RequestBody NewEndpoint body, Caller caller) {
        String id = UUID.randomUUID().toString();
        WebhookEndpoint created = commands.sendAndWait(new RegisterWebhookEndpoint(id, body.url(), body.description(),
                body.eventTypes()));
        return ResponseEntity.created(URI.create("/api/ai/webhooks/" + id)).body(created);
    }

    @GetMapping("/{id}")
    WebhookEndpoint one(@PathVariable String id, Caller caller) {
        String known = Ids.known(id, "webhook endpoint");
        return tenants.inTenant(caller.tenantId().value(), () -> endpoints.find(known))
                .orElseThrow(() -> new NotFoundException("webhook endpoint"));
    }

    @PatchMapping(path = "/{id}", consumes = MediaType.APPLICATION_JSON_VALUE)
    WebhookEndpoint change(@PathVariable String id, @RequestBody EndpointChange body, Caller caller) {
        if (body.url() == null && body.description() == null && body.eventTypes() == null && body.enabled() == null) {
            throw new InvalidCommandException("body", "send at least one of url, description, event_types, enabled");
        }
        return commands.sendAndWait(new ChangeWebhookEndpoint(Ids.known(id, "webhook endpoint"), body.url(),
                body.description(), body.eventTypes(), body.enabled()));
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void remove(@PathVariable String id, Caller caller) {
        commands.sendAndWait(new RemoveWebhookEndpoint(Ids.known(id, "webhook endpoint")));
    }

    /** 200 with the endpoint and its new signing secret, shown this once; the old secret signs nothing more. */
    @PostMapping("/{id}/rotate-secret")
    WebhookEndpoint rotate(@PathVariable String id, Caller caller) {
        return commands.sendAndWait(new RotateWebhookSecret(Ids.known(id, "webhook endpoint")));
    }

    @GetMapping("/{id}/deliveries")
    DeliveryList deliveries(@PathVariable String id, @RequestParam(name = "status", required = false) String status,
                            @RequestParam(name = "limit", required = false) String limit, Caller caller) {
        String known = Ids.known(id, "webhook endpoint");
        WebhookDeliveryStatus wanted = status(status);
        int most = limit(limit);
        return tenants.inTenant(caller.tenantId().value(), () -> {
            endpoints.find(known).orElseThrow(() -> new NotFoundException("webhook endpoint"));
            return new DeliveryList(WebhookDeliveries.log(jdbc, known, wanted, most));
        });
    }

    /** Queues a delivered or given-up delivery again, with its webhook-id; 409 while it is pending. */
    @PostMapping("/{id}/deliveries/{deliveryId}/resend")
    WebhookDelivery resend(@PathVariable String id, @PathVariable String deliveryId, Caller caller) {
        if (deliveryId == null || !deliveryId.matches("msg_[0-9a-f]{32}")) {
            throw new NotFoundException("webhook delivery");
        }
        return commands.sendAndWait(new ResendWebhookDelivery(Ids.known(id, "webhook endpoint"), deliveryId));
    }

    private static WebhookDeliveryStatus status(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        return Arrays.stream(WebhookDeliveryStatus.values())
                .filter(s -> s.wire().equals(value.strip().toLowerCase(Locale.ROOT))).findFirst()
                .orElseThrow(() -> new InvalidCommandException("status", "status is pending, delivered or failed"));
    }

    private static int limit(String value) {
        if (value == null || value.isBlank()) {
            return DEFAULT_LIMIT;
        }
        try {
            int parsed = Integer.parseInt(value.strip());
            if (parsed >= 1 && parsed <= MAX_LIMIT) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new InvalidCommandException("limit", "limit is a whole number from 1 to " + MAX_LIMIT);
    }
}
