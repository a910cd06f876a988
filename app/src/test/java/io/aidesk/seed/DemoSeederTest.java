package io.aidesk.seed;

import com.fasterxml.jackson.databind.JsonNode;
import io.aidesk.api.tenancy.RowSecurity;
import io.aidesk.app.ApiTest;
import io.aidesk.app.BrowserScenario;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * AI Desk started as `./aidesk run` starts it (the demo seeded on start, its help centers crawled over HTTP from the
 * app itself, the sign-in on), against the real Postgres.
 */
@TestPropertySource(properties = {"aidesk.demo.seed=true", "aidesk.demo.sign-in=true"})
// closed afterwards, so its event processors never hold segments the other tests need
@DirtiesContext
class DemoSeederTest extends ApiTest {
    private static final List<String> TABLES = List.of("ai_kb_sources", "ai_kb_chunks", "crm_contacts",
            "crm_subscriptions", "ai_conversations", "ai_messages", "ai_runs");

    @Autowired
    DemoSeeder seeder;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    PlatformTransactionManager transactions;

    private String signIn(String userId) {
        Response answer = call("POST", "/api/demo/sign-in", null, "{\"user_id\": \"" + userId + "\"}", Map.of());
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        return answer.json().path("token").asText();
    }

    private JsonNode sources(String userId) {
        return get("/api/ai/kb/sources", signIn(userId)).json().path("items");
    }

    private JsonNode query(String token, String text) {
        Response answer = call("POST", "/api/ai/kb/query", token, "{\"query\": \"" + text + "\", \"top_k\": 8}", Map.of());
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        return answer.json();
    }

    @Test
    void eachTenantsHelpCenterIsCrawledFromTheAppAndItsFileIndexed() {
        for (String[] tenant : List.of(new String[]{"acme", "ana@acme", "acme-price-list-2026.pdf"},
                new String[]{"globex", "diego@globex", "globex-poliza-hogar.docx"})) {
            JsonNode items = sources(tenant[1]);
            assertThat(items).as(tenant[0]).hasSize(2);
            for (JsonNode source : items) {
                assertThat(source.path("status").asText()).as(source.toString()).isEqualTo("ok");
                assertThat(source.path("stats").path("chunks").asInt()).as(source.toString()).isPositive();
                assertThat(source.path("stats").path("last_errors")).as(source.toString()).isEmpty();
                if (source.path("type").asText().equals("url")) {
                    assertThat(source.path("url").asText()).isEqualTo("http://127.0.0.1:" + port + "/demo-sites/"
                            + tenant[0] + "/");
                    assertThat(source.path("stats").path("documents").asInt()).as(source.toString()).isGreaterThan(8);
                } else {
                    assertThat(source.path("file_name").asText()).isEqualTo(tenant[2]);
                }
            }
        }
    }

    @Test
    void thePdfAndTheDocxAnswerAndNoTenantSeesTheOthersKnowledge() {
        String acme = signIn("bo@acme");
        String globex = signIn("elena@globex");
        Set<String> acmeSources = ids(sources("ana@acme"));
        Set<String> globexSources = ids(sources("diego@globex"));

        JsonNode price = query(acme, "How much does drain cleaning cost per drain?");
        assertThat(contents(price)).anyMatch(text -> text.contains("Drain cleaning: $149 per drain"));
        assertThat(price.path("citations").toString()).contains("acme-price-list-2026.pdf");
        JsonNode policy = query(globex, "¿Hasta cuánto cubre la póliza los daños por agua?");
        assertThat(contents(policy)).anyMatch(text -> text.contains("hasta 50.000 euros por siniestro"));

        for (String text : List.of("franquicia del seguro de hogar", "daños por agua póliza GX", "drain cleaning price",
                "water heater leaking", "opening hours Saturday")) {
            assertThat(sourcesOf(query(acme, text))).as(text).isNotEmpty().isSubsetOf(acmeSources);
            assertThat(sourcesOf(query(globex, text))).as(text).isNotEmpty().isSubsetOf(globexSources);
        }
    }

