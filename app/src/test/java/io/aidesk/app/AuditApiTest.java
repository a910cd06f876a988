package io.aidesk.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.aidesk.gateway.decision.offline.OfflineDecisionModel;
import io.aidesk.ingestion.index.KnowledgeIndex;
import io.aidesk.ingestion.parse.ParsedDocument;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What a compliance reviewer reads through HTTP: the run list with its filters and pages, a run's detail (input,
 * chunks read with their text, the model's JSON, every call with its result and approver, usage), the run's event
 * stream and the tenant's NDJSON export; none of it for another tenant, none of it for a role that may not read logs.
 */
class AuditApiTest extends ApiTest {
    private static final String CANCEL_HELP = "You can cancel your subscription at any time; the cancellation takes "
            + "effect at the end of the month.";

    @Autowired
    KnowledgeIndex index;
    @Autowired
    JdbcTemplate jdbc;

    private String tenant;
    private String admin;
    private String auditor;
    private String service;
    private String contactId;
    private String copilotConversation;
    private String copilotRun;
    private String copilotReply;
    private String autopilotRun;

    @BeforeEach
    void aCopilotDraftAndAnAutopilotRunWithAnApprovedCancellation() {
        tenant = newTenant();
        admin = token(tenant, "ana", "admin");
        auditor = token(tenant, "aud", "auditor");
        service = token(tenant, "crm", "service");
        index.index(tenant, UUID.randomUUID().toString(), new ParsedDocument("https://acme.test/help/cancel",
                "Cancelling", List.of(new ParsedDocument.Block(CANCEL_HELP, List.of("Cancelling"), null))));
        contactId = call("POST", "/api/crm/contacts", service, "{\"name\": \"Ann Lee\", \"plan\": \"pro\"}", Map.of())
                .json().path("id").asText();
        assertThat(put("/api/ai/settings", admin, """
                {"confidence_threshold": 0, "escalation_rules": [],
                 "allowed_tools": ["create_ticket", "cancel_subscription"]}
                """).status()).isEqualTo(200);

        // the agent drafts for the message in the request: no customer message, which the autopilot (switched on
        // below, and deciding when its processor gets to the message) could take up too
        copilotConversation = conversation();
        JsonNode draft = post("/api/ai/assist/draft-reply", token(tenant, "bo", "agent"), "{\"conversation_id\": \""
                + copilotConversation + "\", \"message\": \"Can I cancel my subscription at any time?\"}").json();
        copilotRun = draft.path("run_id").asText();
        copilotReply = draft.path("reply").asText();

        assertThat(put("/api/ai/settings", admin, "{\"autopilot_enabled\": true}").status()).isEqualTo(200);
        String conversation = conversation();
        String message = post("/api/ai/conversations/" + conversation + "/messages", service,
                "{\"sender\": \"customer\", \"text\": \"I want to cancel my subscription\"}").json().path("id").asText();
        JsonNode run = settledRun(service, conversation, message);
        autopilotRun = run.path("run_id").asText();
        String callId = run.path("actions").get(0).path("call_id").asText();
        assertThat(post("/api/ai/approvals/" + callId + "/approve", admin, null).status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(15)).until(() -> get("/api/ai/agent/runs/" + autopilotRun, admin).json()
                .path("status").asText(), "completed"::equals);
    }

    private String conversation() {
        return post("/api/ai/conversations", service, "{\"channel\": \"web\", \"contact_id\": \"" + contactId + "\"}")
                .json().path("id").asText();
    }

    private Response post(String path, String token, String body) {
        return call("POST", path, token, body, Map.of());
    }

    private static List<String> ids(JsonNode items) {
        List<String> ids = new ArrayList<>();
        items.forEach(item -> ids.add(item.path("run_id").asText()));
        return ids;
    }

