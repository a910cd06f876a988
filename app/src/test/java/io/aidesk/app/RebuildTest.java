package io.aidesk.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.aidesk.ingestion.LoopbackSite;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every read model can be reset and replayed from the event store, and the rebuilt tables equal the originals, row
 * for row; a rebuild touches one tenant only and only an admin of that tenant may start it.
 */
class RebuildTest extends ApiTest {
    /** The read models the rebuild owns, children first (as ReadModelRebuild lists them). */
    private static final List<String> TABLES = List.of("ai_replay_items", "ai_replays", "ai_insight_approvals",
            "ai_insight_runs", "ai_run_citations", "ai_actions_log", "ai_runs", "ai_messages",
            "ai_conversations", "ai_kb_sync_history", "ai_kb_sources", "ai_assistant_settings");

    private final LoopbackSite site = new LoopbackSite();

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    PlatformTransactionManager transactions;

    @AfterEach
    void stopSite() {
        site.close();
    }

    @BeforeEach
    void helpCenter() {
        site.page("/", LoopbackSite.Response.html(LoopbackSite.helpPage("Help",
                "<p>You can cancel your subscription at any time; the cancellation takes effect at the end of the "
                        + "month.</p><a href=\"/hours\">Hours</a>")))
                .page("/hours", LoopbackSite.Response.html(LoopbackSite.helpPage("Hours",
                        "<p>Our plumbers work Monday to Friday from 8am to 6pm.</p>")));
    }

