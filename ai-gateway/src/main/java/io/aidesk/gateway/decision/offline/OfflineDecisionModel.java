package io.aidesk.gateway.decision.offline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.aidesk.api.decision.ConfidenceBasis;
import io.aidesk.api.decision.ConfidenceBasis.NeedScore;
import io.aidesk.api.decision.CustomerNeed;
import io.aidesk.api.decision.Decision;
import io.aidesk.api.decision.Decision.ProposedAction;
import io.aidesk.api.decision.DecisionUsage;
import io.aidesk.api.tools.ToolNames;
import io.aidesk.gateway.decision.Confidences;
import io.aidesk.gateway.decision.DecisionModel;
import io.aidesk.gateway.decision.DecisionRequest;
import io.aidesk.gateway.decision.DecisionRequest.Turn;
import io.aidesk.gateway.decision.DecisionResult;
import io.aidesk.gateway.embedding.EmbeddingModel;
import io.aidesk.gateway.language.Language;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The decision model that needs no network. {@link Understanding} reads what the customer asks for; a question is
 * answered only from the retrieved passages (the sentence that answers, chosen by {@link Answerer}) with a calibrated
 * confidence ({@link Calibration}); a problem opens a ticket, a cancellation, a plan change or a refund proposes its
 * sensitive tool, a person or a legal matter is handed over, each as sure as the classifier is of it. The data the
 * action or the tenant's rule needs is asked for first, and the action goes on when the customer gives it.
 * Deterministic: the same request gives the same decision.
 */
public class OfflineDecisionModel implements DecisionModel {
    public static final String NAME = "offline-extractive-v3";
    /** Recorded beside the evidence's features: the calibrated answer's confidence. */
    static final String ANSWER_CONFIDENCE = "answer_confidence";
    static final String PLAN = "plan";
    static final String AMOUNT = "amount";
    /** Evidence that a message read as off-topic is about the business: its rare words, or a close passage. */
    static final double ABOUT_TERMS = 0.15;
    static final double ABOUT_SIMILARITY = 0.6;
    static final double CLOSE_SIMILARITY = 0.75;
    /** After a request for data, a message is a new request only when the classifier is this sure of it. */
    static final double NEW_REQUEST = 0.8;

    private final Understanding understanding;
    private final Answerer answerer;
    private final Calibration calibration;
    private final ObjectMapper json = new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

    public OfflineDecisionModel(EmbeddingModel embeddings) {
        this(embeddings, Calibration.load(), Understanding.load(embeddings));
    }

    public OfflineDecisionModel(EmbeddingModel embeddings, Calibration calibration, Understanding understanding) {
        this.understanding = understanding;
        this.answerer = new Answerer(embeddings);
        this.calibration = calibration;
    }

    @Override
    public String name() {
        return NAME;
    }

    /** What the run is about: the message's needs, or an earlier request this message gives the data for. */
    private record Reading(Understanding.Understood message, Understanding.Understood request, String requestText,
                           String answerToAsk) {
        CustomerNeed need() {
            return request.need();
        }

        /** Whether the run's request, the message itself or one of its sentences asks for this. */
        boolean asks(CustomerNeed asked) {
            return request.need() == asked || message.need() == asked
                    || message.alsoAsked().stream().anyMatch(score -> score.need() == asked);
        }

        Reading without(CustomerNeed ruledOut) {
            return new Reading(message.without(ruledOut), request.without(ruledOut), requestText, answerToAsk);
        }

        Reading asQuestion() {
            return new Reading(message.asQuestion(), request.asQuestion(), requestText, answerToAsk);
        }
    }