    @Test
    void theRunListShowsBothRunsNewestFirstAndTheDetailShowsEverythingTheRunUsedAndDid() {
        Response list = get("/api/ai/runs", auditor);

        assertThat(list.status()).as(list.toString()).isEqualTo(200);
        assertThat(ids(list.json().path("items"))).containsExactly(autopilotRun, copilotRun);
        JsonNode autopilotSummary = list.json().path("items").get(0);
        assertThat(autopilotSummary.path("mode").asText()).isEqualTo("autopilot");
        assertThat(autopilotSummary.path("tools").get(0).asText()).isEqualTo("cancel_subscription");
        assertThat(autopilotSummary.path("actions_executed").asInt()).isEqualTo(1);
        assertThat(list.json().path("next_cursor").isNull()).isTrue();

        JsonNode detail = get("/api/ai/runs/" + autopilotRun, auditor).json();
        assertThat(detail.path("input").asText()).isEqualTo("I want to cancel my subscription");
        assertThat(detail.path("input_hash").asText()).hasSize(64);
        assertThat(detail.path("status").asText()).isEqualTo("completed");
        JsonNode citation = detail.path("citations").get(0);
        assertThat(citation.path("text").asText()).isEqualTo(CANCEL_HELP);
        assertThat(citation.path("score").asDouble()).isPositive();
        assertThat(citation.path("url").asText()).isEqualTo("https://acme.test/help/cancel");
        assertThat(citation.path("content_hash").asText()).isNotBlank();
        assertThat(detail.path("output").path("intent").asText()).isEqualTo(detail.path("intent").asText());
        assertThat(detail.path("output").path("actions").get(0).path("tool").asText()).isEqualTo("cancel_subscription");
        JsonNode action = detail.path("actions").get(0);
        assertThat(action.path("tool").asText()).isEqualTo("cancel_subscription");
        assertThat(action.path("args").path("contact_id").asText()).isEqualTo(contactId);
        assertThat(action.path("status").asText()).isEqualTo("executed");
        assertThat(action.path("requires_approval").asBoolean()).isTrue();
        assertThat(action.path("decided_by").asText()).isEqualTo("ana");
        assertThat(action.path("result").isObject()).as(action.toString()).isTrue();
        assertThat(detail.path("reply").asText()).isNotBlank();
        assertThat(detail.path("usage").path("model").asText()).isEqualTo(OfflineDecisionModel.NAME);
        assertThat(detail.path("ended_at").asText()).isNotBlank();
        assertThat(detail.path("duration_ms").asLong()).isNotNegative();

        JsonNode copilot = get("/api/ai/runs/" + copilotRun, admin).json();
        assertThat(copilot.path("mode").asText()).isEqualTo("copilot");
        assertThat(copilot.path("reply").asText()).isEqualTo(copilotReply);
        assertThat(copilot.path("actions")).isEmpty();
        assertThat(copilot.path("citations").get(0).path("cited").asBoolean()).as(copilot.toString()).isTrue();
    }

    @Test
    void theEventStreamIsCompleteAndOrderedAndTheExportHoldsExactlyTheTenantsEvents() throws IOException {
        String otherTenant = newTenant();
        assertThat(put("/api/ai/settings", token(otherTenant, "eve", "admin"), "{\"autopilot_enabled\": true}")
                .status()).isEqualTo(200);

        JsonNode events = get("/api/ai/runs/" + autopilotRun + "/events", auditor).json().path("items");
        Integer stored = jdbc.queryForObject("SELECT count(*) FROM domain_event_entry WHERE aggregate_identifier = ?",
                Integer.class, autopilotRun);
        assertThat(events).hasSize(stored);
        for (int i = 0; i < events.size(); i++) {
            assertThat(events.get(i).path("sequence").asLong()).isEqualTo(i);
        }
        assertThat(events.get(0).path("type").asText()).isEqualTo("RunStarted");
        assertThat(events.get(events.size() - 1).path("type").asText()).isEqualTo("RunCompleted");

        Response export = get("/api/ai/audit/export?from=2026-01-01&to=2099-01-01", auditor);
        assertThat(export.status()).as(export.toString()).isEqualTo(200);
        assertThat(export.contentType()).startsWith("application/x-ndjson");
        List<JsonNode> lines = new ArrayList<>();
        for (String line : export.body().split("\n")) {
            lines.add(JSON.readTree(line));
        }
        Integer tenantEvents = jdbc.queryForObject("SELECT count(*) FROM domain_event_entry "
                + "WHERE convert_from(meta_data, 'UTF8')::jsonb ->> 'tenant_id' = ?", Integer.class, tenant);
        assertThat(lines).hasSize(tenantEvents);
        long previous = -1;
        for (JsonNode line : lines) {
            assertThat(line.path("metadata").path("tenant_id").asText()).isEqualTo(tenant);
            assertThat(line.path("global_index").asLong()).isGreaterThan(previous);
            previous = line.path("global_index").asLong();
        }
        assertThat(lines.stream().filter(line -> line.path("aggregate_id").asText().equals(autopilotRun)))
                .hasSize(stored);
        assertThat(lines.stream().filter(line -> line.path("type").asText().equals("ToolCallApproved"))
                .map(line -> line.path("payload").path("by").asText())).containsExactly("ana");

        Response yesterday = get("/api/ai/audit/export?from=2020-01-01&to=2020-01-02", auditor);
        assertThat(yesterday.status()).isEqualTo(200);
        assertThat(yesterday.body()).isEmpty();
    }

