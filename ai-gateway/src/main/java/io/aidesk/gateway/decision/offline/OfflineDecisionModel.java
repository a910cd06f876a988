package io.aidesk.gateway.decision.offline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.aidesk.api.decision.Decision;
import io.aidesk.api.decision.Decision.ProposedAction;
import io.aidesk.api.decision.DecisionUsage;
import io.aidesk.api.tools.ToolNames;
import io.aidesk.gateway.decision.DecisionModel;
import io.aidesk.gateway.decision.DecisionRequest;
import io.aidesk.gateway.decision.DecisionRequest.Evidence;
import io.aidesk.gateway.decision.DecisionResult;
import io.aidesk.gateway.embedding.EmbeddingModel;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The decision model that needs no network. It answers only from the retrieved passages (an extractive reply in the
 * customer's language), rates its confidence from the retrieval evidence, asks for the tenant's required fields and
 * proposes tools by rules. Deterministic: the same request gives the same decision.
 */
public class OfflineDecisionModel implements DecisionModel {
    public static final String NAME = "offline-extractive-v1";

    /**
     * bge-small's cosine similarity of a question to a passage that answers it was 0.60 to 0.92 on the test knowledge,
     * to unrelated passages 0.38 to 0.46: the similarity term grows from the floor to full over the span.
     */
    static final double SIMILARITY_FLOOR = 0.45;
    static final double SIMILARITY_SPAN = 0.2;
    /** A best passage this far ahead of the second is unambiguous. */
    static final double CLEAR_MARGIN = 0.15;
    /** Passages this close to the best one may add a sentence. */
    static final double NEAR_BEST = 0.05;
    static final int MAX_SENTENCES = 3;

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
    private final ObjectMapper json = new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

    public OfflineDecisionModel(EmbeddingModel embeddings) {
        this.intents = new Intents(embeddings);
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
        String intent = intents.of(question);
        List<String> customerTexts = request.conversation().stream().filter(turn -> "user".equals(turn.role()))
                .map(DecisionRequest.Turn::text).toList();
        List<String> missing = Fields.missing(request.policy().requiredFields().getOrDefault(intent, List.of()),
                customerTexts, request.contact());

        List<Evidence> evidence = request.evidence().stream()
                .sorted(Comparator.comparingDouble(Evidence::score).reversed()).toList();
        // identifiers (policy numbers, order numbers) are data the customer gives, not words the knowledge answers
        Set<String> asked = new LinkedHashSet<>(Text.contentWords(question));
        asked.removeIf(word -> word.chars().anyMatch(Character::isDigit));
        Answer answer = answer(asked, evidence);
        double confidence = confidence(asked, evidence, answer);
        boolean wantsHuman = WANTS_HUMAN.matcher(question).find();
        boolean answered = confidence >= request.policy().confidenceThreshold() && !answer.sentences().isEmpty();

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
        List<ProposedAction> actions = actions(question, wantsHuman);
        Decision decision = new Decision(intent, confidence, wantsHuman || !answered && missing.isEmpty(), missing, reply,
                actions, citations);
        long latency = (System.nanoTime() - started) / 1_000_000;
        int tokensIn = request.conversation().stream().mapToInt(turn -> Text.words(turn.text()).size()).sum()
                + evidence.stream().mapToInt(e -> Text.words(e.content()).size()).sum();
        return new DecisionResult(decision, new DecisionUsage(NAME, tokensIn, Text.words(reply).size(), latency, 0.0),
                raw(decision));
    }

    /** The sentences that answer, taken from the best passage and those close to it, with their chunks. */
    private record Answer(List<String> sentences, List<String> chunkIds, double coverage) {
    }

    private static Answer answer(Set<String> asked, List<Evidence> evidence) {
        if (evidence.isEmpty()) {
            return new Answer(List.of(), List.of(), 0);
        }
        double best = evidence.get(0).score();
        record Candidate(String sentence, String chunkId, double overlap, int order) {
        }
        List<Candidate> candidates = new ArrayList<>();
        int order = 0;
        for (Evidence passage : evidence) {
            if (passage.score() < best - NEAR_BEST) {
                break;
            }
            for (String sentence : Text.sentences(passage.content())) {
                double overlap = Text.coverage(asked, sentence);
                if (overlap > 0) {
                    candidates.add(new Candidate(sentence, passage.chunkId(), overlap, order));
                }
                order++;
            }
        }
        List<Candidate> chosen = candidates.stream()
                .sorted(Comparator.comparingDouble(Candidate::overlap).reversed().thenComparingInt(Candidate::order))
                .limit(MAX_SENTENCES).sorted(Comparator.comparingInt(Candidate::order)).toList();
        if (chosen.isEmpty()) {
            // nothing shares a word with the question: the best passage's opening is all there is to offer
            List<String> opening = Text.sentences(evidence.get(0).content());
            return new Answer(opening.isEmpty() ? List.of() : List.of(opening.get(0)), List.of(evidence.get(0).chunkId()), 0);
        }
        Set<String> words = new LinkedHashSet<>();
        chosen.forEach(candidate -> words.add(candidate.sentence()));
        double coverage = Text.coverage(asked, String.join(" ", words));
        return new Answer(List.copyOf(words), chosen.stream().map(Candidate::chunkId).distinct().toList(), coverage);
    }

    /**
     * From the evidence only: how similar the best passage is (top score), how far it leads the next (margin), how
     * much of the question the chosen sentences cover, and whether the best passages come from one document
     * (agreement).
     */
    private static double confidence(Set<String> asked, List<Evidence> evidence, Answer answer) {
        if (evidence.isEmpty()) {
            return 0;
        }
        double best = evidence.get(0).score();
        double similarity = clamp((best - SIMILARITY_FLOOR) / SIMILARITY_SPAN);
        double margin = evidence.size() < 2 ? 1 : clamp((best - evidence.get(1).score()) / CLEAR_MARGIN);
        List<Evidence> top = evidence.subList(0, Math.min(3, evidence.size()));
        double agreement = top.stream().filter(e -> e.documentId() != null
                && e.documentId().equals(evidence.get(0).documentId())).count() / (double) top.size();
        double coverage = asked.isEmpty() ? 0 : answer.coverage();
        double confidence = 0.55 * similarity + 0.3 * coverage + 0.1 * margin + 0.05 * agreement;
        return Math.round(clamp(confidence) * 1000) / 1000.0;
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

    private static double clamp(double value) {
        return Math.max(0, Math.min(1, value));
    }

    private String raw(Decision decision) {
        try {
            return json.writeValueAsString(decision);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the decision", e);
        }
    }
}