    @Override
    public DecisionResult decide(DecisionRequest request) {
        long started = System.nanoTime();
        String question = request.question();
        String language = Language.of(question);
        List<String> customerTexts = request.conversation().stream().filter(turn -> "user".equals(turn.role()))
                .map(Turn::text).toList();
        Reading reading = read(request, question);

        // identifiers (policy numbers, order numbers) are data the customer gives, not words the knowledge answers
        Map<String, Double> weights = new LinkedHashMap<>(request.termWeights());
        weights.keySet().removeIf(word -> word.chars().anyMatch(Character::isDigit) && word.length() > 4);
        // whether a message is off-topic depends on the tenant's business, which only its knowledge tells
        boolean offTopic = reading.need() == CustomerNeed.OFF_TOPIC;
        // a reported problem gets what the help center says about it beside its ticket, when it says it surely; a
        // message shaped as a question is answered too, to weigh the answer against what the classifier read
        boolean questionShaped = Understanding.questionShaped(question) && reading.answerToAsk() == null;
        boolean asksQuestion = offTopic || reportsProblem(reading) || reading.need() == CustomerNeed.GIVES_DATA
                || reading.asks(CustomerNeed.QUESTION) || questionShaped;
        Answerer.Answer answer = asksQuestion ? answerer.answer(question, request.evidence(), weights)
                : answerer.answer(question, List.of(), weights);
        double answerConfidence = answer.sentences().isEmpty() ? 0 : round(calibration.confidence(answer.features()));
        if (offTopic && aboutTheBusiness(answer.features())) {
            reading = reading.without(CustomerNeed.OFF_TOPIC);
        }
        boolean confidentAnswer = !answer.sentences().isEmpty() && answerConfidence >= request.policy().confidenceThreshold();
        // a question read as a request less surely than the knowledge answers it is that question: nothing is done
        // that nobody asked for ("how do I delete a branch on the server?" read as a cancellation at 0.32); a legal
        // matter goes to a person however well the knowledge answers it
        CustomerNeed read = reading.need();
        if (questionShaped && confidentAnswer && read != CustomerNeed.QUESTION && read != CustomerNeed.OFF_TOPIC
                && read != CustomerNeed.GIVES_DATA && read != CustomerNeed.LEGAL
                && answerConfidence > actionConfidence(reading, List.of())) {
            reading = reading.asQuestion();
        }
        // read again once off-topic is ruled out: a problem read behind it still gets its answer beside the ticket
        boolean reportsProblem = reportsProblem(reading);
        CustomerNeed need = reading.need() == CustomerNeed.OFF_TOPIC && confidentAnswer ? CustomerNeed.QUESTION : reading.need();
        String intent = reading.request().intent();
        boolean questionAsked = need == CustomerNeed.QUESTION || need == CustomerNeed.GIVES_DATA || reportsProblem
                || reading.asks(CustomerNeed.QUESTION);
        boolean answered = asksQuestion && questionAsked && confidentAnswer;

        List<ProposedAction> actions = new ArrayList<>();
        List<String> actionData = new ArrayList<>();
        String requestText = String.join(" ", reading.requestText(), reading.answerToAsk() == null ? "" : reading.answerToAsk());
        List<String> knowledge = request.evidence().stream().map(e -> e.content()).toList();
        String approval = propose(need, reading, requestText, customerTexts, knowledge, language, actions, actionData);
        // a problem reported beside a question, or a person asked for in one sentence of a longer message
        for (NeedScore also : reading.message().alsoAsked()) {
            if ((also.need() == CustomerNeed.PROBLEM_REPORT || also.need() == CustomerNeed.TICKET_REQUEST)
                    && actions.stream().noneMatch(a -> a.tool().equals(ToolNames.CREATE_TICKET)) && !need.acts()) {
                actions.add(new ProposedAction(ToolNames.CREATE_TICKET, ActionArgs.ticket(question, customerTexts)));
            } else if (also.need().forAPerson() && actions.stream().noneMatch(a -> a.tool().equals(ToolNames.HANDOFF_TO_HUMAN))) {
                actions.add(new ProposedAction(ToolNames.HANDOFF_TO_HUMAN, Map.of("reason", reason(also.need()))));
            }
        }
        boolean acts = actions.stream().anyMatch(action -> !action.tool().equals(ToolNames.HANDOFF_TO_HUMAN));
        boolean forAPerson = need.forAPerson() || actions.stream().anyMatch(a -> a.tool().equals(ToolNames.HANDOFF_TO_HUMAN));
        // the tenant's required fields are asked for before an action, never before an answer
        List<String> missing = new ArrayList<>(actionData);
        if (acts || need.acts()) {
            Fields.missing(request.policy().requiredFields().getOrDefault(intent, List.of()), customerTexts,
                    request.contact(), reading.answerToAsk()).stream().filter(f -> !missing.contains(f)).forEach(missing::add);
        }
        boolean actsOnRequest = acts || !actionData.isEmpty();
        double actionConfidence = round(actionConfidence(reading, actions));

        String reply;
        List<String> citations = List.of();
        if (forAPerson) {
            reply = Replies.handingOver(language);
        } else if (!missing.isEmpty()) {
            reply = Replies.askFor(missing.stream().map(field -> Fields.name(field, language)).toList(), language);
        } else if (actsOnRequest) {
            String acting = approval != null ? Replies.awaitingApproval(approval, language) : Replies.ticketOpened(language);
            if (answered) {
                acting = Replies.answer(answer.sentences(), language) + " " + acting;
                citations = answer.chunkIds();
            }
            reply = acting;
        } else if (need == CustomerNeed.SMALL_TALK) {
            reply = Replies.smallTalk(language);
        } else if (need == CustomerNeed.OFF_TOPIC) {
            reply = Replies.offTopic(language);
        } else if (answered) {
            reply = Replies.answer(answer.sentences(), language);
            citations = answer.chunkIds();
        } else {
            reply = Replies.unsure(language);
        }
        // the decision is as sure as what it decided: the action when it acts or replies to small talk, else the answer
        boolean onAction = Confidences.standsOnAction(need, !actions.isEmpty(), !missing.isEmpty());
        double confidence = onAction ? actionConfidence : answerConfidence;
        boolean needsHuman = forAPerson || !onAction && !answered;
        Decision decision = new Decision(intent, confidence, needsHuman, missing, reply, actions, citations);

        long latency = (System.nanoTime() - started) / 1_000_000;
        int tokensIn = request.conversation().stream().mapToInt(turn -> Text.words(turn.text()).size()).sum()
                + request.evidence().stream().mapToInt(e -> Text.words(e.content()).size()).sum();
        Map<String, Double> features = new LinkedHashMap<>(answer.features());
        features.put(ANSWER_CONFIDENCE, answerConfidence);
        List<NeedScore> needs = new ArrayList<>(reading.request().needs().stream().limit(3).toList());
        reading.message().alsoAsked().stream().filter(also -> needs.stream().noneMatch(n -> n.need() == also.need()))
                .forEach(needs::add);
        needs.sort(Comparator.comparingDouble(NeedScore::probability).reversed());
        ConfidenceBasis basis = new ConfidenceBasis(onAction ? ConfidenceBasis.ACTION : ConfidenceBasis.CALIBRATED,
                calibration.name(), features, List.of(), actionConfidence, answerConfidence, needs, understanding.name());
        return new DecisionResult(decision, new DecisionUsage(NAME, tokensIn, Text.words(reply).size(), latency, 0.0),
                raw(decision, basis), basis);
    }

