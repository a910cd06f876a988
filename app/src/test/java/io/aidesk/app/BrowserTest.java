package io.aidesk.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.JWTClaimsSet;
import io.aidesk.ingestion.LoopbackSite;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The settings UI in a real browser: Debian's Chromium driven by playwright-core (ui/e2e/*.mjs) against AI Desk on a
 * random port, the real Postgres and a help-center site on loopback. The scenarios sign in by pasting a signed JWT, so
 * they need no demo seed; screenshots of every tab land in app/target/screenshots.
 */
class BrowserTest extends ApiTest {
    private final LoopbackSite site = new LoopbackSite();
    private final WebhookReceiver crm = new WebhookReceiver();

    @AfterEach
    void stopSite() {
        site.close();
        crm.close();
    }

    private String browserToken(String tenant, String user, String role) {
        return sign(new JWTClaimsSet.Builder().subject(user).claim("tid", tenant).claim("roles", List.of(role))
                .issueTime(new Date()).expirationTime(Date.from(Instant.now().plusSeconds(3600))).build(), secret);
    }

    private void helpCenter() {
        site.page("/", LoopbackSite.Response.html(LoopbackSite.helpPage("Acme help",
                        "<p>Welcome to the Acme Plumbing help center.</p><a href=\"/help/water-heaters\">Water heaters</a> "
                                + "<a href=\"/help/hours\">Hours</a> <a href=\"/help/cancel\">Cancelling</a> "
                                + "<a href=\"/internal/staff\">Staff</a>")))
                .page("/help/water-heaters", LoopbackSite.Response.html(LoopbackSite.helpPage("Water heaters",
                        "<h2>Prices</h2><p>Replacing a 40 or 50 gallon water heater costs between $900 and $1,500, "
                                + "depending on venting and permits.</p>")))
                .page("/help/hours", LoopbackSite.Response.html(LoopbackSite.helpPage("Opening hours",
                        "<p>Our plumbers work Monday to Friday from 8am to 6pm and Saturdays until noon.</p>")))
                .page("/help/cancel", LoopbackSite.Response.html(LoopbackSite.helpPage("Cancelling",
                        "<p>You can cancel your subscription at any time; the cancellation takes effect at the end of "
                                + "the month.</p>")))
                .page("/internal/staff", LoopbackSite.Response.html(LoopbackSite.helpPage("Staff only",
                        "<p>Internal rota.</p>")));
    }

    @Test
    void anAdminDoesEverythingInTheBrowserAndAnotherTenantSeesNoneOfIt() throws Exception {
        BrowserScenario.requireBrowser();
        helpCenter();
        String tenant = "acme-e2e-" + UUID.randomUUID().toString().substring(0, 8);
        String service = token(tenant, "crm", "service");
        Response contact = call("POST", "/api/crm/contacts", service,
                "{\"name\": \"Ann Lee\", \"email\": \"ann@example.com\", \"plan\": \"pro\"}", Map.of());
        assertThat(contact.status()).as(contact.toString()).isIn(200, 201);

        Map<String, String> env = new HashMap<>();
        env.put("AIDESK_TENANT", tenant);
        env.put("AIDESK_ADMIN_TOKEN", browserToken(tenant, "ana@acme", "admin"));
        env.put("AIDESK_AGENT_TOKEN", browserToken(tenant, "bo@acme", "agent"));
        env.put("AIDESK_AUDITOR_TOKEN", browserToken(tenant, "carla@acme", "auditor"));
        env.put("AIDESK_SITE_URL", site.url("/"));
        env.put("AIDESK_CONTACT_NAME", "Ann Lee");
        env.put("AIDESK_WEBHOOK_URL", crm.url());
        scenario("admin-journey.mjs", env);
        scenario("phone.mjs", env);

        // what the browser did is what the API holds
        String auditor = token(tenant, "au", "auditor");
        JsonNode runs = get("/api/ai/runs?tool=cancel_subscription", auditor).json().path("items");
        assertThat(runs).hasSize(1);
        String runId = runs.get(0).path("run_id").asText();
        JsonNode call = get("/api/ai/runs/" + runId, auditor).json().path("actions").get(0);
        assertThat(call.path("tool").asText()).isEqualTo("cancel_subscription");
        assertThat(call.path("status").asText()).isEqualTo("executed");
        assertThat(call.path("decided_by").asText()).isEqualTo("ana@acme");
        // the endpoint added on the Webhooks screen heard of the approval asked for and given
        assertThat(crm.requests()).extracting(WebhookReceiver.Received::type)
                .containsSubsequence("approval.requested", "approval.decided", "tool_call.executed");
        assertThat(crm.requests()).allSatisfy(request -> assertThat(request.signature()).startsWith("v1,"));
        JsonNode settings = get("/api/ai/settings", auditor).json().path("settings");
        assertThat(settings.path("autopilot_enabled").asBoolean()).isTrue();
        assertThat(settings.path("allowed_tools").toString()).contains("cancel_subscription").doesNotContain("create_task");
        assertThat(settings.path("required_fields").path("other").toString()).isEqualTo("[\"postcode\",\"preferred_date\"]");

        String other = "globex-e2e-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> otherEnv = new HashMap<>();
        otherEnv.put("AIDESK_OTHER_TENANT", other);
        otherEnv.put("AIDESK_OTHER_ADMIN_TOKEN", browserToken(other, "diego@globex", "admin"));
        otherEnv.put("AIDESK_FOREIGN_RUN_ID", runId);
        otherEnv.put("AIDESK_FOREIGN_TEXTS", String.join("|", site.url("/"), "opening-hours.txt", "Ann Lee",
                "Water heater", tenant, crm.url()));
        scenario("other-tenant.mjs", otherEnv);
    }

    private void scenario(String script, Map<String, String> env) throws IOException, InterruptedException {
        BrowserScenario.run(port, script, env);
    }
}
