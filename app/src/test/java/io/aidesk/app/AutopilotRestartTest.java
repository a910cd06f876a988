package io.aidesk.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jwt.JWTClaimsSet;
import io.aidesk.ingestion.index.KnowledgeIndex;
import io.aidesk.ingestion.parse.ParsedDocument;
import org.axonframework.config.Configuration;
import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * AI Desk is stopped after a run requested a tool call and before the call ran; after a restart the run finishes and
 * the ticket exists exactly once, and delivering every request again creates no second one. Two real application
 * contexts, one after the other, on the same database; in a JVM of its own so no other context takes the work.
 */
@Tag("own-jvm")
class AutopilotRestartTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String SECRET = "aidesk-integration-tests-secret-0123456789abcdef";
    private static final String TOOL_CALLS = "tool-calls";

    private final String tenant = "t-" + UUID.randomUUID();
    private ConfigurableApplicationContext running;

    private static ConfigurableApplicationContext start() {
        // arguments, not default properties: application.yml's server.port (8080) would win over a default
        ConfigurableApplicationContext context = new SpringApplicationBuilder(AiDeskApplication.class).profiles("test")
                .run("--server.port=0", "--aidesk.autopilot.settle-wait=1s");
        // the suite must pass while ./aidesk run holds the default port
        assertThat(context.getEnvironment().getProperty("local.server.port")).isNotEqualTo("8080");
        return context;
    }

    @AfterEach
    void stop() {
        if (running != null) {
            running.close();
        }
    }

    private EventProcessor toolCalls() {
        return running.getBean(Configuration.class).eventProcessingConfiguration().eventProcessor(TOOL_CALLS)
                .orElseThrow();
    }

    private String token(String... roles) {
        return ApiTest.sign(new JWTClaimsSet.Builder().subject("ana").claim("tid", tenant).claim("roles", List.of(roles))
                .expirationTime(Date.from(Instant.now().plusSeconds(600))).build(), SECRET);
    }

    private JsonNode call(String method, String path, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:"
                        + running.getEnvironment().getProperty("local.server.port") + path))
                .header("Authorization", "Bearer " + token("admin", "service"))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(path + " " + response.body()).isLessThan(300);
            return response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private int tickets(String contactId) {
        return call("GET", "/api/crm/tickets?contact_id=" + contactId, null).path("items").size();
    }

    private List<String> toolCallRequests(String runId) {
        return running.getBean(JdbcTemplate.class).queryForList("SELECT payload_type FROM domain_event_entry WHERE "
                + "aggregate_identifier = ? AND payload_type LIKE '%ToolCallRequested'", String.class, runId);
    }

    /** How far each segment of the tool-calls processor has read the event store (a replay's current position). */
    private List<Long> toolCallPositions() {
        return running.getBean(JdbcTemplate.class).queryForList("SELECT convert_from(token, 'UTF8') FROM token_entry "
                + "WHERE processor_name = ?", String.class, TOOL_CALLS).stream().map(token -> {
                    try {
                        JsonNode node = JSON.readTree(token);
                        return (node.has("currentToken") ? node.path("currentToken") : node).path("index").asLong();
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                }).toList();
    }

    @Test
    void aRunStoppedBetweenRequestAndExecutionFinishesAfterRestartWithOneTicket() throws Exception {
        Instant before = Instant.now();
        running = start();
        toolCalls().shutdownAsync().get();
        call("PUT", "/api/ai/settings", """
                {"autopilot_enabled": true, "confidence_threshold": 0, "escalation_rules": [],
                 "allowed_tools": ["create_ticket"]}
                """);
        running.getBean(KnowledgeIndex.class).index(tenant, UUID.randomUUID().toString(), new ParsedDocument(
                "https://acme.test/help/leaks", "Leaks", List.of(new ParsedDocument.Block(
                "A leaking pipe is repaired by a plumber within 24 hours of your call.", List.of("Leaks"), null))));
        String contactId = call("POST", "/api/crm/contacts", "{\"name\": \"Ann Lee\"}").path("id").asText();
        String conversation = call("POST", "/api/ai/conversations", "{\"channel\": \"web\", \"contact_id\": \""
                + contactId + "\"}").path("id").asText();
        String message = call("POST", "/api/ai/conversations/" + conversation + "/messages",
                "{\"sender\": \"customer\", \"text\": \"Since the storm yesterday the little box on the wall blinks red and nothing loads.\"}").path("id").asText();

        JsonNode accepted = call("POST", "/api/ai/agent/handle-message", "{\"conversation_id\": \"" + conversation
                + "\", \"message_id\": \"" + message + "\"}");
        String runId = accepted.path("run_id").asText();
        await().atMost(Duration.ofSeconds(20)).until(() -> toolCallRequests(runId).size() == 1);
        JsonNode requested = call("GET", "/api/ai/agent/runs/" + runId, null);
        assertThat(requested.path("status").asText()).isEqualTo("running");
        assertThat(requested.path("actions").get(0).path("status").asText()).isEqualTo("requested");
        assertThat(tickets(contactId)).as("the call has not run").isZero();
        running.close();

        running = start();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .until(() -> call("GET", "/api/ai/agent/runs/" + runId, null).path("status").asText(), "completed"::equals);
        JsonNode finished = call("GET", "/api/ai/agent/runs/" + runId, null);
        assertThat(tickets(contactId)).isEqualTo(1);
        assertThat(finished.path("actions").get(0).path("status").asText()).isEqualTo("executed");
        assertThat(finished.path("actions").get(0).path("result").path("ticket_id").asText()).isEqualTo(
                call("GET", "/api/crm/tickets?contact_id=" + contactId, null).path("items").get(0).path("id").asText());

        // every tool call requested since this test began is delivered again: none acts twice
        StreamingEventProcessor processor = (StreamingEventProcessor) toolCalls();
        processor.shutdownAsync().get();
        long request = running.getBean(JdbcTemplate.class).queryForObject("SELECT global_index FROM domain_event_entry "
                + "WHERE aggregate_identifier = ? AND payload_type LIKE '%ToolCallRequested'", Long.class, runId);
        long head = running.getBean(JdbcTemplate.class).queryForObject("SELECT max(global_index) FROM domain_event_entry",
                Long.class);
        processor.resetTokens(source -> source.createTokenAt(before));
        assertThat(toolCallPositions()).as("the request is ahead of every segment again").allMatch(at -> at < request);
        processor.start();
        await().atMost(Duration.ofSeconds(60)).until(() -> toolCallPositions().stream().allMatch(at -> at >= head));
        assertThat(tickets(contactId)).isEqualTo(1);
        assertThat(call("GET", "/api/ai/agent/runs/" + runId, null).path("actions").get(0).path("status").asText())
                .isEqualTo("executed");
    }
}