    /**
     * The message's needs; when it answers this model's request for data (or only gives data), the earlier customer
     * message that asked for the action is what the run goes on with.
     */
    private Reading read(DecisionRequest request, String question) {
        Understanding.Understood message = understanding.understand(question);
        List<Turn> turns = request.conversation();
        int last = turns.size() - 1;
        boolean askedBefore = last >= 1 && "assistant".equals(turns.get(last - 1).role()) && Replies.asksFor(turns.get(last - 1).text());
        if (askedBefore || message.need() == CustomerNeed.GIVES_DATA) {
            for (int i = last - 1; i >= 0; i--) {
                if ("user".equals(turns.get(i).role())) {
                    Understanding.Understood earlier = understanding.understand(turns.get(i).text());
                    // a new request of its own, or a person asked for, is not the answer to what was asked
                    boolean newRequest = message.need().forAPerson() || message.need().acts()
                            && message.need() != earlier.need() && message.confidence() >= NEW_REQUEST;
                    if (earlier.need().acts() && !newRequest) {
                        return new Reading(message, earlier, turns.get(i).text(), question);
                    }
                    break;
                }
            }
        }
        return new Reading(message, message, question, null);
    }

    /**
     * The tool the need asks for, with what the customer's words give for its arguments; data it lacks goes to
     * {@code missing}. @return what the approval is for, when the tool is sensitive
     */
    private static String propose(CustomerNeed need, Reading reading, String requestText, List<String> customerTexts,
                                  List<String> knowledge, String language, List<ProposedAction> actions,
                                  List<String> missing) {
        boolean spanish = Language.SPANISH.equals(language);
        switch (need) {
            case PROBLEM_REPORT, TICKET_REQUEST -> actions.add(new ProposedAction(ToolNames.CREATE_TICKET,
                    ActionArgs.ticket(reading.requestText(), customerTexts)));
            case CANCELLATION -> {
                actions.add(new ProposedAction(ToolNames.CANCEL_SUBSCRIPTION,
                        Map.of("reason", ActionArgs.summary(reading.requestText()))));
                return spanish ? "cancelar su suscripción" : "cancel your subscription";
            }
            case PLAN_CHANGE -> {
                Optional<String> plan = ActionArgs.plan(reading.requestText(), knowledge)
                        .or(() -> reading.answerToAsk() == null ? Optional.empty() : ActionArgs.answeredPlan(reading.answerToAsk()));
                if (plan.isEmpty()) {
                    missing.add(PLAN);
                    return null;
                }
                actions.add(new ProposedAction(ToolNames.CHANGE_PLAN, Map.of("plan", plan.get())));
                return (spanish ? "cambiar al plan " : "change to the plan ") + plan.get();
            }
            case CREDIT_REFUND -> {
                Optional<ActionArgs.Money> money = ActionArgs.amount(requestText);
                if (money.isEmpty()) {
                    missing.add(AMOUNT);
                    return null;
                }
                actions.add(new ProposedAction(ToolNames.ISSUE_CREDIT, Map.of("amount", money.get().amount(),
                        "currency", money.get().currency(), "reason", ActionArgs.summary(reading.requestText()))));
                return (spanish ? "un abono de " : "a credit of ") + money.get().amount() + " " + money.get().currency();
            }
            case HUMAN, LEGAL, ABUSE -> actions.add(new ProposedAction(ToolNames.HANDOFF_TO_HUMAN,
                    Map.of("reason", reason(need))));
            default -> {
                // a question, small talk or off-topic: no tool
            }
        }
        return null;
    }

