package io.aidesk.app;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Test before going live: past conversations decided again under a proposed threshold, in shadow mode. The diff
 * names exactly the runs whose outcome changes; no tool runs, no conversation gets a message, the original runs and
 * the approvals inbox stay as they were. Test questions replay too; bad requests change nothing.
 */
class ReplayTest extends ApiTest {
    private static final byte[] FAQ = String.join("\n",
            "Our plumbers work Monday to Friday from 8am to 6pm and Saturdays from 9am to 1pm.",
            "A weekend emergency call-out costs $120; on weekdays the call-out fee is $60.",
            "Drain cleaning costs $89 per drain, including a camera inspection.",
            "We serve Springfield, Shelbyville and Capital City; other towns pay a $30 travel fee.",
            "You can pay by card, bank transfer or cash; invoices are due within 14 days.",
            "Every repair has a 12-month warranty on parts and labour.",
            "Water heater installation takes about three hours and costs from $450.",
            "You can cancel your maintenance plan at any time; it ends at the end of the month.",
            "To book a visit, call 555-0100 or use the booking form on our website.",
            "Leak detection uses thermal cameras and costs $150 per visit.", "").getBytes(StandardCharsets.UTF_8);

    /** Twenty customers' first messages: questions near and far from the help center, requests, a person, a cancel. */
    private static final List<String> MESSAGES = List.of(
            "When are your plumbers available during the week?",
            "How much do you charge for an emergency on a Sunday?",
            "What does it cost to unblock a drain?",
            "Do you come out to Shelbyville?",
            "Can I pay my invoice by bank transfer?",
            "Is there a warranty on the repair you did last month?",
            "How long does it take to install a new water heater?",
            "How do I book a plumber?",
            "How much is leak detection?",
            "What are your opening hours on Saturday?",
            "Do you repair dishwashers and washing machines?",
            "Is the call-out fee cheaper on a weekday?",
            "Which towns do you cover?",
            "Can I pay in cash?",
            "Do you sell garden furniture?",
            "What is the weather like tomorrow?",
            "My kitchen tap is leaking badly, please open a ticket so someone comes.",
            "I want to talk to a person, not a bot.",
            "Please cancel my maintenance plan.",
            "How much is a camera inspection of my drains?");

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    PlatformTransactionManager transactions;

    private String tenant;
    private String admin;
    private String service;
    private final Map<String, String> runsByConversation = new LinkedHashMap<>();

    @BeforeEach
    void twentyPastConversations() {
        tenant = newTenant();
        admin = token(tenant, "ana", "admin");
        service = token(tenant, "crm", "service");
        Response uploaded = upload("/api/ai/kb/sources", admin, Map.of("type", "file"), "faq.txt", FAQ);
        String source = uploaded.json().path("id").asText();
        await().atMost(Duration.ofSeconds(60)).until(() -> "ok".equals(get("/api/ai/kb/sources/" + source, admin)
                .json().path("status").asText()));
        assertThat(put("/api/ai/settings", admin, "{\"confidence_threshold\": 0, \"escalation_rules\": [], "
                + "\"autopilot_enabled\": true, \"allowed_tools\": [\"create_ticket\", \"cancel_subscription\"]}")
                .status()).isEqualTo(200);
        String contact = call("POST", "/api/crm/contacts", service, "{\"name\": \"Ann Lee\"}", Map.of()).json()
                .path("id").asText();
        for (String text : MESSAGES) {
            String conversation = call("POST", "/api/ai/conversations", service, "{\"channel\": \"web\", "
                    + "\"contact_id\": \"" + contact + "\"}", Map.of()).json().path("id").asText();
            String message = call("POST", "/api/ai/conversations/" + conversation + "/messages", service,
                    "{\"sender\": \"customer\", \"text\": \"" + text + "\"}", Map.of()).json().path("id").asText();
            runsByConversation.put(conversation, settledRun(service, conversation, message).path("run_id").asText());
        }
    }