    @Test
    void filtersAndPagesNarrowTheListWithoutRepeatingOrSkippingARun() {
        assertThat(ids(get("/api/ai/runs?mode=copilot", auditor).json().path("items"))).containsExactly(copilotRun);
        assertThat(ids(get("/api/ai/runs?tool=cancel_subscription", auditor).json().path("items")))
                .containsExactly(autopilotRun);
        assertThat(ids(get("/api/ai/runs?conversation_id=" + copilotConversation, auditor).json().path("items")))
                .containsExactly(copilotRun);
        assertThat(ids(get("/api/ai/runs?status=completed&mode=autopilot", auditor).json().path("items")))
                .containsExactly(autopilotRun);
        assertThat(ids(get("/api/ai/runs?min_confidence=0&max_confidence=1", auditor).json().path("items")))
                .containsExactly(autopilotRun, copilotRun);
        double confidence = get("/api/ai/runs/" + autopilotRun, auditor).json().path("confidence").asDouble();
        assertThat(ids(get("/api/ai/runs?mode=autopilot&max_confidence=" + Math.max(0, confidence - 0.001), auditor)
                .json().path("items"))).isEmpty();
        assertThat(ids(get("/api/ai/runs?from=2099-01-01", auditor).json().path("items"))).isEmpty();
        assertThat(ids(get("/api/ai/runs?to=2020-01-01", auditor).json().path("items"))).isEmpty();
        assertThat(ids(get("/api/ai/runs?intent=sales&mode=autopilot&tool=create_ticket", auditor).json()
                .path("items"))).isEmpty();

        JsonNode first = get("/api/ai/runs?limit=1", auditor).json();
        assertThat(ids(first.path("items"))).containsExactly(autopilotRun);
        String cursor = first.path("next_cursor").asText();
        assertThat(cursor).isNotBlank();
        JsonNode second = get("/api/ai/runs?limit=1&cursor=" + cursor, auditor).json();
        assertThat(ids(second.path("items"))).containsExactly(copilotRun);
        assertThat(second.path("next_cursor").isNull()).isTrue();
    }

    @Test
    void badFiltersAreRefusedNamingTheParameter() {
        Map<String, String> refused = Map.ofEntries(
                Map.entry("/api/ai/runs?colour=red", "colour"),
                Map.entry("/api/ai/runs?mode=sometimes", "mode"),
                Map.entry("/api/ai/runs?limit=0", "limit"),
                Map.entry("/api/ai/runs?limit=many", "limit"),
                Map.entry("/api/ai/runs?min_confidence=2", "min_confidence"),
                Map.entry("/api/ai/runs?from=yesterday", "from"),
                Map.entry("/api/ai/runs?from=2026-02-02&to=2026-02-01", "to"),
                Map.entry("/api/ai/runs?cursor=not-ours", "cursor"),
                Map.entry("/api/ai/runs?conversation_id=x", "conversation_id"),
                Map.entry("/api/ai/audit/export?to=2026-02-01", "from"),
                Map.entry("/api/ai/audit/export?from=2026-01-01&to=%2B999999999-12-31", "to"),
                Map.entry("/api/ai/runs?from=%2B300000-01-01T00:00:00Z", "from"),
                Map.entry("/api/ai/runs?cursor=" + java.util.Base64.getUrlEncoder().encodeToString(
                        ("+300000-01-01T00:00:00Z|" + UUID.randomUUID()).getBytes()), "cursor"));
        refused.forEach((path, field) -> {
            Response answer = get(path, auditor);
            assertThat(answer.status()).as(path + " → " + answer).isEqualTo(400);
            assertThat(answer.contentType()).startsWith("application/problem+json");
            assertThat(answer.json().path("field").asText()).as(path).isEqualTo(field);
        });
        Response unknownParameter = get("/api/ai/audit/export?from=2026-01-01&to=2026-02-01&format=csv", auditor);
        assertThat(unknownParameter.status()).isEqualTo(400);
        assertThat(unknownParameter.json().path("field").asText()).isEqualTo("format");
    }

    @Test
    void onlyAuditorsAndAdminsOfTheTenantReadItsLogs() {
        List<String> paths = List.of("/api/ai/runs", "/api/ai/runs/" + autopilotRun,
                "/api/ai/runs/" + autopilotRun + "/events", "/api/ai/audit/export?from=2026-01-01&to=2099-01-01");
        for (String path : paths) {
            assertThat(get(path, token(tenant, "bo", "agent")).status()).as(path).isEqualTo(403);
            assertThat(get(path, service).status()).as(path).isEqualTo(403);
            Response anonymous = get(path, null);
            assertThat(anonymous.status()).as(path).isEqualTo(401);
            assertThat(anonymous.contentType()).startsWith("application/problem+json");
        }

        String foreign = token(newTenant(), "eve", "auditor");
        assertThat(get("/api/ai/runs", foreign).json().path("items")).isEmpty();
        for (String path : List.of("/api/ai/runs/" + autopilotRun, "/api/ai/runs/" + autopilotRun + "/events")) {
            Response answer = get(path, foreign);
            assertThat(answer.status()).as(path).isEqualTo(404);
            assertThat(answer.contentType()).startsWith("application/problem+json");
        }
        assertThat(get("/api/ai/audit/export?from=2026-01-01&to=2099-01-01", foreign).body()).isEmpty();
        assertThat(get("/api/ai/runs/" + UUID.randomUUID(), auditor).status()).isEqualTo(404);
        assertThat(get("/api/ai/runs/not-a-run", auditor).status()).isEqualTo(404);
    }
}
