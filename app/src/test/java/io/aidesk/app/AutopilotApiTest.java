package io.aidesk.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.aidesk.ingestion.index.KnowledgeIndex;
import io.aidesk.ingestion.parse.ParsedDocument;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The autopilot with the offline model: a customer's message starts it by itself, the CRM's handle-message call gets
 * the same run, and nothing of one tenant's runs, calls and conversations can be read, approved or triggered by
 * another. Bad requests get a precise problem and change nothing.
 */
class AutopilotApiTest extends ApiTest {
    private static final String HANDLE = "/api/ai/agent/handle-message";

    @Autowired
    KnowledgeIndex index;
    @Autowired
    JdbcTemplate jdbc;

    private String tenant;
    private String admin;
    private String service;
    private String contactId;

    @BeforeEach
    void tenantWhoseAutopilotMayCancelWithApproval() {
        tenant = newTenant();
        admin = token(tenant, "ana", "admin");
        service = token(tenant, "crm", "service");
        index.index(tenant, UUID.randomUUID().toString(), new ParsedDocument("https://acme.test/help/cancel",
                "Cancelling", List.of(new ParsedDocument.Block("You can cancel your subscription at any time; the "
                + "cancellation takes effect at the end of the month.", List.of("Cancelling"), null))));
        contactId = call("POST", "/api/crm/contacts", service, "{\"name\": \"Ann Lee\", \"plan\": \"pro\"}", Map.of())
                .json().path("id").asText();
        // threshold 0: whatever the offline model's confidence, the policy goes on to the tool rules
        assertThat(put("/api/ai/settings", admin, """
                {"autopilot_enabled": true, "confidence_threshold": 0, "escalation_rules": [],
                 "allowed_tools": ["create_ticket", "cancel_subscription"]}
                """).status()).isEqualTo(200);
    }

    private String[] conversationWith(String customerText) {
        String conversation = call("POST", "/api/ai/conversations", service,
                "{\"channel\": \"web\", \"contact_id\": \"" + contactId + "\"}", Map.of()).json().path("id").asText();
        String message = call("POST", "/api/ai/conversations/" + conversation + "/messages", service,
                "{\"sender\": \"customer\", \"text\": \"" + customerText + "\"}", Map.of()).json().path("id").asText();
        return new String[]{conversation, message};
    }

    private Response handle(String token, String conversation, String message) {
        return call("POST", HANDLE, token, "{\"conversation_id\": \"" + conversation + "\", \"message_id\": \""
                + message + "\"}", Map.of());
    }

    private List<String> runsStartedFor(String messageId) {
        return jdbc.queryForList("SELECT aggregate_identifier FROM domain_event_entry WHERE payload_type LIKE "
                + "'%RunStarted' AND convert_from(payload, 'UTF8')::jsonb ->> 'messageId' = ?", String.class, messageId);
    }

    @Test
    void aCustomersMessageStartsTheAutopilotAndHandleMessageGetsThatSameRun() {
        String[] thread = conversationWith("I want to cancel my subscription");

        await().atMost(Duration.ofSeconds(20)).until(() -> runsStartedFor(thread[1]).size() == 1);
        // settled before the call, so the answer is the 200 with the run whatever the machine's speed
        await().atMost(Duration.ofSeconds(30)).until(() -> "awaiting_approval".equals(get("/api/ai/agent/runs/"
                + runsStartedFor(thread[1]).get(0), admin).json().path("status").asText()));
        Response answer = handle(service, thread[0], thread[1]);

        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        JsonNode run = answer.json();
        assertThat(run.path("run_id").asText()).isEqualTo(runsStartedFor(thread[1]).get(0));
        assertThat(runsStartedFor(thread[1])).as("one run per message, however it was started").hasSize(1);
        assertThat(run.path("mode").asText()).isEqualTo("autopilot");
        assertThat(run.path("status").asText()).isEqualTo("awaiting_approval");
        JsonNode action = run.path("actions").get(0);
        assertThat(action.path("tool").asText()).isEqualTo("cancel_subscription");
        assertThat(action.path("status").asText()).isEqualTo("awaiting_approval");
        assertThat(action.path("args").path("contact_id").asText()).isEqualTo(contactId);
        assertThat(answer.headers().firstValue("Location").orElseThrow()).endsWith("/api/ai/agent/runs/"
                + run.path("run_id").asText());
        assertThat(get("/api/ai/agent/runs/" + run.path("run_id").asText(), token(tenant, "au", "auditor")).json()
                .path("status").asText()).isEqualTo("awaiting_approval");
        JsonNode messages = get("/api/ai/conversations/" + thread[0], service).json().path("messages");
        assertThat(messages).hasSize(2);
        assertThat(messages.get(1).path("sender").asText()).isEqualTo("assistant");
        assertThat(messages.get(1).path("posted_by").asText()).isEqualTo("autopilot");
        assertThat(messages.get(1).path("text").asText()).isEqualTo(run.path("reply").asText());
    }

