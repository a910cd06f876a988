package io.aidesk.gateway.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.core.JsonValue;
import com.openai.errors.InternalServerException;
import com.openai.errors.OpenAIException;
import com.openai.errors.OpenAIIoException;
import com.openai.errors.OpenAIServiceException;
import com.openai.errors.RateLimitException;
import com.openai.models.ResponseFormatJsonSchema;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessage;
import io.aidesk.api.decision.ConfidenceBasis;
import io.aidesk.api.decision.ConfidenceBasis.NeedScore;
import io.aidesk.api.decision.CustomerNeed;
import io.aidesk.api.decision.Decision;
import io.aidesk.api.decision.Decision.ProposedAction;
import io.aidesk.api.decision.DecisionUsage;
import io.aidesk.gateway.decision.Confidences;
import io.aidesk.gateway.decision.DecisionFailedException;
import io.aidesk.gateway.decision.DecisionModel;
import io.aidesk.gateway.decision.DecisionRequest;
import io.aidesk.gateway.decision.DecisionRequest.Evidence;
import io.aidesk.gateway.decision.DecisionRequest.ToolSpec;
import io.aidesk.gateway.decision.DecisionRequest.Turn;
import io.aidesk.gateway.decision.DecisionResult;

import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * OpenAI chat completions with a strict JSON schema for the decision (Structured Outputs): the tenant's allowed
 * tools are the only actions the schema admits, and the retrieved chunk ids the only citations. Personal data in the
 * conversation leaves as placeholders and is restored in what comes back. Every failure is a DecisionFailedException.
 */
public class OpenAiDecisionModel implements DecisionModel {
    /** US dollars per million input and output tokens, for the cost estimate; unknown models count 0. */
    private static final Map<String, double[]> PRICES = Map.of(
            "gpt-4o-mini", new double[]{0.15, 0.60},
            "gpt-4.1-mini", new double[]{0.40, 1.60},
            "gpt-4.1-nano", new double[]{0.10, 0.40},
            "gpt-4o", new double[]{2.50, 10.00},
            "gpt-4.1", new double[]{2.00, 8.00});
    static final String INSTRUCTIONS = """
            You are the customer-service assistant of a company. First decide what the customer's last message asks
            for: list its needs, most likely first, each with your probability (0 to 1): question, problem_report,
            ticket_request, cancellation, plan_change, credit_refund, human, legal, gives_data (the data you asked
            for: go on with the earlier request), small_talk, off_topic, abuse. Then act as a support lead would:
            a question is answered using only the knowledge passages given, citing the chunk_id of every passage the
            reply relies on (if the passages do not answer it, say so, cite nothing and set needs_human); a
            problem_report or ticket_request opens a ticket (create_ticket: a subject, a priority that is high when
            the customer states urgency or a wide impact, a summary of the conversation); a cancellation, a plan
            change (change_plan with the plan the customer names) or a refund or credit (issue_credit with the
            amount) proposes that tool, which an admin approves; human, legal or abuse hands over
            (handoff_to_human with the reason, needs_human); small_talk and off_topic get a short reply. Several
            needs in one message are all handled. List in missing_fields only the data an action needs and the
            customer has not given (the tenant's required fields for the intent, the plan, the amount), and ask for
            them; an information question needs none. action_confidence is your probability that what you decided
            to do (or not to do) is right; answer_confidence your probability that the reply's information is
            correct and complete (0 when it gives none). The backend applies the tenant's threshold to
            action_confidence when the decision acts, hands over or replies to small talk, and to answer_confidence
            when it answers. Reply in the customer's language. Propose actions only with the tools offered.
            Placeholders such as [EMAIL_1] stand for the customer's data: keep them as they are.""";

    private final OpenAIClient client;
    private final String model;
    private final ObjectMapper json = new ObjectMapper();

    public OpenAiDecisionModel(OpenAIClient client, String model) {
        this.client = client;
        this.model = model;
    }

    @Override
    public String name() {
        return "openai:" + model;
    }

