package io.aidesk.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.aidesk.gateway.openai.LoopbackOpenAi;
import io.aidesk.ingestion.index.KnowledgeIndex;
import io.aidesk.ingestion.parse.ParsedDocument;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The brief's acceptance of the autopilot, through HTTP, with the decision model on an OpenAI-protocol server on
 * loopback so that each row's confidence, missing fields and proposed tool are exactly what the row says. The policy,
 * the tools, the approvals and the CRM are AI Desk's own. In a JVM of its own: no other AI Desk may run these runs.
 */
@Tag("own-jvm")
class AutopilotAcceptanceTest extends ApiTest {
    private static final LoopbackOpenAi OPENAI = new LoopbackOpenAi();
    private static final String HANDLE = "/api/ai/agent/handle-message";

    @Autowired
    KnowledgeIndex index;

    private String tenant;
    private String admin;
    private String service;
    private String contactId;

    @DynamicPropertySource
    static void useOpenAi(DynamicPropertyRegistry properties) {
        properties.add("aidesk.openai.api-key", () -> LoopbackOpenAi.API_KEY);
        properties.add("aidesk.openai.base-url", OPENAI::baseUrl);
        properties.add("aidesk.openai.max-retries", () -> "0");
        // long enough for every step on a slow machine, short enough to test expiry
        properties.add("aidesk.autopilot.approval-timeout", () -> "6s");
        properties.add("aidesk.autopilot.settle-wait", () -> "20s");
    }

    @AfterAll
    static void stopServer() {
        OPENAI.close();
    }

    @BeforeEach
    void tenantWithKnowledgeAContactAndTheAutopilotOn() {
        tenant = newTenant();
        admin = token(tenant, "ana", "admin");
        service = token(tenant, "crm", "service");
        index.index(tenant, UUID.randomUUID().toString(), new ParsedDocument("https://acme.test/help/leaks", "Leaks",
                List.of(new ParsedDocument.Block("A leaking pipe is repaired by a plumber within 24 hours of your call.",
                        List.of("Leaks"), null))));
        contactId = call("POST", "/api/crm/contacts", service,
                "{\"name\": \"Ann Lee\", \"email\": \"ann@example.com\", \"plan\": \"pro\"}", Map.of())
                .json().path("id").asText();
        Response settings = put("/api/ai/settings", admin, """
                {"autopilot_enabled": true, "confidence_threshold": 0.75, "escalation_rules": [],
                 "allowed_tools": ["create_ticket", "add_internal_note", "handoff_to_human", "cancel_subscription"]}
                """);
        assertThat(settings.status()).as(settings.toString()).isEqualTo(200);
    }

    /** The model's next answer: this decision, citing the first chunk it was offered. */
    private static void modelDecides(double confidence, List<String> missing, String tool, String args) {
        OPENAI.script(request -> LoopbackOpenAi.Scripted.answer("""
                {"needs": [{"need": "problem_report", "probability": 0.9}], "intent": "support",
                 "action_confidence": %s, "answer_confidence": %s, "needs_human": false, "missing_fields": %s,
                 "reply": "%s", "actions": %s, "citations": ["%s"]}
                """.formatted(confidence, confidence, list(missing), missing.isEmpty()
                        ? "A plumber repairs a leaking pipe within 24 hours; I have opened a ticket."
                        : "To help you with this, could you send me your " + String.join(", ", missing) + "?",
                tool == null ? "[]" : "[{\"tool\": \"" + tool + "\", \"args\": " + args + "}]",
                LoopbackOpenAi.offeredChunkIds(request).get(0))));
    }

    private static String list(List<String> values) {
        return values.stream().map(v -> "\"" + v + "\"").toList().toString();
    }

    private static final String TICKET_ARGS = "{\"subject\": \"Leaking pipe\", \"priority\": \"high\", "
            + "\"summary\": \"The pipe under the sink leaks\", \"tags\": [\"leak\"]}";

    /** A new conversation with one customer message; the answer of handle-message for it. */
    /** The customer's message handed to the autopilot, and its run once it settles. */
    private JsonNode customerSays(String text) {
        String conversation = call("POST", "/api/ai/conversations", service,
                "{\"channel\": \"web\", \"contact_id\": \"" + contactId + "\"}", Map.of()).json().path("id").asText();
        String message = call("POST", "/api/ai/conversations/" + conversation + "/messages", service,
                "{\"sender\": \"customer\", \"text\": \"" + text + "\"}", Map.of()).json().path("id").asText();
        return settledRun(service, conversation, message);
    }

    private int tickets() {
        return get("/api/crm/tickets?contact_id=" + contactId, admin).json().path("items").size();
    }

    private String subscriptionStatus() {
        return get("/api/crm/contacts/" + contactId, admin).json().path("subscription").path("status").asText();
    }

