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
import java.util.List;

/**
 * What a customer's message asks for (a question, a problem, a cancellation…) and its intent (support, sales, billing,
 * other): two softmax models over {@link MessageFeatures}, fitted by `./aidesk bench understand` on the labelled
 * messages in bench/src/main/resources/understanding and kept as a reviewed resource
 * (offline/understanding-model.json). A message of a few sentences is read sentence by sentence too, so that a
 * question beside a problem report is not lost.
 */
public final class Understanding {
    public static final String RESOURCE = "/offline/understanding-model.json";
    /** A sentence's own need counts beside the message's when the classifier is at least this sure of it. */
    static final double SENTENCE_NEED = 0.6;
    /** Messages of more sentences than this are read as a whole only (a long story has one request). */
    static final int MAX_SENTENCES = 4;

    private final EmbeddingModel embeddings;
    private final String name;
    private final SoftmaxModel needs;
    private final SoftmaxModel intents;

    public Understanding(EmbeddingModel embeddings, String name, SoftmaxModel needs, SoftmaxModel intents) {
        this.embeddings = embeddings;
        this.name = name;
        this.needs = needs;
        this.intents = intents;
        needs.labels().forEach(CustomerNeed::of);
    }

    public static Understanding load(EmbeddingModel embeddings) {
        try (InputStream in = Understanding.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the offline model");
            }
            JsonNode json = new ObjectMapper().readTree(in);
            int size = MessageFeatures.size(embeddings.dimension());
            return new Understanding(embeddings, json.path("name").asText(), model(json.path("need"), size),
                    model(json.path("intent"), size));
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
     */
    public record Understood(List<NeedScore> needs, String intent, double intentConfidence, List<NeedScore> alsoAsked) {
        public CustomerNeed need() {
            return needs.get(0).need();
        }

        public double confidence() {
            return needs.get(0).probability();
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
        List<String> texts = new ArrayList<>(List.of(message));
        List<String> sentences = Text.sentences(message);
        if (sentences.size() > 1 && sentences.size() <= MAX_SENTENCES) {
            texts.addAll(sentences);
        }
        List<float[]> vectors = embeddings.embedDocuments(texts);
        double[] whole = MessageFeatures.of(message, vectors.get(0));
        List<NeedScore> scores = ranked(needs.probabilities(whole));
        double[] intent = intents.probabilities(whole);
        int bestIntent = 0;
        for (int k = 1; k < intent.length; k++) {
            bestIntent = intent[k] > intent[bestIntent] ? k : bestIntent;
        }
        List<NeedScore> also = new ArrayList<>();
        for (int i = 1; i < texts.size(); i++) {
            NeedScore own = ranked(needs.probabilities(MessageFeatures.of(texts.get(i), vectors.get(i)))).get(0);
            boolean counts = own.probability() >= SENTENCE_NEED && own.need() != scores.get(0).need()
                    && (own.need() == CustomerNeed.QUESTION || own.need().acts() || own.need().forAPerson());
            if (counts && also.stream().noneMatch(score -> score.need() == own.need())) {
                also.add(own);
            }
        }
        return new Understood(scores, intents.labels().get(bestIntent), round(intent[bestIntent]), also);
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
