package io.aidesk.gateway.decision.offline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.aidesk.api.decision.ConfidenceBasis;
import io.aidesk.api.decision.Decision;
import io.aidesk.api.decision.Decision.ProposedAction;
import io.aidesk.api.decision.DecisionUsage;
import io.aidesk.api.tools.ToolNames;
import io.aidesk.gateway.decision.DecisionModel;
import io.aidesk.gateway.decision.DecisionRequest;
import io.aidesk.gateway.decision.DecisionResult;
import io.aidesk.gateway.embedding.EmbeddingModel;
import io.aidesk.gateway.language.Language;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The decision model that needs no network. It answers only from the retrieved passages (the sentence that answers,
 * chosen by {@link Answerer}, quoted in the customer's language), rates its confidence with a calibrated model over
 * the evidence's features ({@link Calibration}), asks for the tenant's required fields and proposes tools by rules.
 * Deterministic: the same request gives the same decision.
 */
public class OfflineDecisionModel implements DecisionModel {
    public static final String NAME = "offline-extractive-v2";
    /** Recorded beside the evidence's features: the calibrated answer's confidence and the intent's certainty. */
    static final String ANSWER_CONFIDENCE = "answer_confidence";
    static final String INTENT_CERTAINTY = "intent_certainty";

    private static final Pattern WANTS_HUMAN = Pattern.compile(
            "(?i)\\b(human|real person|a person|an agent|representative|someone real|operator|persona|humano|un agente|operador)\\b");
    private static final Pattern WANTS_TO_CANCEL = Pattern.compile(
            "(?i)\\b(cancel|cancellation|unsubscribe|terminate|cancelar|cancelaci[oó]n|darme de baja|dar de baja)\\b");
    private static final Pattern REPORTS_PROBLEM = Pattern.compile(
            "(?i)\\b(broken|leak|leaking|not working|doesn't work|does not work|stopped working|no hot water|damaged|flood|"
                    + "roto|rota|fuga|no funciona|dej[oó] de funcionar|aver[ií]a|inundaci[oó]n|da[nñ]ado)\\b");
    private static final Pattern URGENT = Pattern.compile(
            "(?i)\\b(urgent|emergency|flood|flooding|asap|urgente|emergencia|inundaci[oó]n)\\b");

    private final Intents intents;
    private final Answerer answerer;
    private final Calibration calibration;
    private final ObjectMapper json = new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

    public OfflineDecisionModel(EmbeddingModel embeddings) {
        this(embeddings, Calibration.load());
    }

    public OfflineDecisionModel(EmbeddingModel embeddings, Calibration calibration) {
        this.intents = new Intents(embeddings);
        this.answerer = new Answerer(embeddings);
        this.calibration = calibration;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public DecisionResult decide(DecisionRequest request) {
        long started = System.nanoTime();
        String question = request.question();
        String language = Language.of(question);
        Intents.Classified classified = intents.classify(question);
        String intent = classified.intent();
        List<String> customerTexts = request.conversation().stream().filter(turn -> "user".equals(turn.role()))
                .map(DecisionRequest.Turn::text).toList();
        List<String> missing = Fields.missing(request.policy().requiredFields().getOrDefault(intent, List.of()),
                customerTexts, request.contact());

        // identifiers (policy numbers, order numbers) are data the customer gives, not words the knowledge answers
        Map<String, Double> weights = new LinkedHashMap<>(request.termWeights());
        weights.keySet().removeIf(word -> word.chars().anyMatch(Character::isDigit) && word.length() > 4);
        Answerer.Answer answer = answerer.answer(question, request.evidence(), weights);
        double answerConfidence = answer.sentences().isEmpty() ? 0
                : Math.round(calibration.confidence(answer.features()) * 1000) / 1000.0;
        // asking for the data the tenant requires, or a tool its rules propose (a ticket for a reported problem), does
        // not stand on the evidence: such a decision is as sure as its intent
        List<ProposedAction> actions = actions(question, WANTS_HUMAN.matcher(question).find());
        boolean acting = !missing.isEmpty() || !actions.isEmpty();
        double confidence = acting ? Math.max(answerConfidence, Math.round(classified.certainty() * 1000) / 1000.0)
                : answerConfidence;
        boolean wantsHuman = WANTS_HUMAN.matcher(question).find();
        boolean answered = answerConfidence >= request.policy().confidenceThreshold() && !answer.sentences().isEmpty();

        String reply;
        List<String> citations = List.of();
        if (!missing.isEmpty()) {
            reply = Replies.askFor(missing.stream().map(field -> Fields.name(field, language)).toList(), language);
        } else if (wantsHuman) {
            reply = Replies.handingOver(language);
        } else if (answered) {
            reply = Replies.answer(answer.sentences(), language);
            citations = answer.chunkIds();
        } else {
            reply = Replies.unsure(language);
        }
        // unsure of an answer, the model hands over unless it acts (a ticket opened is a person's to follow up)
        Decision decision = new Decision(intent, confidence, wantsHuman || !answered && !acting, missing, reply,
                actions, citations);
        long latency = (System.nanoTime() - started) / 1_000_000;
        int tokensIn = request.conversation().stream().mapToInt(turn -> Text.words(turn.text()).size()).sum()
                + request.evidence().stream().mapToInt(e -> Text.words(e.content()).size()).sum();
        Map<String, Double> features = new LinkedHashMap<>(answer.features());
        features.put(ANSWER_CONFIDENCE, answerConfidence);
        features.put(INTENT_CERTAINTY, Math.round(classified.certainty() * 10_000) / 10_000.0);
        ConfidenceBasis basis = new ConfidenceBasis(confidence > answerConfidence ? ConfidenceBasis.INTENT
                : ConfidenceBasis.CALIBRATED,
                calibration.name(), features, List.of());
        return new DecisionResult(decision, new DecisionUsage(NAME, tokensIn, Text.words(reply).size(), latency, 0.0),
                raw(decision, basis), basis);
    }

    private static List<ProposedAction> actions(String question, boolean wantsHuman) {
        List<ProposedAction> actions = new ArrayList<>();
        if (wantsHuman) {
            actions.add(new ProposedAction(ToolNames.HANDOFF_TO_HUMAN, Map.of("reason", "the customer asked for a person")));
        }
        if (WANTS_TO_CANCEL.matcher(question).find()) {
            actions.add(new ProposedAction(ToolNames.CANCEL_SUBSCRIPTION, Map.of("reason", summary(question))));
        } else if (REPORTS_PROBLEM.matcher(question).find()) {
            Map<String, Object> args = new LinkedHashMap<>();
            args.put("subject", subject(question));
            args.put("priority", URGENT.matcher(question).find() ? "high" : "normal");
            args.put("summary", summary(question));
            actions.add(new ProposedAction(ToolNames.CREATE_TICKET, args));
        }
        return actions;
    }

    private static String subject(String question) {
        String first = Text.sentences(question).stream().findFirst().orElse(question).strip();
        return first.length() <= 80 ? first : first.substring(0, 77) + "...";
    }

    private static String summary(String question) {
        String flat = question.replaceAll("\\s+", " ").strip();
        return flat.length() <= 500 ? flat : flat.substring(0, 497) + "...";
    }

    /** The decision as the model's JSON, with the features its confidence came from. */
    private String raw(Decision decision, ConfidenceBasis basis) {
        try {
            Map<String, Object> raw = new LinkedHashMap<>(json.convertValue(decision,
                    new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() { }));
            raw.put("confidence_basis", basis);
            return json.writeValueAsString(raw);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the decision", e);
        }
    }
}
