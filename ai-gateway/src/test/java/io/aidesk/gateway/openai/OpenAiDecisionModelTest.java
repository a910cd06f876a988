package io.aidesk.gateway.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import io.aidesk.api.decision.ConfidenceBasis;
import io.aidesk.api.decision.CustomerNeed;
import io.aidesk.api.decision.Decision;
import io.aidesk.api.tools.ToolNames;
import io.aidesk.api.tools.ToolSchemas;
import io.aidesk.gateway.decision.DecisionFailedException;
import io.aidesk.gateway.decision.DecisionRequest;
import io.aidesk.gateway.decision.DecisionRequest.Evidence;
import io.aidesk.gateway.decision.DecisionRequest.Policy;
import io.aidesk.gateway.decision.DecisionRequest.ToolSpec;
import io.aidesk.gateway.decision.DecisionRequest.Turn;
import io.aidesk.gateway.decision.DecisionResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The OpenAI decision adapter against a server speaking the OpenAI protocol on loopback, with scripted answers. */
class OpenAiDecisionModelTest {
    private static final String CUSTOMER = "My heater leaks! Write to ana.lopez@example.com or call +1 608 555 0142. "
            + "Card 4111 1111 1111 1111 was charged.";
    private final LoopbackOpenAi server = new LoopbackOpenAi();
    private final OpenAiDecisionModel model = new OpenAiDecisionModel(OpenAIOkHttpClient.builder()
            // long enough for an answer on a busy machine, short beside the slow script's delay
            .apiKey(LoopbackOpenAi.API_KEY).baseUrl(server.baseUrl()).timeout(Duration.ofSeconds(3)).maxRetries(0).build(),
            "gpt-4o-mini");

    @AfterEach
    void stop() {
        server.close();
    }

    private static DecisionRequest request() {
        ToolSchemas.Tool ticket = ToolSchemas.of(ToolNames.CREATE_TICKET);
        ToolSchemas.Tool handoff = ToolSchemas.of(ToolNames.HANDOFF_TO_HUMAN);
        return new DecisionRequest(List.of(new Turn("user", CUSTOMER)), Map.of("contact_id", "c-7"),
                List.of(new Evidence("chunk-a", "doc-a", "Water heaters", "https://help.test/heaters",
                        "A leaking water heater should be turned off at the valve.", 0.8)),
                new Policy(0.75, Map.of("billing", List.of("policy_number")), List.of(
                        new ToolSpec(ticket.name(), ticket.description(), ticket.parameters()),
                        new ToolSpec(handoff.name(), handoff.description(), handoff.parameters()))));
    }

    private static final String GOOD = """
            {"needs": [{"need": "problem_report", "probability": 0.9}, {"need": "question", "probability": 0.4}],
             "intent": "support", "action_confidence": 0.86, "answer_confidence": 0.7, "needs_human": false,
             "missing_fields": [],
             "reply": "Turn off the valve; we will confirm at [EMAIL_1] and call [PHONE_1].",
             "actions": [{"tool": "create_ticket", "args": {"contact_id": "c-7", "subject": "Leak", "priority": "high",
                          "summary": "Leak reported, reach at [EMAIL_1]", "tags": ["leak"]}}],
             "citations": ["chunk-a"]}""";