    @Test
    void theInboxFollowsAConversationsRunsWithTheirCallsForEveryRoleOfTheTenantOnly() {
        String[] thread = conversationWith("I want to cancel my subscription");
        String runId = settledRun(service, thread[0], thread[1]).path("run_id").asText();
        String path = "/api/ai/agent/runs?conversation_id=" + thread[0];

        for (String role : List.of("agent", "auditor", "admin", "service")) {
            Response runs = get(path, token(tenant, "u", role));
            assertThat(runs.status()).as(role + " " + runs).isEqualTo(200);
            JsonNode run = runs.json().path("items").get(0);
            assertThat(run.path("run_id").asText()).isEqualTo(runId);
            assertThat(run.path("actions").get(0).path("tool").asText()).isEqualTo("cancel_subscription");
            assertThat(run.path("actions").get(0).path("status").asText()).isEqualTo("awaiting_approval");
        }
        Response foreign = get(path, token(newTenant(), "eve", "agent"));
        assertThat(foreign.status()).isEqualTo(404);
        assertThat(foreign.contentType()).startsWith("application/problem+json");
        assertThat(get("/api/ai/agent/runs?conversation_id=not-a-conversation", admin).status()).isEqualTo(404);
        Response unnamed = get("/api/ai/agent/runs", admin);
        assertThat(unnamed.status()).isEqualTo(400);
        assertThat(unnamed.json().path("field").asText()).isEqualTo("conversation_id");
        assertThat(get(path, null).status()).isEqualTo(401);
    }

    @Test
    void anAuditorReplaysARunsEventsInOrderWithWhoDidWhat() {
        String[] thread = conversationWith("I want to cancel my subscription");
        JsonNode run = settledRun(service, thread[0], thread[1]);
        String runId = run.path("run_id").asText();
        String callId = run.path("actions").get(0).path("call_id").asText();
        assertThat(call("POST", "/api/ai/approvals/" + callId + "/approve", admin, null, Map.of()).status())
                .isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> get("/api/ai/agent/runs/" + runId, admin).json()
                .path("status").asText(), "completed"::equals);

        Response replay = get("/api/ai/runs/" + runId + "/events", token(tenant, "au", "auditor"));

        assertThat(replay.status()).as(replay.toString()).isEqualTo(200);
        JsonNode events = replay.json().path("items");
        List<String> types = new java.util.ArrayList<>();
        events.forEach(event -> types.add(event.path("type").asText()));
        assertThat(types).containsExactly("RunStarted", "ContextRetrieved", "DecisionRecorded", "ReplyDrafted",
                "PolicyApplied", "ToolCallRequested", "ToolCallApprovalRequested", "ReplySent", "ToolCallApproved",
                "ToolCallExecuted", "RunCompleted");
        for (int i = 0; i < events.size(); i++) {
            JsonNode event = events.get(i);
            assertThat(event.path("sequence").asLong()).isEqualTo(i);
            assertThat(event.path("metadata").path("tenant_id").asText()).isEqualTo(tenant);
            assertThat(event.path("metadata").path("correlation_id").asText()).isNotBlank();
        }
        JsonNode approved = events.get(8);
        assertThat(approved.path("payload").path("by").asText()).isEqualTo("ana");
        assertThat(approved.path("metadata").path("user_id").asText()).isEqualTo("ana");
        assertThat(events.get(0).path("payload").path("input").asText()).isEqualTo("I want to cancel my subscription");