    @ParameterizedTest(name = "confidence {0} at threshold 0.75: {1} ticket(s)")
    @CsvSource({"0.74, 0, escalated", "0.75, 1, completed", "0.9, 1, completed"})
    void aTicketIsCreatedOnlyAtOrAboveTheThreshold(double confidence, int tickets, String status) {
        modelDecides(confidence, List.of(), "create_ticket", TICKET_ARGS);

        JsonNode run = customerSays("The pipe under my sink is leaking, please send someone");

        assertThat(run.path("status").asText()).isEqualTo(status);
        assertThat(tickets()).isEqualTo(tickets);
        JsonNode action = run.path("actions").get(0);
        assertThat(action.path("tool").asText()).isEqualTo("create_ticket");
        assertThat(action.path("status").asText()).isEqualTo(tickets == 1 ? "executed" : "refused");
        if (tickets == 1) {
            assertThat(action.path("result").path("ticket_id").asText())
                    .isEqualTo(get("/api/crm/tickets?contact_id=" + contactId, admin).json().path("items").get(0)
                            .path("id").asText());
            assertThat(action.path("args").path("contact_id").asText()).as("the run's contact, not the model's")
                    .isEqualTo(contactId);
        } else {
            assertThat(run.path("needs_human").asBoolean()).isTrue();
            assertThat(run.path("handoff_reason").asText()).isEqualTo("low_confidence");
        }
    }

    @Test
    void aMissingPolicyNumberIsAskedForAndNoToolRuns() {
        modelDecides(0.9, List.of("policy_number"), "create_ticket", TICKET_ARGS);

        JsonNode run = customerSays("My claim for the leak was refused");

        assertThat(run.path("status").asText()).isEqualTo("completed");
        assertThat(run.path("missing_fields").toString()).isEqualTo("[\"policy_number\"]");
        assertThat(run.path("reply").asText()).contains("policy_number");
        assertThat(run.path("actions").get(0).path("status").asText()).isEqualTo("refused");
        assertThat(tickets()).isZero();
    }

    @Test
    void aToolOutsideTheTenantsListIsRefusedAndRecorded() {
        modelDecides(0.9, List.of(), "issue_credit", "{\"amount\": 50, \"currency\": \"USD\", \"reason\": \"sorry\"}");

        JsonNode run = customerSays("The plumber came late, I want money back");

        JsonNode action = run.path("actions").get(0);
        assertThat(action.path("tool").asText()).isEqualTo("issue_credit");
        assertThat(action.path("status").asText()).isEqualTo("refused");
        assertThat(action.path("reason").asText()).contains("not in the tenant's allowed tools");
        assertThat(get("/api/crm/contacts/" + contactId, admin).json().path("subscription").path("credit_balance")
                .asDouble()).isZero();
    }