    @Override
    public DecisionResult decide(DecisionRequest request) {
        PiiRedactor pii = new PiiRedactor();
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder()
                .model(model)
                .temperature(0)
                .addSystemMessage(INSTRUCTIONS + "\n\n" + policy(request))
                .addUserMessage(prompt(request, pii))
                .responseFormat(ResponseFormatJsonSchema.builder().jsonSchema(ResponseFormatJsonSchema.JsonSchema.builder()
                        .name("decision").strict(true).schema(schema(request)).build()).build())
                .build();
        long started = System.nanoTime();
        ChatCompletion completion;
        try {
            completion = client.chat().completions().create(params);
        } catch (RateLimitException e) {
            throw new DecisionFailedException("rate_limited", name() + " is rate limited (429): " + e.getMessage(), e);
        } catch (InternalServerException e) {
            throw new DecisionFailedException("server_error", name() + " failed with " + e.statusCode(), e);
        } catch (OpenAIServiceException e) {
            throw new DecisionFailedException("unavailable", name() + " refused the request (" + e.statusCode() + ")", e);
        } catch (OpenAIIoException e) {
            boolean timedOut = causedBy(e, InterruptedIOException.class);
            throw new DecisionFailedException(timedOut ? "timeout" : "unavailable",
                    name() + (timedOut ? " did not answer in time" : " could not be reached: " + e.getMessage()), e);
        } catch (OpenAIException e) {
            throw new DecisionFailedException("unavailable", name() + " failed: " + e.getMessage(), e);
        }
        long latency = (System.nanoTime() - started) / 1_000_000;
        ChatCompletionMessage message = completion.choices().isEmpty() ? null : completion.choices().get(0).message();
        String content = message == null ? null : message.content().orElse(null);
        if (content == null) {
            String refusal = message == null ? "no choice" : message.refusal().orElse("no content");
            throw new DecisionFailedException("invalid_output", name() + " gave no decision: " + refusal, null);
        }
        Parsed parsed = parse(content);
        Decision decision = restore(parsed.decision(), pii);
        int tokensIn = completion.usage().map(u -> (int) u.promptTokens()).orElse(0);
        int tokensOut = completion.usage().map(u -> (int) u.completionTokens()).orElse(0);
        return new DecisionResult(decision, new DecisionUsage(name(), tokensIn, tokensOut, latency,
                cost(tokensIn, tokensOut)), content, parsed.basis());
    }

    private static String policy(DecisionRequest request) {
        StringBuilder text = new StringBuilder("The tenant's confidence threshold is ")
                .append(request.policy().confidenceThreshold()).append(".\n");
        request.policy().requiredFields().forEach((intent, fields) ->
                text.append("Required fields for ").append(intent).append(": ").append(String.join(", ", fields)).append(".\n"));
        if (request.policy().allowedTools().isEmpty()) {
            text.append("No tools are available: propose no actions.\n");
        } else {
            text.append("Tools you may propose:\n");
            request.policy().allowedTools().forEach(tool ->
                    text.append("- ").append(tool.name()).append(": ").append(tool.description()).append('\n'));
        }
        return text.toString();
    }

    private static String prompt(DecisionRequest request, PiiRedactor pii) {
        StringBuilder text = new StringBuilder("Conversation:\n");
        for (Turn turn : request.conversation()) {
            text.append(turn.role()).append(": ").append(pii.redact(turn.text())).append('\n');
        }
        if (!request.contact().isEmpty()) {
            text.append("\nContact:\n");
            request.contact().forEach((field, value) -> text.append(field).append(": ").append(pii.redact(value)).append('\n'));
        }
        text.append("\nKnowledge passages:\n");
        for (Evidence passage : request.evidence()) {
            text.append("[chunk_id: ").append(passage.chunkId()).append("] ").append(passage.title() == null ? "" : passage.title())
                    .append(passage.url() == null ? "" : " (" + passage.url() + ")").append('\n')
                    .append(passage.content()).append("\n\n");
        }
        return text.toString();
    }

    /** The decision's schema for this request: its tools and its retrieved chunks are the only choices. */
    static ResponseFormatJsonSchema.JsonSchema.Schema schema(DecisionRequest request) {
        List<Object> actionShapes = new ArrayList<>();
        for (ToolSpec tool : request.policy().allowedTools()) {
            actionShapes.add(object(Map.of("tool", Map.of("type", "string", "enum", List.of(tool.name())),
                    "args", tool.parameters().isEmpty() ? object(Map.of()) : tool.parameters())));
        }
        Map<String, Object> citation = request.evidence().isEmpty() ? Map.of("type", "string")
                : Map.of("type", "string", "enum", request.evidence().stream().map(Evidence::chunkId).distinct().toList());
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("needs", Map.of("type", "array", "items", object(Map.of(
                "need", Map.of("type", "string", "enum", Arrays.stream(CustomerNeed.values()).map(CustomerNeed::wire).toList()),
                "probability", Map.of("type", "number")))));
        properties.put("intent", Map.of("type", "string", "enum", Decision.INTENTS));
        properties.put("action_confidence", Map.of("type", "number"));
        properties.put("answer_confidence", Map.of("type", "number"));
        properties.put("needs_human", Map.of("type", "boolean"));
        properties.put("missing_fields", Map.of("type", "array", "items", Map.of("type", "string")));
        properties.put("reply", Map.of("type", "string"));
        properties.put("actions", Map.of("type", "array", "items",
                actionShapes.isEmpty() ? object(Map.of()) : Map.of("anyOf", actionShapes)));
        properties.put("citations", Map.of("type", "array", "items", citation));
        ResponseFormatJsonSchema.JsonSchema.Schema.Builder schema = ResponseFormatJsonSchema.JsonSchema.Schema.builder();
        object(properties).forEach((key, value) -> schema.putAdditionalProperty(key, JsonValue.from(value)));
        return schema.build();
    }

