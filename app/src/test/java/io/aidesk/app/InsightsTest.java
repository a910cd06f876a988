package io.aidesk.app;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A support lead's figures: runs seeded through the API (copilot drafts sent, edited and discarded, autopilot runs
 * answered, reopened, handed over and waiting for an approval that is rejected) read back from /api/ai/insights as the
 * runs' own audit tells them, and the same again after the read models are rebuilt from the event store.
 */
class InsightsTest extends ApiTest {
    private static final byte[] FAQ = ("Our plumbers answer emergency calls around the clock on weekends. The call-out "
            + "fee for a weekend emergency is $120.\nYou can cancel your subscription at any time.\n")
            .getBytes(StandardCharsets.UTF_8);

    private String tenant;
    private String admin;
    private String agent;
    private String service;
    private String contact;

    private String conversation() {
        return call("POST", "/api/ai/conversations", service, "{\"channel\": \"web\", \"contact_id\": \"" + contact
                + "\"}", Map.of()).json().path("id").asText();
    }

    private String post(String conversation, String text) {
        return call("POST", "/api/ai/conversations/" + conversation + "/messages", service,
                "{\"sender\": \"customer\", \"text\": \"" + text + "\"}", Map.of()).json().path("id").asText();
    }

    private String draft(String text) {
        String conversation = conversation();
        post(conversation, text);
        Response drafted = call("POST", "/api/ai/assist/draft-reply", agent, "{\"conversation_id\": \"" + conversation
                + "\", \"message\": \"" + text + "\"}", Map.of());
        assertThat(drafted.status()).as(drafted.toString()).isEqualTo(200);
        return drafted.json().path("run_id").asText();
    }

    private void seed() {
        tenant = newTenant();
        admin = token(tenant, "ana", "admin");
        agent = token(tenant, "bo", "agent");
        service = token(tenant, "crm", "service");
        Response uploaded = upload("/api/ai/kb/sources", admin, Map.of("type", "file"), "faq.txt", FAQ);
        String source = uploaded.json().path("id").asText();
        await().atMost(Duration.ofSeconds(60)).until(() -> "ok".equals(get("/api/ai/kb/sources/" + source, admin)
                .json().path("status").asText()));
        assertThat(put("/api/ai/settings", admin, "{\"confidence_threshold\": 0, \"escalation_rules\": [], "
                + "\"allowed_tools\": [\"create_ticket\", \"cancel_subscription\"]}").status()).isEqualTo(200);
        contact = call("POST", "/api/crm/contacts", service, "{\"name\": \"Ann Lee\"}", Map.of()).json().path("id")
                .asText();

        String sent = draft("How much is the weekend emergency call-out fee?");
        String reply = get("/api/ai/runs/" + sent, admin).json().path("reply").asText().replace("\"", "\\\"");
        assertThat(call("POST", "/api/ai/assist/drafts/" + sent + "/send", agent, "{\"text\": \"" + reply + "\"}",
                Map.of()).status()).isEqualTo(200);
        assertThat(call("POST", "/api/ai/assist/drafts/" + sent + "/rating", agent, "{\"helpful\": true}", Map.of())
                .status()).isEqualTo(200);
        String edited = draft("Do you come out at night on weekends?");
        assertThat(call("POST", "/api/ai/assist/drafts/" + edited + "/send", agent,
                "{\"text\": \"Yes, around the clock.\"}", Map.of()).status()).isEqualTo(200);
        String discarded = draft("Thanks!");
        assertThat(call("POST", "/api/ai/assist/drafts/" + discarded + "/discard", agent, null, Map.of()).status())
                .isEqualTo(200);
        assertThat(call("POST", "/api/ai/assist/drafts/" + discarded + "/rating", agent, "{\"helpful\": false}",
                Map.of()).status()).isEqualTo(200);

        assertThat(put("/api/ai/settings", admin, "{\"autopilot_enabled\": true}").status()).isEqualTo(200);
        String answered = conversation();
        settledRun(service, answered, post(answered, "How much is the weekend emergency call-out fee?"));
        String reopened = conversation();
        settledRun(service, reopened, post(reopened, "Do your plumbers answer emergency calls on weekends?"));
        settledRun(service, reopened, post(reopened, "Sorry, I meant on a Sunday night, is that the same?"));
        String person = conversation();
        settledRun(service, person, post(person, "I want to talk to a human being, not a bot."));
        String cancel = conversation();
        JsonNode waiting = settledRun(service, cancel, post(cancel, "Please cancel my subscription today."));
        assertThat(waiting.path("status").asText()).isEqualTo("awaiting_approval");
        String callId = waiting.path("actions").get(0).path("call_id").asText();
        assertThat(call("POST", "/api/ai/approvals/" + callId + "/reject", admin, "{\"reason\": \"call them first\"}",
                Map.of()).status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(15)).until(() -> !"awaiting_approval".equals(get("/api/ai/agent/runs/"
                + waiting.path("run_id").asText(), admin).json().path("status").asText()));
    }

    private JsonNode insights(String query) {
        Response answer = get("/api/ai/insights" + query, token(tenant, "carla", "auditor"));
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        return answer.json();
    }