        assertThat(get("/api/ai/runs/" + runId + "/events", token(tenant, "bo", "agent")).status()).isEqualTo(403);
        Response foreign = get("/api/ai/runs/" + runId + "/events", token(newTenant(), "eve", "auditor"));
        assertThat(foreign.status()).isEqualTo(404);
        assertThat(foreign.contentType()).startsWith("application/problem+json");
    }

    @Test
    void anotherTenantCanNeitherTriggerReadApproveNorRejectAnything() {
        String[] thread = conversationWith("I want to cancel my subscription");
        JsonNode run = settledRun(service, thread[0], thread[1]);
        String callId = run.path("actions").get(0).path("call_id").asText();
        String other = newTenant();
        String otherAdmin = token(other, "eve", "admin");
        assertThat(put("/api/ai/settings", otherAdmin, "{\"autopilot_enabled\": true}").status()).isEqualTo(200);

        List<Response> attempts = List.of(
                handle(token(other, "svc", "service"), thread[0], thread[1]),
                get("/api/ai/agent/runs/" + run.path("run_id").asText(), otherAdmin),
                call("POST", "/api/ai/approvals/" + callId + "/approve", otherAdmin, null, Map.of()),
                call("POST", "/api/ai/approvals/" + callId + "/reject", otherAdmin, "{\"reason\": \"mine now\"}", Map.of()),
                call("POST", "/api/ai/conversations/" + thread[0] + "/hand-back", otherAdmin, null, Map.of()));

        for (Response attempt : attempts) {
            assertThat(attempt.status()).as(attempt.toString()).isEqualTo(404);
            assertThat(attempt.contentType()).startsWith("application/problem+json");
        }
        assertThat(get("/api/ai/approvals", otherAdmin).json().path("items")).isEmpty();
        JsonNode pending = get("/api/ai/approvals?status=pending", admin).json().path("items");
        assertThat(pending).hasSize(1);
        assertThat(pending.get(0).path("action").path("status").asText()).isEqualTo("awaiting_approval");
        assertThat(get("/api/crm/contacts/" + contactId, admin).json().path("subscription").path("status").asText())
                .isEqualTo("active");
    }

    @Test
    void rolesBadInputAndASwitchedOffAutopilotAreRefusedWithoutAStartedRun() {
        String[] thread = conversationWith("I want to cancel my subscription");
        await().atMost(Duration.ofSeconds(20)).until(() -> runsStartedFor(thread[1]).size() == 1);
        String[] agentMessage = {thread[0], call("POST", "/api/ai/conversations/" + thread[0] + "/messages", service,
                "{\"sender\": \"agent\", \"text\": \"Let me check\"}", Map.of()).json().path("id").asText()};

        assertThat(handle(token(tenant, "au", "auditor"), thread[0], thread[1]).status()).isEqualTo(403);
        assertThat(call("POST", HANDLE, service, "{\"message_id\": \"" + thread[1] + "\"}", Map.of()).json()
                .path("field").asText()).isEqualTo("conversation_id");
        assertThat(call("POST", HANDLE, service, "{\"conversation_id\": \"" + thread[0] + "\"}", Map.of()).json()
                .path("field").asText()).isEqualTo("message_id");
        assertThat(handle(service, thread[0], UUID.randomUUID().toString()).status()).isEqualTo(404);
        assertThat(handle(service, thread[0], "not-an-id").status()).isEqualTo(404);
        Response fromAgent = handle(service, agentMessage[0], agentMessage[1]);
        assertThat(fromAgent.status()).isEqualTo(400);
        assertThat(fromAgent.json().path("field").asText()).isEqualTo("message_id");
        assertThat(runsStartedFor(agentMessage[1])).isEmpty();

        assertThat(get("/api/ai/approvals", token(tenant, "bo", "agent")).status()).isEqualTo(403);
        assertThat(get("/api/ai/approvals?status=maybe", admin).json().path("field").asText()).isEqualTo("status");
        assertThat(call("POST", "/api/ai/approvals/" + UUID.randomUUID() + "/approve", admin, null, Map.of()).status())
                .isEqualTo(404);
        assertThat(call("POST", "/api/ai/approvals/x/approve", token(tenant, "bo", "agent"), null, Map.of()).status())
                .isEqualTo(403);

        assertThat(put("/api/ai/settings", admin, "{\"autopilot_enabled\": false}").status()).isEqualTo(200);
        String[] later = conversationWith("I want to cancel my subscription too");
        Response off = handle(service, later[0], later[1]);
        assertThat(off.status()).isEqualTo(409);
        assertThat(off.json().path("detail").asText()).contains("autopilot is switched off");
        assertThat(runsStartedFor(later[1])).isEmpty();
    }

    @Test
    void aTenantsAutopilotRunsAreRateLimitedHoweverTheyStartAndAnotherTenantKeepsItsBudget() {
        String flooding = newTenant();
        String floodService = token(flooding, "crm", "service");
        assertThat(put("/api/ai/settings", token(flooding, "ana", "admin"), "{\"autopilot_enabled\": true}").status())
                .isEqualTo(200);
        // the test profile's budget: 30 agent runs a minute; each customer message starts one by itself
        long floodStarted = System.nanoTime();
        for (int i = 0; i < 30; i++) {
            postCustomerMessage(floodService, "Is anyone there? (" + i + ")");
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> runsOf(flooding) >= 30);
        // no 60 s starts more than 30: the next one is refused until the first run is a minute old
        Response limited = null;
        String[] over = null;
        for (int i = 0; i < 5 && (limited == null || limited.status() != 429); i++) {
            over = postCustomerMessage(floodService, "Hello again? (" + i + ")");
            limited = handle(floodService, over[0], over[1]);
        }

        assertThat(limited.status()).as(limited.toString()).isEqualTo(429);
        assertThat(limited.contentType()).startsWith("application/problem+json");
        assertThat(Integer.parseInt(limited.headers().firstValue("Retry-After").orElseThrow())).isBetween(1, 60);
        double seconds = (System.nanoTime() - floodStarted) / 1e9;
        assertThat(runsOf(flooding)).as("no minute starts more than the budget's 30 runs")
                .isLessThanOrEqualTo(30 * (1 + (int) (seconds / 60)));
        String[] thread = conversationWith("I want to cancel my subscription");
        assertThat(handle(service, thread[0], thread[1]).status()).as("another tenant's budget is its own")
                .isIn(200, 202);
    }

    private String[] postCustomerMessage(String token, String text) {
        String conversation = call("POST", "/api/ai/conversations", token,
                "{\"channel\": \"web\", \"contact_id\": \"c-1\"}", Map.of()).json().path("id").asText();
        String message = call("POST", "/api/ai/conversations/" + conversation + "/messages", token,
                "{\"sender\": \"customer\", \"text\": \"" + text + "\"}", Map.of()).json().path("id").asText();
        return new String[]{conversation, message};
    }

    private int runsOf(String tenant) {
        return jdbc.queryForObject("SELECT count(*) FROM domain_event_entry WHERE payload_type LIKE '%RunStarted' AND "
                + "convert_from(payload, 'UTF8')::jsonb ->> 'tenantId' = ?", Integer.class, tenant);
    }
}
