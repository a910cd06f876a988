package io.aidesk.gateway.decision.offline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aidesk.api.decision.ConfidenceBasis.NeedScore;
import io.aidesk.api.decision.CustomerNeed;
import io.aidesk.gateway.embedding.EmbeddingModel;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What a customer's message asks for (a question, a problem, a cancellation…) and its intent (support, sales, billing,
 * other): two softmax models over {@link MessageFeatures}, fitted by `./aidesk bench understand` on the labelled
 * messages in bench/src/main/resources/understanding and kept as a reviewed resource
 * (offline/understanding-model.json). A message of a few sentences is read sentence by sentence too, so that a
 * question beside a problem report is not lost.
 */
public final class Understanding {
    public static final String RESOURCE = "/offline/understanding-model.json";
    /** Below this probability a message's reading is unclear, and a sentence that reads clearly speaks for it. */
    static final double SURE = 0.7;
    static final double SURE_SENTENCE = 0.8;
    /** A sentence's own need counts beside the message's when the classifier is at least this sure of it. */
    static final double SENTENCE_NEED = 0.6;
    /** Identifiers (letters with digits, or five digits and more), e-mail addresses, phone numbers: the data a message gives. */
    private static final String DATA_PLACEHOLDER = "[data]";
    private static final Pattern DATA = Pattern.compile(
            "[\\w.+-]+@[\\w-]+(\\.[\\w-]+)+|\\+?\\d[\\d\\s().-]{7,}\\d|\\b(?=[\\w-]*\\d)(?=[\\w-]*[A-Za-z])[\\w][\\w-]{3,}\\b|\\b\\d{5,}\\b");
    static final int MIN_REQUEST_WORDS = 4;
    /** Read without its data, a message is a request when the classifier is at least this sure of it. */
    static final double DATA_BESIDE_REQUEST = 0.5;
    /** Messages of more sentences than this are read as a whole only (a long story has one request). */
    static final int MAX_SENTENCES = 4;

    private final EmbeddingModel embeddings;
    private final String name;
    private final SoftmaxModel needs;
    private final SoftmaxModel intents;

    /** need → intent → how often they go together in the labelled messages */
    private final Map<String, Map<String, Double>> intentGivenNeed;

    public Understanding(EmbeddingModel embeddings, String name, SoftmaxModel needs, SoftmaxModel intents,
                         Map<String, Map<String, Double>> intentGivenNeed) {
        this.embeddings = embeddings;
        this.name = name;
        this.needs = needs;
        this.intents = intents;
        this.intentGivenNeed = Map.copyOf(intentGivenNeed);
        needs.labels().forEach(CustomerNeed::of);
    }