    /** Settings, a synced source, conversations, a copilot draft and an autopilot run with an approved call. */
    private void aTenantWithSomethingInEveryReadModel(String tenant) {
        String admin = token(tenant, "ana", "admin");
        String service = token(tenant, "crm", "service");
        String source = call("POST", "/api/ai/kb/sources", admin, "{\"type\": \"url\", \"url\": \"" + site.url("/")
                + "\", \"config\": {\"max_pages\": 5}}", Map.of()).json().path("id").asText();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> get("/api/ai/kb/sources/" + source, admin).json().path("status").asText(), "ok"::equals);
        String contact = call("POST", "/api/crm/contacts", service, "{\"name\": \"Ann Lee\", \"plan\": \"pro\"}",
                Map.of()).json().path("id").asText();
        assertThat(put("/api/ai/settings", admin, """
                {"confidence_threshold": 0, "escalation_rules": [], "log_content": "full",
                 "allowed_tools": ["create_ticket", "cancel_subscription"]}
                """).status()).isEqualTo(200);
        String first = conversation(service, contact, "When do your plumbers work?");
        call("POST", "/api/ai/assist/draft-reply", token(tenant, "bo", "agent"), "{\"conversation_id\": \"" + first
                + "\", \"message\": \"When do your plumbers work?\"}", Map.of());
        assertThat(put("/api/ai/settings", admin, "{\"autopilot_enabled\": true, \"log_content\": \"redacted\"}")
                .status()).isEqualTo(200);
        String second = conversation(service, contact, "I want to cancel my subscription, write to ann@example.com");
        String message = get("/api/ai/conversations/" + second, service).json().path("messages").get(0).path("id")
                .asText();
        JsonNode run = settledRun(service, second, message);
        String callId = run.path("actions").get(0).path("call_id").asText();
        assertThat(call("POST", "/api/ai/approvals/" + callId + "/approve", admin, null, Map.of()).status())
                .isEqualTo(200);
        await().atMost(Duration.ofSeconds(15)).until(() -> get("/api/ai/agent/runs/" + run.path("run_id").asText(),
                admin).json().path("status").asText(), "completed"::equals);
        // and a replay of both conversations at a stricter threshold, with its diff
        String replay = call("POST", "/api/ai/replays", admin, "{\"settings\": {\"confidence_threshold\": 0.9}, "
                + "\"selection\": {\"conversation_ids\": [\"" + first + "\", \"" + second + "\"]}}", Map.of()).json()
                .path("replay_id").asText();
        await().atMost(Duration.ofSeconds(30)).until(() -> get("/api/ai/replays/" + replay, admin).json()
                .path("replay").path("status").asText(), "completed"::equals);
    }

    private String conversation(String service, String contact, String text) {
        String id = call("POST", "/api/ai/conversations", service, "{\"channel\": \"web\", \"contact_id\": \"" + contact
                + "\", \"subject\": \"Help\"}", Map.of()).json().path("id").asText();
        call("POST", "/api/ai/conversations/" + id + "/messages", service, "{\"sender\": \"customer\", \"text\": \""
                + text + "\"}", Map.of());
        return id;
    }

    private Map<String, List<String>> readModels(String tenant) {
        return new TenantRows(jdbc, transactions).of(tenant, TABLES);
    }

    private <T> T asTenant(String tenant, java.util.function.Supplier<T> work) {
        return new TenantRows(jdbc, transactions).as(tenant, work);
    }

    private void awaitQuiet(String tenant) {
        // the autopilot's processors run behind the request; wait until the tenant's read models stop changing
        Map<String, List<String>>[] last = new Map[]{readModels(tenant)};
        await().atMost(Duration.ofSeconds(20)).pollDelay(Duration.ofMillis(500)).until(() -> {
            Map<String, List<String>> now = readModels(tenant);
            boolean same = now.equals(last[0]);
            last[0] = now;
            return same;
        });
    }

    @Test
    void resetAndReplayedReadModelsEqualTheOriginalsAndAnotherTenantIsUntouched() {
        String tenant = newTenant();
        String other = newTenant();
        aTenantWithSomethingInEveryReadModel(tenant);
        assertThat(put("/api/ai/settings", token(other, "eve", "admin"), "{\"confidence_threshold\": 0.5}").status())
                .isEqualTo(200);
        awaitQuiet(tenant);
        Map<String, List<String>> before = readModels(tenant);
        Map<String, List<String>> otherBefore = readModels(other);
        before.forEach((table, rows) -> assertThat(rows).as(table + " has rows to rebuild").isNotEmpty());
        // damage the read models as a bug in a projection would: the replay must put back what the events say
        asTenant(tenant, () -> {
            jdbc.update("UPDATE ai_runs SET status = 'failed', reply = 'wrong' WHERE tenant_id = ?", tenant);
            jdbc.update("DELETE FROM ai_messages WHERE tenant_id = ?", tenant);
            return null;
        });
        assertThat(readModels(tenant)).isNotEqualTo(before);

        Response replay = call("POST", "/api/ai/admin/replay", token(tenant, "ana", "admin"), null, Map.of());

        assertThat(replay.status()).as(replay.toString()).isEqualTo(200);
        Integer stored = jdbc.queryForObject("SELECT count(*) FROM domain_event_entry "
                + "WHERE convert_from(meta_data, 'UTF8')::jsonb ->> 'tenant_id' = ?", Integer.class, tenant);
        assertThat(replay.json().path("events").asInt()).isEqualTo(stored);
        assertThat(replay.json().path("rows").path("ai_runs").asInt()).isEqualTo(before.get("ai_runs").size());
        Map<String, List<String>> after = readModels(tenant);
        TABLES.forEach(table -> assertThat(after.get(table)).as(table).containsExactlyElementsOf(before.get(table)));
        assertThat(readModels(other)).isEqualTo(otherBefore);
    }

    @Test
    void onlyAnAdminMayRebuildAndOnlyTheirOwnTenant() {
        String tenant = newTenant();
        assertThat(put("/api/ai/settings", token(tenant, "ana", "admin"), "{\"confidence_threshold\": 0.6}").status())
                .isEqualTo(200);
        Map<String, List<String>> before = readModels(tenant);

        for (String role : List.of("agent", "auditor", "service")) {
            Response refused = call("POST", "/api/ai/admin/replay", token(tenant, "x", role), null, Map.of());
            assertThat(refused.status()).as(role).isEqualTo(403);
            assertThat(refused.contentType()).startsWith("application/problem+json");
        }
        assertThat(call("POST", "/api/ai/admin/replay", null, null, Map.of()).status()).isEqualTo(401);
        Response foreign = call("POST", "/api/ai/admin/replay", token(newTenant(), "eve", "admin"), null, Map.of());
        assertThat(foreign.status()).isEqualTo(200);
        assertThat(foreign.json().path("events").asInt()).isZero();
        assertThat(readModels(tenant)).isEqualTo(before);
    }
}
