package io.aidesk.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.aidesk.app.WebhookReceiver.Received;
import io.aidesk.webhooks.WebhookRetention;
import io.aidesk.ingestion.index.KnowledgeIndex;
import io.aidesk.ingestion.parse.ParsedDocument;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Webhooks as a CRM receives them: a receiver on loopback gets an autopilot run that opens a ticket and one that waits
 * for approval as signed events, in the order stored per conversation; while it answers 500 nothing is lost, and a
 * delivery it had already taken comes again with the same webhook-id. Bad endpoints are refused and change nothing.
 */
class WebhookTest extends ApiTest {
    @Autowired
    KnowledgeIndex index;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    PlatformTransactionManager transactions;
    @Autowired
    WebhookRetention retention;

    private final WebhookReceiver receiver = new WebhookReceiver();
    private String tenant;
    private String admin;
    private String service;
    private String contactId;

    @BeforeEach
    void aTenantWithItsAutopilot() {
        tenant = newTenant();
        admin = token(tenant, "ana", "admin");
        service = token(tenant, "crm", "service");
        index.index(tenant, UUID.randomUUID().toString(), new ParsedDocument("https://fibra.test/plans",
                "Plans and prices", List.of(new ParsedDocument.Block("Fiber 500 costs $45 per month and Fiber 1000 "
                + "costs $60 per month. Installation is free.", List.of("Plans and prices"), null))));
        contactId = call("POST", "/api/crm/contacts", service, "{\"name\": \"Ann Lee\", \"plan\": \"Fiber 500\"}",
                Map.of()).json().path("id").asText();
        assertThat(put("/api/ai/settings", admin, """
                {"autopilot_enabled": true, "confidence_threshold": 0.7, "escalation_rules": [],
                 "allowed_tools": ["create_ticket", "cancel_subscription"]}
                """).status()).isEqualTo(200);
    }

    @AfterEach
    void stopTheReceiver() {
        receiver.close();
    }

    private String hooksUrl() {
        return receiver.url();
    }

    private JsonNode registerEndpoint() {
        Response created = call("POST", "/api/ai/webhooks", admin, "{\"url\": \"" + hooksUrl() + "\", \"description\": "
                + "\"our CRM\", \"event_types\": [\"reply.ready\", \"run.completed\", \"run.failed\", "
                + "\"handoff.requested\", \"approval.requested\", \"approval.decided\", \"tool_call.executed\", "
                + "\"ticket.created\"]}", Map.of());
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json();
    }

    private String[] customerSays(String text) {
        String conversation = call("POST", "/api/ai/conversations", service,
                "{\"channel\": \"web\", \"contact_id\": \"" + contactId + "\"}", Map.of()).json().path("id").asText();
        String message = call("POST", "/api/ai/conversations/" + conversation + "/messages", service,
                "{\"sender\": \"customer\", \"text\": \"" + text + "\"}", Map.of()).json().path("id").asText();
        return new String[]{conversation, message};
    }

    /**
     * The webhook types a conversation's stored events stand for, in the order stored: what its receiver must get, in
     * that order.
     */
    private List<String> expectedFor(String conversation) {
        List<String> types = new ArrayList<>();
        jdbc.query("""
                SELECT e.payload_type, convert_from(e.payload, 'UTF8')::jsonb ->> 'tool' AS tool
                FROM domain_event_entry e
                WHERE e.aggregate_identifier IN (SELECT aggregate_identifier FROM domain_event_entry
                                                 WHERE payload_type LIKE '%RunStarted'
                                                   AND convert_from(payload, 'UTF8')::jsonb ->> 'conversationId' = ?)
                ORDER BY e.global_index
                """, row -> {
            String type = row.getString(1).replaceFirst(".*[.$]", "");
            switch (type) {
                case "ReplySent" -> types.add("reply.ready");
                case "RunCompleted" -> types.add("run.completed");
                case "RunFailed" -> types.add("run.failed");
                case "HandedOffToHuman" -> types.add("handoff.requested");
                case "ToolCallApprovalRequested" -> types.add("approval.requested");
                case "ToolCallApproved", "ToolCallRejected", "ToolCallExpired" -> types.add("approval.decided");
                case "ToolCallExecuted" -> {
                    types.add("tool_call.executed");
                    if ("create_ticket".equals(row.getString(2))) {
                        types.add("ticket.created");
                    }
                }
                default -> {
                }
            }
        }, conversation);
        return types;
    }

    /** The first delivery of each webhook-id the receiver took (answered 200), for one conversation, in arrival order. */
    private List<Received> takenFor(String conversation) {
        Map<String, Received> taken = new LinkedHashMap<>();
        for (Received request : receiver.requests()) {
            if (request.answered() == 200
                    && conversation.equals(request.json().path("data").path("conversation_id").asText())) {
                taken.putIfAbsent(request.id(), request);
            }
        }
        return new ArrayList<>(taken.values());
    }