    @Test
    void aCancellationWaitsForAnAdminAndRunsExactlyOnceWhenApproved() {
        modelDecides(0.9, List.of(), "cancel_subscription", "{\"reason\": \"moving abroad\"}");

        JsonNode run = customerSays("Please cancel my subscription, I am moving abroad");

        assertThat(run.path("status").asText()).isEqualTo("awaiting_approval");
        JsonNode action = run.path("actions").get(0);
        assertThat(action.path("status").asText()).isEqualTo("awaiting_approval");
        assertThat(subscriptionStatus()).as("nothing changes before the approval").isEqualTo("active");
        JsonNode pending = get("/api/ai/approvals?status=pending", admin).json().path("items");
        assertThat(pending).hasSize(1);
        assertThat(pending.get(0).path("input").asText()).contains("cancel my subscription");
        assertThat(pending.get(0).path("action").path("args").path("contact_id").asText()).isEqualTo(contactId);
        String callId = action.path("call_id").asText();

        Response approved = call("POST", "/api/ai/approvals/" + callId + "/approve", admin,
                "{\"args_hash\": \"" + action.path("args_hash").asText() + "\"}", Map.of());

        assertThat(approved.status()).as(approved.toString()).isEqualTo(200);
        assertThat(approved.json().path("status").asText()).isEqualTo("executed");
        assertThat(approved.json().path("decided_by").asText()).isEqualTo("ana");
        assertThat(subscriptionStatus()).isEqualTo("cancelled");
        await().atMost(Duration.ofSeconds(30)).until(() -> get("/api/ai/agent/runs/" + run.path("run_id").asText(), admin)
                .json().path("status").asText(), "completed"::equals);
        Response again = call("POST", "/api/ai/approvals/" + callId + "/approve", admin, null, Map.of());
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.contentType()).startsWith("application/problem+json");
        assertThat(get("/api/ai/approvals?status=approved", admin).json().path("items")).hasSize(1);
    }

    @Test
    void anApprovalOfArgumentsThatWereNotShownRunsNothing() {
        modelDecides(0.9, List.of(), "cancel_subscription", "{\"reason\": \"moving abroad\"}");
        JsonNode action = customerSays("Please cancel my subscription").path("actions").get(0);

        Response stale = call("POST", "/api/ai/approvals/" + action.path("call_id").asText() + "/approve", admin,
                "{\"args_hash\": \"" + "0".repeat(64) + "\"}", Map.of());

        assertThat(stale.status()).isEqualTo(409);
        assertThat(subscriptionStatus()).isEqualTo("active");
    }

    @Test
    void aRejectedCallNeverRuns() {
        modelDecides(0.9, List.of(), "cancel_subscription", "{\"reason\": \"moving abroad\"}");
        JsonNode run = customerSays("Please cancel my subscription");
        String callId = run.path("actions").get(0).path("call_id").asText();

        assertThat(call("POST", "/api/ai/approvals/" + callId + "/reject", admin, "{}", Map.of()).json()
                .path("field").asText()).isEqualTo("reason");
        Response rejected = call("POST", "/api/ai/approvals/" + callId + "/reject", admin,
                "{\"reason\": \"the customer called to stay\"}", Map.of());

        assertThat(rejected.status()).as(rejected.toString()).isEqualTo(200);
        assertThat(rejected.json().path("status").asText()).isEqualTo("rejected");
        assertThat(rejected.json().path("decided_by").asText()).isEqualTo("ana");
        await().atMost(Duration.ofSeconds(30)).until(() -> get("/api/ai/agent/runs/" + run.path("run_id").asText(), admin)
                .json().path("status").asText(), "completed"::equals);
        assertThat(call("POST", "/api/ai/approvals/" + callId + "/approve", admin, null, Map.of()).status()).isEqualTo(409);
        assertThat(subscriptionStatus()).isEqualTo("active");
    }

    @Test
    void aCallNobodyDecidesExpiresAndNeverRuns() {
        modelDecides(0.9, List.of(), "cancel_subscription", "{\"reason\": \"moving abroad\"}");
        JsonNode run = customerSays("Please cancel my subscription");
        String callId = run.path("actions").get(0).path("call_id").asText();

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                .until(() -> get("/api/ai/agent/runs/" + run.path("run_id").asText(), admin).json().path("status")
                        .asText(), "completed"::equals);

        assertThat(get("/api/ai/approvals?status=expired", admin).json().path("items").get(0).path("call_id").asText())
                .isEqualTo(callId);
        Response late = call("POST", "/api/ai/approvals/" + callId + "/approve", admin, null, Map.of());
        assertThat(late.status()).isEqualTo(409);
        assertThat(late.json().path("detail").asText()).contains("expired");
        assertThat(subscriptionStatus()).isEqualTo("active");
    }

    @Test
    void aHandedOverConversationGetsNoAutopilotUntilAnAgentHandsItBack() {
        modelDecides(0.5, List.of(), null, null);
        JsonNode run = customerSays("Something odd is going on with my pipes");
        String conversation = run.path("conversation_id").asText();
        assertThat(run.path("status").asText()).isEqualTo("escalated");
        JsonNode thread = get("/api/ai/conversations/" + conversation, admin).json();
        assertThat(thread.path("status").asText()).isEqualTo("waiting_human");
        assertThat(thread.path("messages").get(1).path("sender").asText()).isEqualTo("assistant");
        Response again = call("POST", HANDLE, service, "{\"conversation_id\": \"" + conversation
                + "\", \"message_id\": \"" + run.path("message_id").asText() + "\"}", Map.of());
        assertThat(again.status()).as("the same message asked again: the same run").isEqualTo(200);
        assertThat(again.json().path("run_id").asText()).isEqualTo(run.path("run_id").asText());
        JsonNode note = get("/api/crm/notes?conversation_id=" + conversation, admin).json().path("items").get(0);
        assertThat(note.path("note").asText()).contains("low confidence").contains("Something odd is going on")
                .contains("confidence 0.50");

        String next = call("POST", "/api/ai/conversations/" + conversation + "/messages", service,
                "{\"sender\": \"customer\", \"text\": \"Hello?\"}", Map.of()).json().path("id").asText();
        Response refused = call("POST", HANDLE, service, "{\"conversation_id\": \"" + conversation
                + "\", \"message_id\": \"" + next + "\"}", Map.of());
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.json().path("detail").asText()).contains("hand-back");

        assertThat(call("POST", "/api/ai/conversations/" + conversation + "/hand-back", service, null, Map.of())
                .status()).as("a CRM service may not take the conversation from a person").isEqualTo(403);
        assertThat(call("POST", "/api/ai/conversations/" + conversation + "/hand-back", token(tenant, "bo", "agent"),
                null, Map.of()).status()).isEqualTo(204);
        modelDecides(0.9, List.of(), null, null);
        Response answered = call("POST", HANDLE, service, "{\"conversation_id\": \"" + conversation
                + "\", \"message_id\": \"" + next + "\"}", Map.of());
        assertThat(answered.status()).as(answered.toString()).isEqualTo(200);
        assertThat(answered.json().path("status").asText()).isEqualTo("completed");
    }
}