    /**
     * The knowledge holds the message's rare words or lies close to it: the message is about the tenant's business,
     * whatever the classifier, which knows no tenant, read.
     */
    private static boolean aboutTheBusiness(Map<String, Double> features) {
        double similarity = features.getOrDefault(Features.PASSAGE_SIMILARITY, 0.0);
        return features.getOrDefault(Features.PASSAGE_TERMS, 0.0) >= ABOUT_TERMS && similarity >= ABOUT_SIMILARITY
                || similarity >= CLOSE_SIMILARITY;
    }

    private static boolean reportsProblem(Reading reading) {
        return reading.need() == CustomerNeed.PROBLEM_REPORT || reading.need() == CustomerNeed.TICKET_REQUEST;
    }

    private static String reason(CustomerNeed need) {
        return switch (need) {
            case LEGAL -> "a legal matter";
            case ABUSE -> "an abusive message";
            default -> "the customer asked for a person";
        };
    }

    /**
     * How sure the classifier is of what the run does: the probability of the needs that lead to the same tool (a
     * problem report and a ticket request both open a ticket), or of the need itself when no tool is proposed.
     */
    private static double actionConfidence(Reading reading, List<ProposedAction> actions) {
        CustomerNeed need = reading.need();
        List<CustomerNeed> same = switch (need) {
            case PROBLEM_REPORT, TICKET_REQUEST -> List.of(CustomerNeed.PROBLEM_REPORT, CustomerNeed.TICKET_REQUEST);
            case HUMAN, LEGAL, ABUSE -> List.of(CustomerNeed.HUMAN, CustomerNeed.LEGAL, CustomerNeed.ABUSE);
            default -> List.of(need);
        };
        double confidence = reading.request().probabilityOf(same);
        if (!need.acts() && actions.stream().anyMatch(a -> a.tool().equals(ToolNames.CREATE_TICKET))) {
            // a ticket for a problem reported in one sentence of the message: as sure as that sentence's reading
            confidence = reading.message().alsoAsked().stream().filter(s -> s.need().acts())
                    .mapToDouble(NeedScore::probability).max().orElse(confidence);
        }
        return confidence;
    }

    private static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }

    /** The decision as the model's JSON, with the features its confidence came from. */
    private String raw(Decision decision, ConfidenceBasis basis) {
        try {
            Map<String, Object> raw = new LinkedHashMap<>(json.convertValue(decision, new TypeReference<Map<String, Object>>() { }));
            Map<String, Object> because = new LinkedHashMap<>(json.convertValue(basis, new TypeReference<Map<String, Object>>() { }));
            because.put("needs", basis.needs().stream().map(n -> Map.of("need", n.need().wire(), "probability", n.probability())).toList());
            raw.put("confidence_basis", because);
            return json.writeValueAsString(raw);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the decision", e);
        }
    }
}
