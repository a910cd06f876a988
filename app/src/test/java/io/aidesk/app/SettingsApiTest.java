package io.aidesk.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.JWTClaimsSet;
import io.aidesk.api.settings.AssistantSettingsId;
import io.aidesk.api.tenancy.TenantId;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class SettingsApiTest extends ApiTest {
    private static final String SETTINGS = "/api/ai/settings";

    @Autowired
    JdbcTemplate jdbc;

    private long storedEvents(String tenant) {
        return jdbc.queryForObject("SELECT count(*) FROM domain_event_entry WHERE aggregate_identifier = ?", Long.class,
                AssistantSettingsId.of(new TenantId(tenant)));
    }

    private JsonNode awaitRevision(String token, long revision) {
        return await().atMost(Duration.ofSeconds(15)).until(() -> get(SETTINGS, token).json(),
                body -> body.path("revision").asLong() == revision);
    }

    private static void assertProblem(Response response, int status) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.json().path("status").asInt()).isEqualTo(status);
        assertThat(response.json().path("title").asText()).isNotBlank();
    }

    @Test
    void aNewTenantReadsTheDefaults() {
        Response response = get(SETTINGS, token(newTenant(), "ana", "agent"));

        assertThat(response.status()).isEqualTo(200);
        JsonNode settings = response.json().path("settings");
        assertThat(response.json().path("revision").asLong()).isZero();
        assertThat(settings.path("copilot_enabled").asBoolean()).isTrue();
        assertThat(settings.path("autopilot_enabled").asBoolean()).isFalse();
        assertThat(settings.path("confidence_threshold").asDouble()).isEqualTo(0.75);
        assertThat(settings.path("log_content").asText()).isEqualTo("redacted");
        assertThat(settings.path("allowed_tools").toString()).doesNotContain("issue_credit");
    }

    @Test
    void anAdminChangesTheSettingsAndEveryRoleOfTheTenantReadsThem() {
        String tenant = newTenant();
        String admin = token(tenant, "ana", "admin");

        Response change = put(SETTINGS, admin, """
                {"autopilot_enabled": true, "confidence_threshold": 0.8,
                 "allowed_tools": ["create_ticket", "issue_credit"],
                 "escalation_rules": [{"match": {"intents": ["billing"], "keywords": ["Refund"]}, "action": "handoff"}],
                 "required_fields": {"billing": ["policy_number"]}, "log_content": "none"}
                """);

        assertThat(change.status()).as(change.toString()).isEqualTo(200);
        assertThat(change.json().path("revision").asLong()).isEqualTo(1);
        assertThat(change.json().path("changes").findValuesAsText("field")).containsExactlyInAnyOrder(
                "autopilot_enabled", "confidence_threshold", "allowed_tools", "escalation_rules", "required_fields",
                "log_content");
        for (String role : List.of("admin", "agent", "auditor", "service")) {
            JsonNode read = awaitRevision(token(tenant, "someone", role), 1);
            JsonNode settings = read.path("settings");
            assertThat(settings.path("autopilot_enabled").asBoolean()).isTrue();
            assertThat(settings.path("confidence_threshold").asDouble()).isEqualTo(0.8);
            assertThat(settings.path("allowed_tools").toString()).isEqualTo("[\"create_ticket\",\"issue_credit\"]");
            assertThat(settings.path("escalation_rules").get(0).path("match").path("keywords").get(0).asText())
                    .isEqualTo("refund");
            assertThat(settings.path("required_fields").path("billing").get(0).asText()).isEqualTo("policy_number");
            assertThat(settings.path("log_content").asText()).isEqualTo("none");
            assertThat(read.path("updated_by").asText()).isEqualTo("ana");
        }

        Response again = put(SETTINGS, admin, "{\"confidence_threshold\": 0.8}");
        assertThat(again.json().path("revision").asLong()).as("a change that changes nothing").isEqualTo(1);
        assertThat(again.json().path("changes").size()).isZero();
        assertThat(storedEvents(tenant)).isEqualTo(1);
    }

    @Test
    void tenantBNeverReadsTenantAsSettings() {
        String a = newTenant();
        String b = newTenant();
        assertThat(put(SETTINGS, token(a, "ana", "admin"), "{\"confidence_threshold\": 0.6}").status()).isEqualTo(200);
        awaitRevision(token(a, "ana", "admin"), 1);

        Response fromB = get(SETTINGS, token(b, "bob", "admin"));

        assertThat(fromB.json().path("revision").asLong()).isZero();
        assertThat(fromB.json().path("settings").path("confidence_threshold").asDouble()).isEqualTo(0.75);
        assertThat(put(SETTINGS, token(b, "bob", "admin"), "{\"copilot_enabled\": false}").status()).isEqualTo(200);
        assertThat(awaitRevision(token(a, "ana", "admin"), 1).path("settings").path("copilot_enabled").asBoolean())
                .as("B's change leaves A alone").isTrue();
    }

    @Test
    void aRequestThatNamesATenantIsRefusedAndChangesNothing() {
        String tenant = newTenant();
        String admin = token(tenant, "ana", "admin");
        assertThat(put(SETTINGS, admin, "{\"confidence_threshold\": 0.6}").status()).isEqualTo(200);

        for (String body : List.of(
                "{\"confidence_threshold\": 0.1, \"tenant_id\": \"" + tenant + "\"}",
                "{\"confidence_threshold\": 0.1, \"tenantId\": \"other\"}",
                "{\"required_fields\": {\"billing\": [\"policy_number\"]}, \"meta\": {\"tenant_id\": \"other\"}}")) {
            Response refused = put(SETTINGS, admin, body);
            assertProblem(refused, 400);
            assertThat(refused.json().path("detail").asText()).contains("tenant");
        }
        assertProblem(get(SETTINGS + "?tenant_id=other", admin), 400);
        assertProblem(call("PUT", SETTINGS + "?tenantId=other", admin, "{\"confidence_threshold\": 0.1}", Map.of()), 400);

        assertThat(storedEvents(tenant)).isEqualTo(1);
        assertThat(awaitRevision(admin, 1).path("settings").path("confidence_threshold").asDouble()).isEqualTo(0.6);
    }

    @Test
    void anInvalidThresholdIsA400NamingTheFieldAndChangesNothing() {
        String tenant = newTenant();
        String admin = token(tenant, "ana", "admin");

        for (String value : List.of("1.5", "-1", "\"abc\"", "null", "true")) {
            Response refused = put(SETTINGS, admin, "{\"confidence_threshold\": " + value + "}");
            if (value.equals("null")) {
                // null means "keep the current value": the first change creates the defaults
                assertThat(refused.status()).isEqualTo(200);
                continue;
            }
            assertProblem(refused, 400);
            assertThat(refused.json().path("field").asText()).as(value).isEqualTo("confidence_threshold");
        }
        assertThat(storedEvents(tenant)).isEqualTo(1);
        assertThat(awaitRevision(admin, 1).path("settings").path("confidence_threshold").asDouble()).isEqualTo(0.75);
    }

    @Test
    void aTenantSetsItsOwnApprovalDeadlineWithinAMinuteAndThirtyDays() {
        String tenant = newTenant();
        String admin = token(tenant, "ana", "admin");
        assertThat(get(SETTINGS, admin).json().path("settings").path("approval_timeout_minutes").isNull())
                .as("the platform's default (24 h) until the tenant sets one").isTrue();

        for (String value : List.of("0", "43201", "\"1h\"")) {
            Response refused = put(SETTINGS, admin, "{\"approval_timeout_minutes\": " + value + "}");
            assertProblem(refused, 400);
            assertThat(refused.json().path("field").asText()).as(value).isEqualTo("approval_timeout_minutes");
        }
        Response changed = put(SETTINGS, admin, "{\"approval_timeout_minutes\": 90}");

        assertThat(changed.status()).isEqualTo(200);
        assertThat(changed.json().path("changes").get(0).path("field").asText()).isEqualTo("approval_timeout_minutes");
        assertThat(awaitRevision(admin, 1).path("settings").path("approval_timeout_minutes").asInt()).isEqualTo(90);
    }

    @Test
    void malformedUnknownAndOversizedBodiesAreRefusedPrecisely() {
        String tenant = newTenant();
        String admin = token(tenant, "ana", "admin");

        assertProblem(put(SETTINGS, admin, "{\"confidence_threshold\": 0.5"), 400);
        Response unknown = put(SETTINGS, admin, "{\"copilot_enabld\": true}");
        assertProblem(unknown, 400);
        assertThat(unknown.json().path("field").asText()).isEqualTo("copilot_enabld");
        Response badTool = put(SETTINGS, admin, "{\"allowed_tools\": [\"create_ticket\", \"rm_rf\"]}");
        assertProblem(badTool, 400);
        assertThat(badTool.json().path("field").asText()).isEqualTo("allowed_tools[1]");
        Response wrongType = put(SETTINGS, admin, "{\"allowed_tools\": \"create_ticket\"}");
        assertProblem(wrongType, 400);
        assertThat(wrongType.json().path("field").asText()).isEqualTo("allowed_tools");
        assertProblem(put(SETTINGS, admin, ""), 400);
        String huge = "{\"escalation_rules\": [" + "{\"match\": {\"keywords\": [\"x\"]}},".repeat(60_000) + "]}";
        assertProblem(put(SETTINGS, admin, huge), 413);
        assertProblem(call("PUT", SETTINGS, admin, null, Map.of("Content-Type", "text/plain")), 415);

        assertThat(storedEvents(tenant)).isZero();
    }

    @Test
    void onlyAnAdminChangesSettings() {
        String tenant = newTenant();
        for (String role : List.of("agent", "auditor", "service")) {
            Response denied = put(SETTINGS, token(tenant, "eve", role), "{\"autopilot_enabled\": true}");
            assertProblem(denied, 403);
        }
        assertProblem(put(SETTINGS, token(tenant, "eve"), "{\"autopilot_enabled\": true}"), 403);
        assertProblem(get(SETTINGS, token(tenant, "eve", "superuser")), 403);
        assertThat(storedEvents(tenant)).isZero();
    }

    @Test
    void concurrentChangesToOneTenantAreSerializedNotLost() {
        String tenant = newTenant();
        String admin = token(tenant, "ana", "admin");
        List<CompletableFuture<Response>> changes = IntStream.range(0, 8)
                .mapToObj(i -> CompletableFuture.supplyAsync(() ->
                        put(SETTINGS, admin, "{\"confidence_threshold\": 0." + (i + 1) + "}")))
                .toList();

        List<Response> answers = changes.stream().map(CompletableFuture::join).toList();

        assertThat(answers).extracting(Response::status).containsOnly(200);
        assertThat(answers).extracting(r -> r.json().path("revision").asLong())
                .containsExactlyInAnyOrder(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
        assertThat(storedEvents(tenant)).isEqualTo(8);
    }

    @Test
    void unknownPathsAndMethodsAreProblemsToo() {
        String admin = token(newTenant(), "ana", "admin");
        assertProblem(get("/api/ai/nothing-here", admin), 404);
        assertProblem(call("DELETE", SETTINGS, admin, null, Map.of()), 405);
        assertProblem(call("POST", SETTINGS, admin, "{}", Map.of()), 405);
    }

    @Test
    void aMissingOrBadTokenIs401() {
        String tenant = newTenant();
        Response none = get(SETTINGS, null);
        assertProblem(none, 401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");

        String forged = sign(new JWTClaimsSet.Builder().subject("eve").claim("tid", tenant)
                .claim("roles", List.of("admin")).expirationTime(Date.from(Instant.now().plusSeconds(60))).build(),
                "a-different-secret-that-is-long-enough-0123456789");
        String expired = sign(new JWTClaimsSet.Builder().subject("ana").claim("tid", tenant)
                .claim("roles", List.of("admin")).expirationTime(Date.from(Instant.now().minusSeconds(3600))).build(), secret);
        String noTenant = sign(new JWTClaimsSet.Builder().subject("ana").claim("roles", List.of("admin"))
                .expirationTime(Date.from(Instant.now().plusSeconds(60))).build(), secret);
        String badTenant = token("../etc", "ana", "admin");
        String noUser = sign(new JWTClaimsSet.Builder().claim("tid", tenant).claim("roles", List.of("admin"))
                .expirationTime(Date.from(Instant.now().plusSeconds(60))).build(), secret);
        for (String bad : List.of(forged, expired, noTenant, badTenant, noUser, "not.a.jwt")) {
            Response refused = put(SETTINGS, bad, "{\"autopilot_enabled\": true}");
            assertProblem(refused, 401);
            assertThat(refused.headers().firstValue("WWW-Authenticate").orElse("")).contains("invalid_token");
        }
        assertThat(storedEvents(tenant)).isZero();
    }
}
