package io.aidesk.app;

import io.aidesk.ingestion.index.KnowledgeIndex;
import io.aidesk.ingestion.parse.ParsedDocument;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** /actuator/prometheus counts what the AI did: runs by mode and outcome, decisions, tool calls, approvals, handovers. */
class MetricsTest extends ApiTest {
    @Autowired
    KnowledgeIndex index;

    private double value(String scrape, String name, String... labels) {
        double total = 0;
        Matcher line = Pattern.compile("(?m)^" + Pattern.quote(name) + "\\{([^}]*)\\} ([0-9.eE+-]+)$").matcher(scrape);
        while (line.find()) {
            String tags = line.group(1);
            boolean all = true;
            for (String label : labels) {
                all &= tags.contains(label);
            }
            if (all) {
                total += Double.parseDouble(line.group(2));
            }
        }
        return total;
    }

    private String scrape() {
        Response answer = get("/actuator/prometheus", null);
        assertThat(answer.status()).isEqualTo(200);
        return answer.body();
    }

    @Test
    void anAutopilotRunThatWaitsForApprovalAndOneThatOpensATicketAreCounted() {
        String tenant = newTenant();
        String admin = token(tenant, "ana", "admin");
        String service = token(tenant, "crm", "service");
        index.index(tenant, UUID.randomUUID().toString(), new ParsedDocument("https://acme.test/help/cancel", "Cancelling",
                List.of(new ParsedDocument.Block("You can cancel your subscription at any time; the cancellation takes "
                        + "effect at the end of the month.", List.of("Cancelling"), null))));
        String contact = call("POST", "/api/crm/contacts", service, "{\"name\": \"Ann Lee\", \"plan\": \"pro\"}",
                Map.of()).json().path("id").asText();
        assertThat(put("/api/ai/settings", admin, """
                {"autopilot_enabled": true, "confidence_threshold": 0, "escalation_rules": [],
                 "allowed_tools": ["create_ticket", "cancel_subscription"]}
                """).status()).isEqualTo(200);
        String before = scrape();

        for (String text : List.of("I want to cancel my subscription",
                "Since the storm yesterday the little box on the wall blinks red. Please open a support ticket.")) {
            String conversation = call("POST", "/api/ai/conversations", service, "{\"channel\": \"web\", "
                    + "\"contact_id\": \"" + contact + "\"}", Map.of()).json().path("id").asText();
            String message = call("POST", "/api/ai/conversations/" + conversation + "/messages", service,
                    "{\"sender\": \"customer\", \"text\": \"" + text + "\"}", Map.of()).json().path("id").asText();
            settledRun(service, conversation, message);
        }
        String after = scrape();

        assertThat(value(after, "aidesk_runs_started_total", "mode=\"autopilot\"")
                - value(before, "aidesk_runs_started_total", "mode=\"autopilot\"")).isGreaterThanOrEqualTo(2);
        assertThat(value(after, "aidesk_decisions_total", "outcome=\"recorded\"")
                - value(before, "aidesk_decisions_total", "outcome=\"recorded\"")).isGreaterThanOrEqualTo(2);
        assertThat(value(after, "aidesk_approvals_total", "tool=\"cancel_subscription\"", "decision=\"requested\"")
                - value(before, "aidesk_approvals_total", "tool=\"cancel_subscription\"", "decision=\"requested\""))
                .isGreaterThanOrEqualTo(1);
        assertThat(value(after, "aidesk_tool_calls_total", "tool=\"create_ticket\"", "status=\"executed\"")
                - value(before, "aidesk_tool_calls_total", "tool=\"create_ticket\"", "status=\"executed\""))
                .isGreaterThanOrEqualTo(1);
        assertThat(value(after, "aidesk_runs_ended_total", "mode=\"autopilot\"", "outcome=\"completed\"")
                - value(before, "aidesk_runs_ended_total", "mode=\"autopilot\"", "outcome=\"completed\""))
                .isGreaterThanOrEqualTo(1);
        assertThat(after).contains("aidesk_decision_latency_seconds_count");
        // Axon's processors report too (axon-micrometer)
        assertThat(after).containsPattern("(?m)^eventProcessor_latency\\{[^}]*processorName=\"agent-runs\"");
    }
}
