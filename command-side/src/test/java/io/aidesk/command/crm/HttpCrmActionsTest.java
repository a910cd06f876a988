package io.aidesk.command.crm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.aidesk.command.tools.InvalidToolCallException;
import io.aidesk.command.tools.ToolCall;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The HTTP adapter against a host CRM on loopback that speaks the action API and honours Idempotency-Key. */
class HttpCrmActionsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "crm-service-token";

    private final HttpServer server;
    private final List<JsonNode> bodies = new CopyOnWriteArrayList<>();
    private final List<String> keys = new CopyOnWriteArrayList<>();
    private final Map<String, String> ticketsByKey = new ConcurrentHashMap<>();
    private final AtomicInteger failuresToServe = new AtomicInteger();

    HttpCrmActionsTest() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/crm/ai-desk/actions/", this::action);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void action(HttpExchange exchange) throws IOException {
        if (!("Bearer " + TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            answer(exchange, 401, "{\"detail\": \"who are you?\"}");
            return;
        }
        JsonNode body = JSON.readTree(exchange.getRequestBody());
        bodies.add(body);
        String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
        keys.add(key);
        if (failuresToServe.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            answer(exchange, 503, "{\"detail\": \"busy\"}");
            return;
        }
        if (!"c-1".equals(body.path("args").path("contact_id").asText())) {
            answer(exchange, 404, "{\"title\": \"Not found\", \"detail\": \"no such contact\", \"field\": \"contact_id\"}");
            return;
        }
        String ticket = ticketsByKey.computeIfAbsent(key, k -> "T-" + (ticketsByKey.size() + 1));
        answer(exchange, 201, "{\"ticket_id\": \"" + ticket + "\"}");
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private HttpCrmActions adapter(String path) {
        return new HttpCrmActions(new HttpCrmSettings(URI.create("http://127.0.0.1:" + server.getAddress().getPort()
                + path), TOKEN, Duration.ofSeconds(2), 2, Duration.ofMillis(10)), JSON);
    }

    private static ToolCall ticket(String contactId) {
        return new ToolCall("acme", "run-1", "call-1", "create_ticket", JSON.valueToTree(Map.of("contact_id", contactId,
                "subject", "Leak", "priority", "high", "summary", "kitchen", "tags", List.of())), "autopilot");
    }

    @Test
    void aCallIsPostedWithTheTenantTheActorAndItsIdempotencyKeyAndTheAnswerIsTheResult() {
        Map<String, Object> result = adapter("/crm/").perform(ticket("c-1"));

        assertThat(result).isEqualTo(Map.of("ticket_id", "T-1"));
        JsonNode sent = bodies.get(0);
        assertThat(sent.path("tenant_id").asText()).isEqualTo("acme");
        assertThat(sent.path("tool").asText()).isEqualTo("create_ticket");
        assertThat(sent.path("actor").asText()).isEqualTo("autopilot");
        assertThat(sent.path("args").path("subject").asText()).isEqualTo("Leak");
        assertThat(keys).containsExactly("run-1/call-1");
    }

    @Test
    void aBusyCrmIsTriedAgainWithTheSameKeyAndActsOnce() {
        failuresToServe.set(2);

        Map<String, Object> result = adapter("/crm").perform(ticket("c-1"));

        assertThat(result).isEqualTo(Map.of("ticket_id", "T-1"));
        assertThat(keys).containsExactly("run-1/call-1", "run-1/call-1", "run-1/call-1");
        assertThat(ticketsByKey).hasSize(1);
    }

    @Test
    void aCrmThatStaysDownIsReportedUnavailable() {
        failuresToServe.set(3);

        assertThatThrownBy(() -> adapter("/crm").perform(ticket("c-1")))
                .isInstanceOf(CrmUnavailableException.class).hasMessageContaining("after 3 tries");
        assertThat(ticketsByKey).isEmpty();
    }

    @Test
    void aRefusalNamesTheArgumentTheCrmRefused() {
        assertThatThrownBy(() -> adapter("/crm").perform(ticket("c-9")))
                .isInstanceOf(InvalidToolCallException.class)
                .hasMessageContaining("no such contact")
                .satisfies(e -> assertThat(((InvalidToolCallException) e).field()).isEqualTo("args.contact_id"));
        assertThat(keys).as("a refusal is not retried").hasSize(1);
    }

    @Test
    void theAdapterNeedsAnAddressAndAToken() {
        assertThatThrownBy(() -> new HttpCrmActions(new HttpCrmSettings(URI.create(""), TOKEN, Duration.ofSeconds(1), 0,
                Duration.ZERO), JSON)).isInstanceOf(IllegalStateException.class).hasMessageContaining("base-url");
    }
}