    @Test
    void theSignInListsTheSeededUsersAndItsTokensActForTheirTenant() {
        Response users = get("/api/demo/users", null);
        assertThat(users.status()).isEqualTo(200);
        JsonNode tenants = users.json().path("tenants");
        assertThat(tenants).hasSize(2);
        assertThat(tenants.get(0).path("tenant").asText()).isEqualTo("acme");
        assertThat(tenants.get(0).path("name").asText()).isEqualTo("Acme Plumbing");
        assertThat(tenants.get(1).path("name").asText()).isEqualTo("Globex Insurance");
        Map<String, Double> thresholds = Map.of("acme", 0.7, "globex", 0.7);
        for (JsonNode tenant : tenants) {
            List<String> roles = new ArrayList<>();
            for (JsonNode user : tenant.path("users")) {
                roles.add(user.path("roles").get(0).asText());
                Response signedIn = call("POST", "/api/demo/sign-in", null,
                        "{\"user_id\": \"" + user.path("user_id").asText() + "\"}", Map.of());
                assertThat(signedIn.status()).isEqualTo(200);
                JsonNode answer = signedIn.json();
                assertThat(answer.path("tenant").asText()).isEqualTo(tenant.path("tenant").asText());
                assertThat(answer.path("user_id").asText()).isEqualTo(user.path("user_id").asText());
                assertThat(answer.path("name").asText()).isEqualTo(user.path("name").asText());
                assertThat(answer.path("roles")).isEqualTo(user.path("roles"));
                assertThat(Instant.parse(answer.path("expires_at").asText())).isAfter(Instant.now().plus(Duration.ofHours(11)));
                // the screens open in the tenant's language
                assertThat(answer.path("locale").asText()).isEqualTo(Map.of("acme", "en", "globex", "es")
                        .get(tenant.path("tenant").asText()));
                Response settings = get("/api/ai/settings", answer.path("token").asText());
                assertThat(settings.status()).as(settings.toString()).isEqualTo(200);
                assertThat(settings.json().path("settings").path("confidence_threshold").asDouble())
                        .isEqualTo(thresholds.get(tenant.path("tenant").asText()));
            }
            assertThat(roles).containsExactly("admin", "agent", "auditor");
        }
        String auditor = signIn("carla@acme");
        assertThat(put("/api/ai/settings", auditor, "{\"confidence_threshold\": 0.1}").status()).isEqualTo(403);
        assertThat(get("/api/ai/runs", auditor).status()).isEqualTo(200);
    }

    @Test
    void aPageTheDemoHelpCenterDoesNotHaveIsA404Problem() {
        assertThat(get("/demo-sites/acme/", null).status()).isEqualTo(200);
        for (String path : List.of("/demo-sites/acme/no-such-page", "/demo-sites/no-such-site/")) {
            Response missing = get(path, null);
            assertThat(missing.status()).as(path + ": " + missing).isEqualTo(404);
            assertThat(missing.contentType()).as(path).startsWith("application/problem+json");
            assertThat(missing.json().path("detail").asText()).as(path).contains(path);
        }
    }