    public static Understanding load(EmbeddingModel embeddings) {
        try (InputStream in = Understanding.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the offline model");
            }
            JsonNode json = new ObjectMapper().readTree(in);
            int size = MessageFeatures.size(embeddings.dimension());
            Map<String, Map<String, Double>> given = new LinkedHashMap<>();
            json.path("intent_given_need").fields().forEachRemaining(need -> {
                Map<String, Double> row = new LinkedHashMap<>();
                need.getValue().fields().forEachRemaining(intent -> row.put(intent.getKey(), intent.getValue().asDouble()));
                given.put(need.getKey(), row);
            });
            return new Understanding(embeddings, json.path("name").asText(), model(json.path("need"), size),
                    model(json.path("intent"), size), given);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    private static SoftmaxModel model(JsonNode json, int size) {
        List<String> labels = new ArrayList<>();
        json.path("labels").forEach(label -> labels.add(label.asText()));
        double[][] weights = new double[labels.size()][];
        double[] bias = new double[labels.size()];
        for (int k = 0; k < labels.size(); k++) {
            JsonNode row = json.path("weights").path(k);
            if (row.size() != size) {
                throw new IllegalStateException(RESOURCE + ": the weights of " + labels.get(k) + " have " + row.size()
                        + " values, the features " + size);
            }
            weights[k] = new double[size];
            for (int i = 0; i < size; i++) {
                weights[k][i] = row.get(i).asDouble();
            }
            bias[k] = json.path("bias").path(k).asDouble();
        }
        return new SoftmaxModel(labels, weights, bias, json.path("temperature").asDouble(1));
    }

    /**
     * @param needs      the message's needs, most likely first, with their probabilities
     * @param intent     support, sales, billing or other
     * @param alsoAsked  needs of single sentences that differ from the message's first, the classifier sure of them
     * @param sentences  each sentence's own most likely need, when the message was read sentence by sentence
     */
    public record Understood(List<NeedScore> needs, String intent, double intentConfidence, List<NeedScore> alsoAsked,
                             List<NeedScore> sentences) {
        public CustomerNeed need() {
            return needs.get(0).need();
        }

        public double confidence() {
            return needs.get(0).probability();
        }

        /** The same reading with one need ruled out, the others' probabilities scaled to sum to one again. */
        public Understood without(CustomerNeed ruledOut) {
            double left = needs.stream().filter(score -> score.need() != ruledOut).mapToDouble(NeedScore::probability).sum();
            List<NeedScore> kept = needs.stream().filter(score -> score.need() != ruledOut)
                    .map(score -> new NeedScore(score.need(), round(left == 0 ? 0 : score.probability() / left))).toList();
            return new Understood(kept, intent, intentConfidence, alsoAsked, sentences).clearer();
        }

        /**
         * When the message as a whole reads unclearly but one of its sentences asks for an action (or a person) and the
         * classifier is sure of that sentence, the message is that request: "The tank leaks. Can you replace it?"
         */
        public Understood clearer() {
            if (confidence() >= SURE) {
                // a problem told as the reason for a refund, a cancellation or another plan: the sentence asking is the request
                boolean told = need() == CustomerNeed.PROBLEM_REPORT || need() == CustomerNeed.TICKET_REQUEST;
                return told ? sentences.stream().filter(s -> s.need().sensitive() && s.probability() >= SURE_SENTENCE)
                        .max(Comparator.comparingDouble(NeedScore::probability)).map(this::ledBy).orElse(this) : this;
            }
            // a sentence asking for a sensitive action leads one telling the problem behind it
            return sentences.stream().filter(s -> (s.need().acts() || s.need().forAPerson()) && s.probability() >= SURE_SENTENCE)
                    .max(Comparator.comparing((NeedScore s) -> s.need().sensitive()).thenComparingDouble(NeedScore::probability))
                    .map(this::ledBy).orElse(this);
        }

        /** The message read as this sentence's need, as sure as the sentence; the other needs share what is left. */
        private Understood ledBy(NeedScore sentence) {
            List<NeedScore> reordered = new ArrayList<>(List.of(sentence));
            needs.stream().filter(score -> score.need() != sentence.need()).forEach(score -> reordered.add(
                    new NeedScore(score.need(), round(score.probability() * (1 - sentence.probability())))));
            return new Understood(reordered, intent, intentConfidence,
                    alsoAsked.stream().filter(also -> also.need() != sentence.need()).toList(), sentences);
        }

        /** The same reading with a question first: what the message asks is answered, whatever else it was read as. */
        public Understood asQuestion() {
            List<NeedScore> reordered = new ArrayList<>();
            needs.stream().filter(score -> score.need() == CustomerNeed.QUESTION).forEach(reordered::add);
            if (reordered.isEmpty()) {
                reordered.add(new NeedScore(CustomerNeed.QUESTION, 0));
            }
            needs.stream().filter(score -> score.need() != CustomerNeed.QUESTION).forEach(reordered::add);
            return new Understood(reordered, intent, intentConfidence, alsoAsked, sentences);
        }

        /** The probability that the message asks for one of these needs. */
        public double probabilityOf(List<CustomerNeed> any) {
            return needs.stream().filter(score -> any.contains(score.need())).mapToDouble(NeedScore::probability).sum();
        }
    }

    public String name() {
        return name;
    }

    public Understood understand(String message) {
        Understood understood = read(message);
        if (understood.need() == CustomerNeed.GIVES_DATA) {
            // data given beside a request ("policy GX-1: cancel it") is read again without the data
            String rest = DATA.matcher(message).replaceAll(" ").replaceAll("\\s+", " ").strip();
            if (Text.words(rest).size() >= MIN_REQUEST_WORDS) {
                Understood request = read(rest);
                boolean asks = request.need().acts() || request.need().forAPerson() || request.need() == CustomerNeed.QUESTION;
                if (asks && request.confidence() >= DATA_BESIDE_REQUEST) {
                    return request;
                }
            }
        }
        return understood;
    }

    /**
     * The message as the classifier reads it, in fitting as in use: each piece of data (an identifier, an address, a
     * number) is one placeholder, so "GX-204518" and "NF-48213" read alike and say only that data was given.
     */
    public static String masked(String message) {
        return DATA.matcher(message).replaceAll(DATA_PLACEHOLDER);
    }

    /** The masked message and, when it has a few sentences, each of them: what the classifier reads. */
    private static List<String> texts(String message) {
        List<String> texts = new ArrayList<>(List.of(message));
        List<String> sentences = Text.sentences(message);
        if (sentences.size() > 1 && sentences.size() <= MAX_SENTENCES) {
            texts.addAll(sentences);
        }
        return texts;
    }

    private Understood read(String original) {
        String message = masked(original);
        List<String> texts = texts(message);
        List<float[]> vectors = embeddings.embedDocuments(texts);
        double[] whole = MessageFeatures.of(message, vectors.get(0));
        List<NeedScore> scores = askedAbout(message, ranked(needs.probabilities(whole)));
        double[] intent = weighedIntents(needs, intents, intentGivenNeed, whole);
        int bestIntent = 0;
        for (int k = 1; k < intent.length; k++) {
            bestIntent = intent[k] > intent[bestIntent] ? k : bestIntent;
        }
        List<NeedScore> also = new ArrayList<>();
        List<NeedScore> each = new ArrayList<>();
        for (int i = 1; i < texts.size(); i++) {
            NeedScore own = withoutItsData(texts.get(i), ranked(needs.probabilities(MessageFeatures.of(texts.get(i), vectors.get(i)))));
            each.add(own);
            // one sentence hands the whole conversation over only when the classifier is sure of it
            boolean counts = own.need() != scores.get(0).need()
                    && ((own.need() == CustomerNeed.QUESTION || own.need().acts()) && own.probability() >= SENTENCE_NEED
                    || own.need().forAPerson() && own.probability() >= SURE_SENTENCE);
            if (counts && also.stream().noneMatch(score -> score.need() == own.need())) {
                also.add(own);
            }
        }
        return new Understood(scores, intents.labels().get(bestIntent), round(intent[bestIntent]), also, each).clearer();
    }

    /**
     * A sentence's own need; when the sentence asks for something and holds data ("Please refund the $40 call-out
     * fee, order [data]"), the data it gives is part of the request, not a need beside it, so "gives data" is ruled out.
     */
    static NeedScore withoutItsData(String sentence, List<NeedScore> scores) {
        NeedScore first = scores.get(0);
        boolean asks = first.need().acts() || first.need().forAPerson() || first.need() == CustomerNeed.QUESTION;
        if (!asks || !sentence.contains(DATA_PLACEHOLDER)) {
            return first;
        }
        double data = scores.stream().filter(score -> score.need() == CustomerNeed.GIVES_DATA)
                .mapToDouble(NeedScore::probability).sum();
        return data >= 1 ? first : new NeedScore(first.need(), round(first.probability() / (1 - data)));
    }

    /**
     * A question about a sensitive action ("Can I cancel at any time?") that the classifier reads as the action, unsurely
     * and with a question at least half as likely behind, is a question: the admin is not asked to approve what nobody requested.
     */
    static List<NeedScore> askedAbout(String message, List<NeedScore> scores) {
        NeedScore first = scores.get(0);
        boolean sensitive = first.need().sensitive();
        boolean questionShaped = questionShaped(message);
        NeedScore second = scores.get(1);
        if (!sensitive || !questionShaped || first.probability() >= SURE || second.need() != CustomerNeed.QUESTION
                || second.probability() < first.probability() / 2) {
            return scores;
        }
        List<NeedScore> reordered = new ArrayList<>(scores);
        reordered.set(0, second);
        reordered.set(1, first);
        return reordered;
    }

    /** A message that asks: it ends with a question mark or holds an opening one. */
    static boolean questionShaped(String message) {
        return message.strip().endsWith("?") || message.contains("¿");
    }

    /**
     * The intents' probabilities for a message's features: the intent model's times how often each intent goes with
     * the needs read (need → intent → share), scaled to sum to one. The fit measures the intents the same way.
     */
    public static double[] weighedIntents(SoftmaxModel needs, SoftmaxModel intents,
                                          Map<String, Map<String, Double>> intentGivenNeed, double[] features) {
        double[] needProbabilities = needs.probabilities(features);
        double[] intent = intents.probabilities(features);
        double total = 0;
        for (int i = 0; i < intent.length; i++) {
            double prior = 0;
            for (int k = 0; k < needProbabilities.length; k++) {
                prior += needProbabilities[k] * intentGivenNeed.getOrDefault(needs.labels().get(k), Map.of())
                        .getOrDefault(intents.labels().get(i), 1.0 / intent.length);
            }
            intent[i] *= prior;
            total += intent[i];
        }
        for (int i = 0; i < intent.length; i++) {
            intent[i] /= total;
        }
        return intent;
    }

    private List<NeedScore> ranked(double[] probabilities) {
        List<NeedScore> scores = new ArrayList<>();
        for (int k = 0; k < probabilities.length; k++) {
            scores.add(new NeedScore(CustomerNeed.of(needs.labels().get(k)), round(probabilities[k])));
        }
        scores.sort(Comparator.comparingDouble(NeedScore::probability).reversed());
        return scores;
    }

    private static double round(double value) {
        return Math.round(value * 10_000) / 10_000.0;
    }
}
