package io.aidesk.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.aidesk.api.live.LiveNotice;
import io.aidesk.api.live.LiveTopic;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The UI's live updates: a stream of a tenant's changes tells of a new conversation, its message and its run as they
 * commit, never of another tenant's, and refuses topics a role may not follow with a problem.
 */
class LiveStreamTest extends ApiTest {
    private static final HttpClient STREAMS = HttpClient.newHttpClient();

    @Autowired
    JdbcTemplate jdbc;

    /** An open stream: the data lines of its events as they arrive. */
    private record Listening(List<String> events, CompletableFuture<HttpResponse<java.util.stream.Stream<String>>> response) {
        List<JsonNode> changes() {
            return events.stream().filter(line -> line.startsWith("data:") && line.contains("\"topic\""))
                    .map(line -> {
                        try {
                            return JSON.readTree(line.substring("data:".length()));
                        } catch (IOException e) {
                            throw new AssertionError(line, e);
                        }
                    }).toList();
        }

        void close() {
            response.thenAccept(answer -> answer.body().close());
        }
    }

    private Listening open(String token, String topics) {
        List<String> lines = new CopyOnWriteArrayList<>();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/ai/stream?topics="
                + topics)).header("Authorization", "Bearer " + token).header("Accept", "text/event-stream").build();
        CompletableFuture<HttpResponse<java.util.stream.Stream<String>>> response = STREAMS.sendAsync(request,
                HttpResponse.BodyHandlers.ofLines());
        response.thenAcceptAsync(answer -> answer.body().forEach(lines::add));
        Listening stream = new Listening(lines, response);
        await().atMost(Duration.ofSeconds(10)).until(() -> lines.contains("event:ready"));
        return stream;
    }

    @Test
    void aConversationItsMessageAndItsRunAreToldAsTheyHappenToTheirTenantOnly() {
        String tenant = newTenant();
        String service = token(tenant, "crm", "service");
        String agent = token(tenant, "bo", "agent");
        assertThat(put("/api/ai/settings", token(tenant, "ana", "admin"), "{\"autopilot_enabled\": true}").status())
                .isEqualTo(200);
        Listening mine = open(agent, "conversations,runs");
        Listening others = open(token(newTenant(), "olga", "agent"), "conversations,runs");
        try {
            String contact = call("POST", "/api/crm/contacts", service, "{\"name\": \"Ann Lee\"}", Map.of()).json()
                    .path("id").asText();
            Response started = call("POST", "/api/ai/conversations", service, "{\"channel\": \"web\", \"contact_id\": \""
                    + contact + "\"}", Map.of());
            assertThat(started.status()).as(started.toString()).isEqualTo(201);
            String conversation = started.json().path("id").asText();
            assertThat(call("POST", "/api/ai/conversations/" + conversation + "/messages", service,
                    "{\"sender\": \"customer\", \"text\": \"What are your opening hours?\"}", Map.of()).status())
                    .isEqualTo(201);

            await().atMost(Duration.ofSeconds(30)).until(() -> mine.changes().stream().anyMatch(change ->
                    change.path("topic").asText().equals("runs") && change.path("what").asText().equals("RunCompleted")
                            || change.path("what").asText().equals("HandedOffToHuman")));
            List<JsonNode> changes = mine.changes();
            assertThat(changes).anySatisfy(change -> {
                assertThat(change.path("topic").asText()).isEqualTo("conversations");
                assertThat(change.path("id").asText()).isEqualTo(conversation);
                assertThat(change.path("what").asText()).isEqualTo("MessagePosted");
            });
            assertThat(changes).anySatisfy(change -> {
                assertThat(change.path("topic").asText()).isEqualTo("conversations");
                assertThat(change.path("id").asText()).isEqualTo(conversation);
                assertThat(change.path("what").asText()).isEqualTo("RunStarted");
            });
            // what the stream said is what a read shows: the run it announced is there
            String run = changes.stream().filter(c -> c.path("topic").asText().equals("runs")).findFirst()
                    .orElseThrow().path("id").asText();
            assertThat(get("/api/ai/agent/runs/" + run, agent).status()).isEqualTo(200);
            assertThat(others.changes()).isEmpty();
        } finally {
            mine.close();
            others.close();
        }
    }

    /** Another node's change arrives as a Postgres notification: a stream on this node hears it, for its tenant only. */
    @Test
    void aChangeAnotherNodeMadeReachesTheStreamsOfThisOne() {
        String tenant = newTenant();
        Listening mine = open(token(tenant, "bo", "agent"), "sources");
        Listening others = open(token(newTenant(), "olga", "agent"), "sources");
        try {
            jdbc.queryForList(LiveNotice.NOTIFY_SQL, String.class,
                    LiveNotice.encode(tenant, LiveTopic.SOURCES, "source-on-node-b", "SyncCompleted"));
            await().atMost(Duration.ofSeconds(10)).until(() -> mine.changes().stream().anyMatch(change ->
                    change.path("id").asText().equals("source-on-node-b")
                            && change.path("what").asText().equals("SyncCompleted")));
            assertThat(others.changes()).isEmpty();
        } finally {
            mine.close();
            others.close();
        }
    }

    @Test
    void topicsAreCheckedAndAnAgentMayNotFollowTheApprovals() {
        String tenant = newTenant();
        String agent = token(tenant, "bo", "agent");
        for (String[] bad : List.of(new String[]{"/api/ai/stream", "400"},
                new String[]{"/api/ai/stream?topics=everything", "400"},
                new String[]{"/api/ai/stream?topics=runs,approvals", "403"})) {
            Response refused = call("GET", bad[0], agent, null, Map.of("Accept", "text/event-stream, application/problem+json"));
            assertThat(refused.status()).as(bad[0] + " " + refused).isEqualTo(Integer.parseInt(bad[1]));
            assertThat(refused.contentType()).as(bad[0]).startsWith("application/problem+json");
            assertThat(refused.json().path("detail").asText()).as(bad[0]).isNotBlank();
        }
        assertThat(call("GET", "/api/ai/stream?topics=runs", null, null, Map.of()).status()).isEqualTo(401);
        Listening admin = open(token(tenant, "ana", "admin"), "approvals,sources");
        admin.close();
    }
}
