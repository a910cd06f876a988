package io.aidesk.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.JWTClaimsSet;
import io.aidesk.ingestion.LoopbackSite;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The settings UI in a real browser: Debian's Chromium driven by playwright-core (ui/e2e/*.mjs) against AI Desk on a
 * random port, the real Postgres and a help-center site on loopback. The scenarios sign in by pasting a signed JWT, so
 * they need no demo seed; screenshots of every tab land in app/target/screenshots.
 */
class BrowserTest extends ApiTest {
    private static final Path UI = Path.of("..", "ui").toAbsolutePath().normalize();
    private static final Path SCREENSHOTS = Path.of("target", "screenshots").toAbsolutePath();
    private static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("AIDESK_CHROMIUM", "/usr/bin/chromium"));

    private final LoopbackSite site = new LoopbackSite();

    @AfterEach
    void stopSite() {
        site.close();
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
        assertThat(Files.isExecutable(CHROMIUM)).as("Debian's chromium at " + CHROMIUM
                + " (./aidesk test installs it: apt-get install chromium)").isTrue();
        assertThat(Files.isDirectory(UI.resolve("node_modules/playwright-core")))
                .as("playwright-core in ui/node_modules (the ui module's build runs npm ci)").isTrue();
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
        scenario("admin-journey.mjs", env);

        // what the browser did is what the API holds
        String auditor = token(tenant, "au", "auditor");
        JsonNode runs = get("/api/ai/runs?tool=cancel_subscription", auditor).json().path("items");
        assertThat(runs).hasSize(1);
        String runId = runs.get(0).path("run_id").asText();
        JsonNode call = get("/api/ai/runs/" + runId, auditor).json().path("actions").get(0);
        assertThat(call.path("tool").asText()).isEqualTo("cancel_subscription");
        assertThat(call.path("status").asText()).isEqualTo("executed");
        assertThat(call.path("decided_by").asText()).isEqualTo("ana@acme");
        JsonNode settings = get("/api/ai/settings", auditor).json().path("settings");
        assertThat(settings.path("autopilot_enabled").asBoolean()).isTrue();
        assertThat(settings.path("allowed_tools").toString()).contains("cancel_subscription").doesNotContain("create_task");

        String other = "globex-e2e-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> otherEnv = new HashMap<>();
        otherEnv.put("AIDESK_OTHER_TENANT", other);
        otherEnv.put("AIDESK_OTHER_ADMIN_TOKEN", browserToken(other, "diego@globex", "admin"));
        otherEnv.put("AIDESK_FOREIGN_RUN_ID", runId);
        otherEnv.put("AIDESK_FOREIGN_TEXTS", String.join("|", site.url("/"), "opening-hours.txt", "Ann Lee",
                "Water heater", tenant));
        scenario("other-tenant.mjs", otherEnv);
    }

    /** Runs one scenario with node, its output streamed into the test's, and fails unless it exits 0. */
    private void scenario(String script, Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder("node", "e2e/" + script).directory(UI.toFile()).redirectErrorStream(true);
        builder.environment().putAll(env);
        builder.environment().put("AIDESK_URL", "http://localhost:" + port);
        builder.environment().put("AIDESK_SCREENSHOTS", SCREENSHOTS.toString());
        builder.environment().put("AIDESK_CHROMIUM", CHROMIUM.toString());
        Process process = builder.start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                System.out.println("[" + script + "] " + line);
            }
        }
        if (!process.waitFor(10, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError(script + " did not finish within 10 minutes");
        }
        assertThat(process.exitValue()).as(script + " failed: its steps are in the output above, the page at the failure in "
                + SCREENSHOTS.resolve("failure.png")).isZero();
    }
}