    private JsonNode awaitEnded(String replayId) {
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).until(() -> !"running".equals(
                get("/api/ai/replays/" + replayId, admin).json().path("replay").path("status").asText()));
        return get("/api/ai/replays/" + replayId, admin).json();
    }

    private Map<String, String> originalRuns() {
        Map<String, String> details = new LinkedHashMap<>();
        runsByConversation.forEach((conversation, run) -> details.put(run, get("/api/ai/runs/" + run, admin).body()));
        return details;
    }

    private Map<String, Integer> messageCounts() {
        Map<String, Integer> counts = new HashMap<>();
        runsByConversation.keySet().forEach(conversation -> counts.put(conversation, get("/api/ai/conversations/"
                + conversation, service).json().path("messages").size()));
        return counts;
    }

    private int executedCalls() {
        return new TenantRows(jdbc, transactions).as(tenant, () -> jdbc.queryForObject(
                "SELECT count(*) FROM ai_actions_log WHERE tenant_id = ? AND status = 'executed'", Integer.class,
                tenant));
    }

    /** The outcome the policy gave a run, as its own audit trail records it. */
    private String policyOutcome(String runId) {
        for (JsonNode event : get("/api/ai/runs/" + runId + "/events", admin).json().path("items")) {
            if (event.path("type").asText().equals("PolicyApplied")) {
                return event.path("payload").path("outcome").asText();
            }
        }
        return null;
    }

    @Test
    void aHigherThresholdChangesExactlyTheRunsWhoseOutcomeChangesAndTouchesNothing() {
        Map<String, String> originalsBefore = originalRuns();
        Map<String, Integer> messagesBefore = messageCounts();
        int executedBefore = executedCalls();
        String approvalsBefore = get("/api/ai/approvals", admin).body();

        Response started = call("POST", "/api/ai/replays", admin, "{\"description\": \"the default threshold\", "
                + "\"settings\": {\"confidence_threshold\": 0.75}, \"selection\": {\"conversation_ids\": "
                + JSON.valueToTree(List.copyOf(runsByConversation.keySet())) + "}}", Map.of());
        assertThat(started.status()).as(started.toString()).isEqualTo(202);
        assertThat(started.json().path("items").asInt()).isEqualTo(20);
        JsonNode replay = awaitEnded(started.json().path("replay_id").asText());

        assertThat(replay.path("replay").path("status").asText()).isEqualTo("completed");
        assertThat(replay.path("changes")).hasSize(1);
        assertThat(replay.path("changes").get(0).path("field").asText()).isEqualTo("confidence_threshold");
        Set<String> changed = new HashSet<>();
        Set<String> changes = new HashSet<>();
        for (JsonNode item : replay.path("items")) {
            String runId = item.path("original_run_id").asText();
            assertThat(runId).isEqualTo(runsByConversation.get(item.path("conversation_id").asText()));
            // each side as its own run's audit says it: the original's policy, and the rehearsal's
            JsonNode original = get("/api/ai/agent/runs/" + runId, admin).json();
            String before = original.path("handoff_reason").isTextual() ? "handoff" : policyOutcome(runId);
            String replayRun = item.path("replay_run_id").asText();
            String after = policyOutcome(replayRun);
            assertThat(item.path("original").path("outcome").asText()).isEqualTo(before);
            assertThat(item.path("replayed").path("outcome").asText()).isEqualTo(after);
            if (!before.equals(after)) {
                changes.add(item.path("conversation_id").asText());
            }
            if (item.path("outcome_changed").asBoolean()) {
                changed.add(item.path("conversation_id").asText());
            }
            if ("answer".equals(after)) {
                assertThat(item.path("replayed").path("confidence").asDouble()).isGreaterThanOrEqualTo(0.75);
            }
            JsonNode run = get("/api/ai/runs/" + replayRun, admin).json();
            assertThat(run.path("mode").asText()).isEqualTo("replay");
            run.path("actions").forEach(action -> assertThat(action.path("status").asText()).isEqualTo("rehearsed"));
        }
        assertThat(changed).isEqualTo(changes).isNotEmpty();
        JsonNode totals = replay.path("totals");
        assertThat(totals.path("replayed").asInt()).isEqualTo(20);
        assertThat(totals.path("outcome_changed").asInt()).isEqualTo(changes.size());
        assertThat(get("/api/ai/replays/" + started.json().path("replay_id").asText() + "?changed=outcome", admin)
                .json().path("items")).hasSize(changes.size());

        assertThat(executedCalls()).isEqualTo(executedBefore);
        assertThat(messageCounts()).isEqualTo(messagesBefore);
        assertThat(originalRuns()).isEqualTo(originalsBefore);
        assertThat(get("/api/ai/approvals", admin).body()).isEqualTo(approvalsBefore);
        assertThat(get("/api/ai/replays", token(tenant, "carla", "auditor")).json().path("items")).hasSize(1);
    }

    @Test
    void testQuestionsReplayAndBadRequestsChangeNothing() {
        Response started = call("POST", "/api/ai/replays", admin, "{\"selection\": {\"questions\": "
                + "[\"How much does drain cleaning cost?\", \"Do you work on Saturdays?\"]}}", Map.of());
        assertThat(started.status()).as(started.toString()).isEqualTo(202);
        JsonNode replay = awaitEnded(started.json().path("replay_id").asText());
        assertThat(replay.path("items")).hasSize(2);
        replay.path("items").forEach(item -> {
            assertThat(item.path("original").path("outcome").asText()).isEqualTo("none");
            assertThat(item.path("replayed").path("outcome").asText()).isEqualTo("answer");
            assertThat(item.path("replayed").path("citations")).isNotEmpty();
        });
        assertThat(replay.path("totals").path("resolution_before").asDouble()).isZero();
        assertThat(replay.path("totals").path("resolution_after").asDouble()).isEqualTo(1.0);

        for (String bad : List.of("{}", "{\"selection\": {}}",
                "{\"selection\": {\"questions\": [\"hi\"], \"from\": \"2026-01-01\"}}",
                "{\"selection\": {\"questions\": [\"  \"]}}",
                "{\"selection\": {\"from\": \"yesterday\"}}",
                "{\"selection\": {\"from\": \"2020-01-01\", \"to\": \"2020-01-02\"}}",
                "{\"model\": \"gpt-9\", \"selection\": {\"questions\": [\"hi\"]}}",
                "{\"settings\": {\"confidence_threshold\": 7}, \"selection\": {\"questions\": [\"hi\"]}}",
                "{\"selection\": {\"questions\": [\"hi\"], \"limit\": 5000}}",
                "{\"selection\": {\"questions\": \"hi\"}}",
                "{\"selection\": {\"questions\": [\"hi\"], \"limit\": \"many\"}}",
                "{\"selection\": {\"questions\": [\"hi\"]}",
                "{\"description\": \"" + "x".repeat(201) + "\", \"selection\": {\"questions\": [\"hi\"]}}")) {
            Response refused = call("POST", "/api/ai/replays", admin, bad, Map.of());
            assertThat(refused.status()).as(bad + " → " + refused).isEqualTo(400);
            assertThat(refused.contentType()).startsWith("application/problem+json");
            assertThat(refused.json().path("detail").asText()).isNotBlank();
        }
        assertThat(call("POST", "/api/ai/replays", token(tenant, "bo", "agent"), "{\"selection\": {\"questions\": "
                + "[\"hi\"]}}", Map.of()).status()).isEqualTo(403);
        assertThat(call("POST", "/api/ai/replays", token(tenant, "carla", "auditor"), "{\"selection\": "
                + "{\"questions\": [\"hi\"]}}", Map.of()).status()).isEqualTo(403);
        String stranger = token(newTenant(), "eve", "admin");
        assertThat(get("/api/ai/replays/" + started.json().path("replay_id").asText(), stranger).status())
                .isEqualTo(404);
        Response foreignCancel = call("POST", "/api/ai/replays/" + started.json().path("replay_id").asText()
                + "/cancel", stranger, null, Map.of());
        assertThat(foreignCancel.status()).isEqualTo(404);
        assertThat(foreignCancel.contentType()).startsWith("application/problem+json");
        assertThat(get("/api/ai/replays/" + started.json().path("replay_id").asText(), admin).json().path("replay")
                .path("status").asText()).isEqualTo("completed");
        assertThat(get("/api/ai/replays", admin).json().path("items")).hasSize(1);
    }

    @Test
    void aCancelledReplayStopsAndASecondWaitsForTheFirst() {
        List<String> questions = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            questions.add(MESSAGES.get(i % MESSAGES.size()) + " (" + i + ")");
        }
        Response started = call("POST", "/api/ai/replays", admin, "{\"selection\": {\"questions\": "
                + JSON.valueToTree(questions) + "}}", Map.of());
        assertThat(started.status()).as(started.toString()).isEqualTo(202);
        String id = started.json().path("replay_id").asText();
        Response second = call("POST", "/api/ai/replays", admin, "{\"selection\": {\"questions\": [\"hi\"]}}",
                Map.of());
        assertThat(second.status()).as(second.toString()).isEqualTo(409);
        assertThat(call("POST", "/api/ai/replays/" + id + "/cancel", admin, null, Map.of()).status()).isEqualTo(204);
        JsonNode replay = awaitEnded(id);
        assertThat(replay.path("replay").path("status").asText()).isEqualTo("cancelled");
        int replayed = replay.path("totals").path("replayed").asInt();
        assertThat(replayed).isLessThan(60);
        // nothing more is decided after the cancellation
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> get("/api/ai/replays/" + id,
                admin).json().path("totals").path("replayed").asInt() == replayed);
        assertThat(call("POST", "/api/ai/replays/" + id + "/cancel", admin, null, Map.of()).status()).isEqualTo(409);
    }

    /** One worker in the test profile: a small replay started after a big one of another tenant ends first. */
    @Test
    void anotherTenantsReplayTakesItsTurnBesideALongOne() {
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 80; i++) {
            many.add(MESSAGES.get(i % MESSAGES.size()) + " (" + i + ")");
        }
        Response big = call("POST", "/api/ai/replays", admin, "{\"selection\": {\"questions\": "
                + JSON.valueToTree(many) + "}}", Map.of());
        assertThat(big.status()).as(big.toString()).isEqualTo(202);
        String other = newTenant();
        String otherAdmin = token(other, "olga", "admin");
        Response small = call("POST", "/api/ai/replays", otherAdmin, "{\"selection\": {\"questions\": "
                + "[\"How much does drain cleaning cost?\", \"Do you work on Saturdays?\"]}}", Map.of());
        assertThat(small.status()).as(small.toString()).isEqualTo(202);
        String smallId = small.json().path("replay_id").asText();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> "completed".equals(
                get("/api/ai/replays/" + smallId, otherAdmin).json().path("replay").path("status").asText()));
        JsonNode first = get("/api/ai/replays/" + big.json().path("replay_id").asText(), admin).json();
        assertThat(first.path("replay").path("status").asText()).isEqualTo("running");
        assertThat(first.path("totals").path("replayed").asInt()).isLessThan(80);
        // each tenant sees its own replay only
        assertThat(get("/api/ai/replays", otherAdmin).json().path("items")).hasSize(1);
        awaitEnded(big.json().path("replay_id").asText());
    }
}