    @Test
    void theFiguresAreWhatTheRunsSayAndARebuildGivesTheSame() {
        seed();
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        JsonNode runs = get("/api/ai/runs?limit=200", admin).json().path("items");
        assertThat(runs).hasSize(8);
        Map<String, Integer> byMode = new HashMap<>();
        Map<String, Integer> byStatus = new HashMap<>();
        Map<String, Integer> intents = new HashMap<>();
        Map<String, Integer> reasons = new HashMap<>();
        int completedAutopilot = 0;
        for (JsonNode run : runs) {
            byMode.merge(run.path("mode").asText(), 1, Integer::sum);
            byStatus.merge(run.path("status").asText(), 1, Integer::sum);
            if (!run.path("intent").isNull() && !run.path("intent").isMissingNode()) {
                intents.merge(run.path("intent").asText(), 1, Integer::sum);
            }
            if (!run.path("handoff_reason").isNull() && !run.path("handoff_reason").isMissingNode()) {
                reasons.merge(run.path("handoff_reason").asText(), 1, Integer::sum);
            }
            if (run.path("mode").asText().equals("autopilot") && run.path("status").asText().equals("completed")) {
                completedAutopilot++;
            }
        }
        assertThat(byMode).containsEntry("copilot", 3).containsEntry("autopilot", 5);
        assertThat(reasons).containsEntry("customer_request", 1);

        JsonNode daily = insights("?from=" + today + "&to=" + today + "&granularity=day");
        assertThat(daily.path("periods")).hasSize(1);
        assertThat(daily.path("periods").get(0).path("start").asText()).isEqualTo(today + "T00:00:00Z");
        JsonNode day = daily.path("periods").get(0).path("figures");
        assertThat(daily.path("totals")).isEqualTo(day);
        assertThat(day.path("runs").path("total").asInt()).isEqualTo(8);
        assertThat(JSON.convertValue(day.path("runs").path("by_mode"), Map.class)).isEqualTo(byMode);
        assertThat(JSON.convertValue(day.path("runs").path("by_outcome"), Map.class)).isEqualTo(byStatus);
        assertThat(JSON.convertValue(day.path("intents"), Map.class)).isEqualTo(intents);
        JsonNode autopilot = day.path("autopilot");
        assertThat(autopilot.path("runs").asInt()).isEqualTo(5);
        assertThat(JSON.convertValue(autopilot.path("handover_reasons"), Map.class)).isEqualTo(reasons);
        assertThat(autopilot.path("handovers").asInt()).isEqualTo(reasons.values().stream().mapToInt(n -> n).sum());
        // the first answer in the reopened conversation resolved nothing: the customer wrote again within a day
        assertThat(autopilot.path("resolved").asInt()).isEqualTo(completedAutopilot - 1);
        assertThat(autopilot.path("resolution_rate").asDouble()).isEqualTo((completedAutopilot - 1) / 5.0);
        JsonNode approvals = day.path("approvals");
        assertThat(approvals.path("requested").asInt()).isEqualTo(1);
        assertThat(approvals.path("rejected").asInt()).isEqualTo(1);
        assertThat(approvals.path("pending").asInt()).isZero();
        assertThat(approvals.path("decision_p50_ms").asLong()).isPositive();
        JsonNode drafts = day.path("drafts");
        assertThat(drafts.path("drafted").asInt()).isEqualTo(3);
        assertThat(drafts.path("sent_as_drafted").asInt()).isEqualTo(1);
        assertThat(drafts.path("edited").asInt()).isEqualTo(1);
        assertThat(drafts.path("discarded").asInt()).isEqualTo(1);
        assertThat(drafts.path("rated_helpful").asInt()).isEqualTo(1);
        assertThat(drafts.path("rated_unhelpful").asInt()).isEqualTo(1);
        assertThat(day.path("tickets_opened").asInt()).isZero();
        JsonNode usage = day.path("usage");
        assertThat(usage).hasSize(1);
        assertThat(usage.get(0).path("decisions").asInt()).isEqualTo(8);
        assertThat(usage.get(0).path("tokens_in").asLong()).isPositive();
        assertThat(day.path("latency").path("p95_ms").asLong())
                .isGreaterThanOrEqualTo(day.path("latency").path("p50_ms").asLong()).isPositive();

        // a month's view holds the same day; another tenant sees none of it
        assertThat(insights("?granularity=month").path("totals")).isEqualTo(day);
        Response foreign = get("/api/ai/insights", token(newTenant(), "eve", "admin"));
        assertThat(foreign.json().path("totals").path("runs").path("total").asInt()).isZero();
        assertThat(foreign.json().path("periods")).isEmpty();

        Response rebuilt = call("POST", "/api/ai/admin/replay", admin, null, Map.of());
        assertThat(rebuilt.status()).as(rebuilt.toString()).isEqualTo(200);
        assertThat(insights("?from=" + today + "&to=" + today + "&granularity=day")).isEqualTo(daily);
    }

    @Test
    void onlyAdminsAndAuditorsReadInsightsAndABadQueryIsAProblem() {
        tenant = newTenant();
        assertThat(get("/api/ai/insights", token(tenant, "bo", "agent")).status()).isEqualTo(403);
        assertThat(get("/api/ai/insights", token(tenant, "crm", "service")).status()).isEqualTo(403);
        assertThat(get("/api/ai/insights", null).status()).isEqualTo(401);
        Response granularity = get("/api/ai/insights?granularity=hour", token(tenant, "ana", "admin"));
        assertThat(granularity.status()).isEqualTo(400);
        assertThat(granularity.contentType()).startsWith("application/problem+json");
        assertThat(granularity.json().path("field").asText()).isEqualTo("granularity");
        Response backwards = get("/api/ai/insights?from=2026-12-02&to=2026-12-01", token(tenant, "ana", "admin"));
        assertThat(backwards.json().path("field").asText()).isEqualTo("to");
        Response tooMany = get("/api/ai/insights?from=2020-01-01&to=2026-01-01", token(tenant, "ana", "admin"));
        assertThat(tooMany.status()).isEqualTo(400);
        assertThat(tooMany.json().path("detail").asText()).contains("at most 400");
        assertThat(get("/api/ai/insights?tenant=other", token(tenant, "ana", "admin")).json().path("field").asText())
                .isEqualTo("tenant");
    }
}