    private static Map<String, Object> object(Map<String, Object> properties) {
        Map<String, Object> object = new LinkedHashMap<>();
        object.put("type", "object");
        object.put("properties", properties);
        object.put("required", List.copyOf(properties.keySet()));
        object.put("additionalProperties", false);
        return object;
    }

    /** The decision and why it is as confident as it is. */
    private record Parsed(Decision decision, ConfidenceBasis basis) {
    }

    private Parsed parse(String content) {
        JsonNode root;
        try {
            root = json.readTree(content);
        } catch (JsonProcessingException e) {
            throw invalid("it is not JSON (" + e.getOriginalMessage() + ")");
        }
        if (root == null || !root.isObject()) {
            throw invalid("it is not a JSON object");
        }
        String intent = root.path("intent").asText(null);
        if (intent == null || !Decision.INTENTS.contains(intent)) {
            throw invalid("intent is not one of " + Decision.INTENTS);
        }
        double actionConfidence = probability(root.path("action_confidence"), "action_confidence");
        double answerConfidence = probability(root.path("answer_confidence"), "answer_confidence");
        List<NeedScore> needs = new ArrayList<>();
        for (JsonNode need : root.path("needs")) {
            try {
                needs.add(new NeedScore(CustomerNeed.of(need.path("need").asText()),
                        probability(need.path("probability"), "a need's probability")));
            } catch (IllegalArgumentException unknown) {
                throw invalid(unknown.getMessage());
            }
        }
        if (needs.isEmpty()) {
            throw invalid("needs is missing or empty");
        }
        if (!root.path("needs_human").isBoolean() || !root.path("reply").isTextual()
                || !root.path("missing_fields").isArray() || !root.path("actions").isArray()
                || !root.path("citations").isArray()) {
            throw invalid("needs_human, reply, missing_fields, actions or citations is missing or of the wrong type");
        }
        List<ProposedAction> actions = new ArrayList<>();
        for (JsonNode action : root.path("actions")) {
            if (!action.path("tool").isTextual() || !action.path("args").isObject()) {
                throw invalid("an action lacks its tool or its args");
            }
            actions.add(new ProposedAction(action.path("tool").asText(),
                    json.convertValue(action.path("args"), new TypeReference<Map<String, Object>>() { })));
        }
        List<String> missing = strings(root.path("missing_fields"));
        boolean onAction = Confidences.standsOnAction(needs.get(0).need(), !actions.isEmpty(), !missing.isEmpty());
        Decision decision = new Decision(intent, onAction ? actionConfidence : answerConfidence, root.path("needs_human").asBoolean(),
                missing, root.path("reply").asText(), actions, strings(root.path("citations")));
        return new Parsed(decision, new ConfidenceBasis(ConfidenceBasis.MODEL, null, null, null, actionConfidence,
                answerConfidence, needs, null));
    }

    private double probability(JsonNode value, String name) {
        if (!value.isNumber() || value.asDouble() < 0 || value.asDouble() > 1) {
            throw invalid(name + " is not a number between 0 and 1");
        }
        return value.asDouble();
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asText()));
        return values;
    }

    private DecisionFailedException invalid(String why) {
        return new DecisionFailedException("invalid_output", name() + " answered something that is not a decision: " + why,
                null);
    }

    private static Decision restore(Decision decision, PiiRedactor pii) {
        List<ProposedAction> actions = decision.actions().stream().map(action -> {
            Map<String, Object> args = new LinkedHashMap<>();
            action.args().forEach((key, value) -> args.put(key, value instanceof String s ? pii.restore(s) : value));
            return new ProposedAction(action.tool(), args);
        }).toList();
        return new Decision(decision.intent(), decision.confidence(), decision.needsHuman(), decision.missingFields(),
                pii.restore(decision.reply()), actions, decision.citations());
    }

    private double cost(int tokensIn, int tokensOut) {
        double[] price = PRICES.get(model);
        return price == null ? 0 : (tokensIn * price[0] + tokensOut * price[1]) / 1_000_000;
    }

    private static boolean causedBy(Throwable error, Class<? extends Throwable> type) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }
}