    private static List<String> types(List<Received> received) {
        return received.stream().map(r -> r.type()).toList();
    }

    private static void assertSigned(Received request, String secret) throws Exception {
        assertThat(request.id()).startsWith("msg_");
        long timestamp = Long.parseLong(request.timestamp());
        assertThat(Math.abs(Instant.now().getEpochSecond() - timestamp)).isLessThan(300);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
        String expected = "v1," + Base64.getEncoder().encodeToString(mac.doFinal(
                (request.id() + "." + request.timestamp() + "." + request.body()).getBytes(StandardCharsets.UTF_8)));
        assertThat(request.signature().split(" ")).as("the signature of " + request.id()).contains(expected);
    }

    private void settled(String[] thread, String status) {
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            JsonNode runs = get("/api/ai/agent/runs?conversation_id=" + thread[0], admin).json().path("items");
            return runs.size() == 1 && status.equals(runs.get(0).path("status").asText());
        });
    }

    @Test
    void aTicketAndAnApprovalReachTheReceiverSignedAndInOrder() throws Exception {
        JsonNode endpoint = registerEndpoint();
        String secret = endpoint.path("secret").asText();
        assertThat(secret).startsWith("whsec_");
        assertThat(get("/api/ai/webhooks/" + endpoint.path("id").asText(), admin).json().path("secret").isNull())
                .as("the secret is shown only when created").isTrue();

        String[] ticket = customerSays("Since the storm yesterday the little box on the wall blinks red and nothing "
                + "loads. Please open a support ticket.");
        String[] cancel = customerSays("I want to cancel my subscription, please cancel it at the end of the month.");
        settled(ticket, "completed");
        settled(cancel, "awaiting_approval");

        await().atMost(Duration.ofSeconds(30)).until(() -> types(takenFor(ticket[0])).equals(expectedFor(ticket[0]))
                && types(takenFor(cancel[0])).equals(expectedFor(cancel[0])));
        assertThat(types(takenFor(ticket[0]))).contains("ticket.created", "tool_call.executed", "reply.ready")
                .endsWith("run.completed");
        assertThat(types(takenFor(cancel[0]))).contains("approval.requested").doesNotContain("run.completed",
                "tool_call.executed");
        JsonNode requested = takenFor(cancel[0]).stream().filter(r -> r.type()
                .equals("approval.requested")).findFirst().orElseThrow().json().path("data");
        assertThat(requested.path("tool").asText()).isEqualTo("cancel_subscription");
        assertThat(requested.path("contact_id").asText()).isEqualTo(contactId);
        assertThat(requested.path("tenant_id").asText()).isEqualTo(tenant);
        JsonNode ticketCreated = takenFor(ticket[0]).stream().filter(r -> r.type()
                .equals("ticket.created")).findFirst().orElseThrow().json().path("data");
        assertThat(ticketCreated.path("ticket").isObject()).as(ticketCreated.toString()).isTrue();

        // the admin approves: the decision, the call and the run's end follow in order
        String callId = requested.path("call_id").asText();
        assertThat(call("POST", "/api/ai/approvals/" + callId + "/approve", admin, null, Map.of()).status())
                .isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> types(takenFor(cancel[0])).equals(expectedFor(cancel[0]))
                && types(takenFor(cancel[0])).contains("run.completed"));
        assertThat(types(takenFor(cancel[0]))).containsSubsequence("approval.requested", "approval.decided",
                "tool_call.executed", "run.completed");
        assertThat(takenFor(cancel[0]).stream().filter(r -> r.type().equals("approval.decided"))
                .findFirst().orElseThrow().json().path("data").path("decided_by").asText()).isEqualTo("ana");

        for (Received request : receiver.requests()) {
            assertSigned(request, secret);
        }
        // every delivery is in the endpoint's log as delivered at the first attempt
        JsonNode log = get("/api/ai/webhooks/" + endpoint.path("id").asText() + "/deliveries", admin).json()
                .path("items");
        assertThat(log.size()).isEqualTo(receiver.requests().size());
        log.forEach(delivery -> {
            assertThat(delivery.path("status").asText()).isEqualTo("delivered");
            assertThat(delivery.path("attempts").asInt()).isEqualTo(1);
            assertThat(delivery.path("last_status").asInt()).isEqualTo(200);
        });
        // kept for the log a week by default; done with, they go once that is over
        retention.purge(Duration.ofDays(7));
        assertThat(get("/api/ai/webhooks/" + endpoint.path("id").asText() + "/deliveries", admin).json().path("items")
                .size()).isEqualTo(log.size());
        assertThat(retention.purge(Duration.ZERO)).isGreaterThanOrEqualTo(log.size());
        assertThat(get("/api/ai/webhooks/" + endpoint.path("id").asText() + "/deliveries", admin).json().path("items"))
                .isEmpty();
    }

    @Test
    void aReceiverThatFailsForAMinuteGetsEveryEventOnceItRecovers() throws Exception {
        JsonNode endpoint = registerEndpoint();
        String secret = endpoint.path("secret").asText();
        String endpointId = endpoint.path("id").asText();
        receiver.answer(500);
        Instant failingFrom = Instant.now();
        String[] ticket = customerSays("Since the storm yesterday the little box on the wall blinks red and nothing "
                + "loads. Please open a support ticket.");
        String[] cancel = customerSays("I want to cancel my subscription, please cancel it at the end of the month.");
        settled(ticket, "completed");
        settled(cancel, "awaiting_approval");
        await().atMost(Duration.ofSeconds(30)).until(() -> receiver.requests().stream().filter(r -> r.answered() == 500)
                .map(Received::id).distinct().count() >= 2);
        await().pollDelay(Duration.ofSeconds(60).minus(Duration.between(failingFrom, Instant.now())))
                .atMost(Duration.ofSeconds(90)).until(() -> true);

        JsonNode failing = get("/api/ai/webhooks/" + endpointId, admin).json();
        assertThat(failing.path("status").asText()).isEqualTo("active");
        assertThat(failing.path("failing_since").isNull()).isFalse();
        assertThat(failing.path("pending").asInt()).isEqualTo(expectedFor(ticket[0]).size()
                + expectedFor(cancel[0]).size());
        JsonNode retried = get("/api/ai/webhooks/" + endpointId + "/deliveries?status=pending", admin).json()
                .path("items");
        assertThat(retried).anySatisfy(delivery -> {
            assertThat(delivery.path("attempts").asInt()).isGreaterThan(3);
            assertThat(delivery.path("last_status").asInt()).isEqualTo(500);
            assertThat(delivery.path("last_error").asText()).isEqualTo("answered 500: down for maintenance");
        });

        receiver.answer(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> types(takenFor(ticket[0])).equals(expectedFor(ticket[0]))
                && types(takenFor(cancel[0])).equals(expectedFor(cancel[0])));
        assertThat(types(takenFor(ticket[0]))).contains("ticket.created").endsWith("run.completed");
        // what the receiver saw while failing came again with the same webhook-id and the same body
        Map<String, String> firstBody = new LinkedHashMap<>();
        for (Received request : receiver.requests()) {
            assertSigned(request, secret);
            String before = firstBody.putIfAbsent(request.id(), request.body());
            assertThat(before == null || before.equals(request.body())).as(request.id()).isTrue();
        }
        assertThat(receiver.requests().size()).isGreaterThan(firstBody.size());
        assertThat(get("/api/ai/webhooks/" + endpointId, admin).json().path("failing_since").isNull()).isTrue();
    }

    @Test
    void anEndpointFailingForADayIsDisabledSaysWhyAndResumesWhenEnabled() {
        JsonNode endpoint = registerEndpoint();
        String endpointId = endpoint.path("id").asText();
        receiver.answer(503);
        String[] ticket = customerSays("Since the storm yesterday the little box on the wall blinks red and nothing "
                + "loads. Please open a support ticket.");
        settled(ticket, "completed");
        await().atMost(Duration.ofSeconds(30)).until(() -> !receiver.requests().isEmpty());
        // a day of failures, without waiting a day: the run of failures began 25 hours ago
        new TenantRows(jdbc, transactions).as(tenant, () -> jdbc.update("UPDATE ai_webhook_endpoints "
                + "SET failing_since = now() - interval '25 hours' WHERE endpoint_id = ?", endpointId));
        await().atMost(Duration.ofSeconds(30)).until(() -> "disabled".equals(get("/api/ai/webhooks/" + endpointId,
                admin).json().path("status").asText()));
        JsonNode disabled = get("/api/ai/webhooks/" + endpointId, admin).json();
        assertThat(disabled.path("disabled_reason").asText()).startsWith("every delivery failed since")
                .contains("answered 503");
        int seen = receiver.requests().size();

        // nothing is queued for it while it is disabled
        String[] later = customerSays("Please open a support ticket: the box on the wall blinks red again.");
        settled(later, "completed");
        receiver.answer(200);
        assertThat(receiver.requests().size()).isEqualTo(seen);

        Response enabled = call("PATCH", "/api/ai/webhooks/" + endpointId, admin, "{\"enabled\": true}", Map.of());
        assertThat(enabled.status()).as(enabled.toString()).isEqualTo(200);
        assertThat(enabled.json().path("status").asText()).isEqualTo("active");
        await().atMost(Duration.ofSeconds(30)).until(() -> types(takenFor(ticket[0])).equals(expectedFor(ticket[0])));
        assertThat(takenFor(later[0])).isEmpty();
        // the audit says who disabled it and who enabled it again
        List<String> recorded = jdbc.queryForList("SELECT payload_type FROM domain_event_entry WHERE "
                + "aggregate_identifier = ? OR convert_from(payload, 'UTF8')::jsonb ->> 'endpointId' = ? "
                + "ORDER BY global_index", String.class, endpointId, endpointId);
        assertThat(recorded.stream().map(t -> t.replaceFirst(".*[.$]", "")).toList())
                .containsSubsequence("WebhookEndpointRegistered", "WebhookEndpointDisabled", "WebhookEndpointChanged");
    }

    private long deadlocks() {
        return jdbc.queryForObject("SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()",
                Long.class);
    }

    /** The dispatcher holds a delivery while it waits for the receiver; removing its endpoint waits, never deadlocks. */
    @Test
    void anEndpointRemovedWhileADeliveryIsInFlightIsRemovedOnceItEnds() {
        String endpointId = registerEndpoint().path("id").asText();
        receiver.hold(Duration.ofSeconds(2));
        customerSays("Please open a support ticket: the box on the wall blinks red.");
        await().atMost(Duration.ofSeconds(30)).until(() -> !receiver.requests().isEmpty());
        long deadlocks = deadlocks();
        Response removed = call("DELETE", "/api/ai/webhooks/" + endpointId, admin, null, Map.of());
        assertThat(removed.status()).as(removed.toString()).isEqualTo(204);
        assertThat(get("/api/ai/webhooks/" + endpointId, admin).status()).isEqualTo(404);
        // Postgres reports a deadlock it broke within a moment: none may have happened
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(6)).until(() -> deadlocks() == deadlocks);
        int seen = receiver.requests().size();
        receiver.hold(Duration.ZERO);
        customerSays("Please open another ticket: it blinks red again.");
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> receiver.requests().size() == seen);
    }

    @Test
    void badEndpointsAreRefusedPreciselyAndAnotherTenantSeesNothing() {
        JsonNode endpoint = registerEndpoint();
        for (String[] bad : List.of(
                new String[]{"{\"url\": \"ftp://127.0.0.1/hooks\", \"event_types\": [\"run.completed\"]}", "url"},
                new String[]{"{\"url\": \"http://10.1.2.3/hooks\", \"event_types\": [\"run.completed\"]}", "url"},
                new String[]{"{\"url\": \"http://user:pw@127.0.0.1/hooks\", \"event_types\": [\"run.completed\"]}", "url"},
                new String[]{"{\"url\": \"" + hooksUrl() + "\", \"event_types\": [\"run.finished\"]}", "event_types"},
                new String[]{"{\"url\": \"" + hooksUrl() + "\", \"event_types\": []}", "event_types"})) {
            Response refused = call("POST", "/api/ai/webhooks", admin, bad[0], Map.of());
            assertThat(refused.status()).as(bad[0] + " " + refused).isEqualTo(400);
            assertThat(refused.contentType()).startsWith("application/problem+json");
            assertThat(refused.json().path("field").asText()).as(refused.toString()).isEqualTo(bad[1]);
        }
        Response privateOne = call("POST", "/api/ai/webhooks", admin,
                "{\"url\": \"http://10.1.2.3/hooks\", \"event_types\": [\"run.completed\"]}", Map.of());
        assertThat(privateOne.json().path("detail").asText()).contains("private");
        assertThat(get("/api/ai/webhooks", admin).json().path("items").size()).isEqualTo(1);

        String otherAdmin = token(newTenant(), "olga", "admin");
        String path = "/api/ai/webhooks/" + endpoint.path("id").asText();
        assertThat(get("/api/ai/webhooks", otherAdmin).json().path("items").size()).isZero();
        assertThat(get(path, otherAdmin).status()).isEqualTo(404);
        assertThat(call("DELETE", path, otherAdmin, null, Map.of()).status()).isEqualTo(404);
        assertThat(call("PATCH", path, otherAdmin, "{\"enabled\": false}", Map.of()).status()).isEqualTo(404);
        assertThat(get(path + "/deliveries", otherAdmin).status()).isEqualTo(404);
        assertThat(get(path, token(tenant, "bo", "agent")).status()).isEqualTo(403);
        assertThat(get(path, admin).json().path("status").asText()).isEqualTo("active");

        Response rotated = call("POST", path + "/rotate-secret", admin, null, Map.of());
        assertThat(rotated.json().path("secret").asText()).startsWith("whsec_")
                .isNotEqualTo(endpoint.path("secret").asText());
        assertThat(call("DELETE", path, admin, null, Map.of()).status()).isEqualTo(204);
        assertThat(get(path, admin).status()).isEqualTo(404);
    }
}