    @Test
    void aSignInThatNamesNoSeededUserIsRefusedWithTheReason() {
        Response unknown = call("POST", "/api/demo/sign-in", null, "{\"user_id\": \"mallory@acme\"}", Map.of());
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.contentType()).startsWith("application/problem+json");
        for (String[] bad : List.of(new String[]{"{\"user_id\": 7}", "user_id"},
                new String[]{"{\"user_id\": \"ana@acme\", \"tenant\": \"globex\"}", "tenant"},
                new String[]{"{}", "user_id"}, new String[]{"{\"user_id\": \" \"}", "user_id"})) {
            Response refused = call("POST", "/api/demo/sign-in", null, bad[0], Map.of());
            assertThat(refused.status()).as(bad[0]).isEqualTo(400);
            assertThat(refused.contentType()).startsWith("application/problem+json");
            assertThat(refused.json().path("field").asText()).as(bad[0]).isEqualTo(bad[1]);
        }
        Response malformed = call("POST", "/api/demo/sign-in", null, "{\"user_id\": ", Map.of());
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.contentType()).startsWith("application/problem+json");
        // the tenant travels in the token only, never in a body
        assertThat(call("POST", "/api/demo/sign-in", null, "{\"user_id\": \"ana@acme\", \"tenant_id\": \"globex\"}",
                Map.of()).status()).isEqualTo(400);
    }

    @Test
    void theConversationsRanTheAutopilotAndAcmesCancellationWaitsForAnAdmin() {
        String acmeAdmin = signIn("ana@acme");
        assertThat(get("/api/crm/contacts", acmeAdmin).json().path("items")).hasSize(4)
                .allMatch(contact -> !contact.path("subscription").path("plan").asText().isEmpty());
        assertThat(get("/api/crm/contacts", signIn("diego@globex")).json().path("items")).hasSize(3);

        JsonNode approvals = get("/api/ai/approvals", acmeAdmin).json().path("items");
        assertThat(approvals).as(approvals.toString()).hasSize(1);
        assertThat(approvals.get(0).path("action").path("tool").asText()).isEqualTo("cancel_subscription");

        // the seeder goes on once the autopilot has replied; a run's tool call may still be on its way
        String acmeAuditor = signIn("carla@acme");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode acmeRuns = get("/api/ai/runs", acmeAuditor).json().path("items");
            assertThat(acmeRuns).hasSize(4);
            assertThat(acmeRuns.findValuesAsText("status")).as(acmeRuns.toString())
                    .containsExactlyInAnyOrder("completed", "completed", "completed", "awaiting_approval");
            assertThat(get("/api/crm/tickets", acmeAdmin).json().path("items")).as("the leaking water heater's ticket")
                    .hasSize(1);
        });

        String globexAgent = signIn("elena@globex");
        DemoTenant globex = DemoTenant.ALL.get(1);
        JsonNode answered = get("/api/ai/conversations/" + globex.conversations().get(0).id(globex.id()), globexAgent)
                .json().path("messages");
        assertThat(answered).hasSize(2);
        assertThat(answered.get(1).path("text").asText()).as("the customer gave the policy number").contains("150");
        JsonNode claim = get("/api/ai/conversations/" + globex.conversations().get(1).id(globex.id()), globexAgent)
                .json().path("messages");
        assertThat(claim).hasSize(4);
        assertThat(claim.get(1).path("sender").asText()).isEqualTo("assistant");
        assertThat(claim.get(1).path("text").asText()).as("asked for the policy number").contains("número de póliza");
        String globexAdmin = signIn("diego@globex");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(get("/api/crm/tickets", globexAdmin)
                .json().path("items")).as("the leak's claim ticket").hasSize(1));
    }

    @Test
    void seedingAgainAddsNothingAndRecordsNoEvent() {
        await().atMost(Duration.ofSeconds(30)).until(() -> settled("acme") && settled("globex"));
        Map<String, Object> before = counts();

        seeder.seed();

        assertThat(counts()).isEqualTo(before);
    }

    @Test
    void whatAnAdminChangedInTheDemoSettingsSurvivesARestart() {
        String admin = signIn("diego@globex");
        double seeded = get("/api/ai/settings", admin).json().path("settings").path("confidence_threshold").asDouble();
        assertThat(put("/api/ai/settings", admin, "{\"confidence_threshold\": 0.91}").status()).isEqualTo(200);
        try {
            seeder.seed();

            assertThat(get("/api/ai/settings", admin).json().path("settings").path("confidence_threshold").asDouble())
                    .isEqualTo(0.91);
        } finally {
            put("/api/ai/settings", admin, "{\"confidence_threshold\": " + seeded + "}");
        }
    }

    private boolean settled(String tenant) {
        return scoped(tenant, () -> jdbc.queryForObject("SELECT count(*) FROM ai_runs WHERE tenant_id = ? AND status = "
                + "'running'", Long.class, tenant)) == 0;
    }

    private Map<String, Object> counts() {
        Map<String, Object> counts = new LinkedHashMap<>();
        for (String tenant : List.of("acme", "globex")) {
            for (String table : TABLES) {
                counts.put(tenant + "." + table, scoped(tenant, () -> jdbc.queryForObject("SELECT count(*) FROM "
                        + table + " WHERE tenant_id = ?", Long.class, tenant)));
            }
            counts.put(tenant + ".events", jdbc.queryForObject("SELECT count(*) FROM domain_event_entry WHERE "
                    + "aidesk_event_tenant(meta_data) = ?", Long.class, tenant));
        }
        return counts;
    }

    private <T> T scoped(String tenant, java.util.function.Supplier<T> work) {
        return new TransactionTemplate(transactions).execute(status -> {
            jdbc.queryForObject(RowSecurity.SCOPE_SQL, String.class, tenant);
            return work.get();
        });
    }

    private static Set<String> ids(JsonNode items) {
        Set<String> ids = new HashSet<>();
        items.forEach(item -> ids.add(item.path("id").asText()));
        return ids;
    }

    private static List<String> contents(JsonNode result) {
        return result.path("chunks").findValuesAsText("content");
    }

    private static Set<String> sourcesOf(JsonNode result) {
        Set<String> sources = new HashSet<>();
        result.path("chunks").forEach(chunk -> sources.add(chunk.path("source_id").asText()));
        return sources;
    }

    /** The demo as a newcomer meets it: signed in from the demo users, each tenant sees its own and nothing else. */
    @Test
    void theSeededTenantsInABrowserEachSeeingItsOwn() throws Exception {
        BrowserScenario.requireBrowser();
        BrowserScenario.run(port, "demo-tenants.mjs", Map.of());
    }
}