    @Test
    void theRequestCarriesTheStrictSchemaWithTheTenantsToolsAndNoPersonalData() {
        server.script(request -> LoopbackOpenAi.Scripted.answer(GOOD));

        DecisionResult result = model.decide(request());

        JsonNode sent = server.chatRequests().get(0);
        assertThat(sent.path("model").asText()).isEqualTo("gpt-4o-mini");
        JsonNode format = sent.path("response_format");
        assertThat(format.path("type").asText()).isEqualTo("json_schema");
        assertThat(format.path("json_schema").path("strict").asBoolean()).isTrue();
        JsonNode schema = format.path("json_schema").path("schema");
        assertThat(schema.path("required").toString()).contains("needs", "intent", "action_confidence",
                "answer_confidence", "needs_human", "missing_fields", "reply", "actions", "citations");
        assertThat(schema.path("properties").path("needs").path("items").path("properties").path("need").path("enum")
                .toString()).contains("problem_report", "plan_change", "small_talk");
        assertThat(sent.toString()).as("the model is told the two confidences and what each need leads to")
                .contains("action_confidence", "answer_confidence", "cancellation");
        assertThat(schema.path("additionalProperties").asBoolean()).isFalse();
        assertThat(schema.path("properties").path("actions").path("items").path("anyOf").findValues("enum").toString())
                .contains("create_ticket", "handoff_to_human").doesNotContain("cancel_subscription");
        assertThat(schema.path("properties").path("citations").path("items").path("enum").toString()).contains("chunk-a");
        assertThat(sent.toString()).contains("create_ticket: Open a ticket")
                .doesNotContain("ana.lopez@example.com", "608 555 0142", "4111 1111 1111 1111")
                .contains("[EMAIL_1]", "[PHONE_1]", "[CARD_1]");

        Decision decision = result.decision();
        assertThat(decision.reply()).isEqualTo("Turn off the valve; we will confirm at ana.lopez@example.com and call "
                + "+1 608 555 0142.");
        assertThat(decision.actions()).singleElement().satisfies(action ->
                assertThat(action.args()).containsEntry("summary", "Leak reported, reach at ana.lopez@example.com"));
        assertThat(decision.citations()).containsExactly("chunk-a");
        assertThat(decision.confidence()).as("it acts: its confidence is the action's").isEqualTo(0.86);
        assertThat(result.basis().method()).isEqualTo(ConfidenceBasis.MODEL);
        assertThat(result.basis().actionConfidence()).isEqualTo(0.86);
        assertThat(result.basis().answerConfidence()).isEqualTo(0.7);
        assertThat(result.basis().needs()).extracting(ConfidenceBasis.NeedScore::need)
                .containsExactly(CustomerNeed.PROBLEM_REPORT, CustomerNeed.QUESTION);
        assertThat(result.rawOutput()).as("the audit keeps what the model saw").contains("[EMAIL_1]");
        assertThat(result.usage().model()).isEqualTo("openai:gpt-4o-mini");
        assertThat(result.usage().tokensIn()).isPositive();
        assertThat(result.usage().costEstimateUsd()).isPositive();
    }

    @Test
    void everyFailureIsADecisionFailureOfItsKind() {
        Map<String, LoopbackOpenAi.Scripted> failures = Map.of(
                "invalid_output", LoopbackOpenAi.Scripted.answer("{\"intent\": \"support\", \"action_confidence\": "),
                "server_error", LoopbackOpenAi.Scripted.error(500, "boom"),
                "rate_limited", LoopbackOpenAi.Scripted.error(429, "slow down"),
                "timeout", LoopbackOpenAi.Scripted.slow(6000));
        failures.forEach((kind, scripted) -> {
            server.script(request -> scripted);
            assertThatThrownBy(() -> model.decide(request())).as(kind)
                    .isInstanceOfSatisfying(DecisionFailedException.class, e -> assertThat(e.kind()).isEqualTo(kind));
        });
        server.script(request -> LoopbackOpenAi.Scripted.answer(GOOD.replace("0.86", "1.7")));
        assertThatThrownBy(() -> model.decide(request())).hasMessageContaining("action_confidence")
                .isInstanceOfSatisfying(DecisionFailedException.class, e -> assertThat(e.kind()).isEqualTo("invalid_output"));
        server.script(request -> LoopbackOpenAi.Scripted.answer(GOOD.replace("\"support\"", "\"chitchat\"")));
        assertThatThrownBy(() -> model.decide(request())).hasMessageContaining("intent");
        server.script(request -> LoopbackOpenAi.Scripted.answer(GOOD.replace("\"problem_report\"", "\"gossip\"")));
        assertThatThrownBy(() -> model.decide(request())).hasMessageContaining("gossip");
    }
}
