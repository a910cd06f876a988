package io.aidesk.gateway.decision.offline;

import io.aidesk.gateway.decision.DecisionRequest.Evidence;
import io.aidesk.gateway.embedding.EmbeddingModel;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Picks the sentence that answers: every sentence of the best passages is embedded with the same offline model as the
 * question (batched, and cached per chunk, since a chunk's text never changes) and ranked by its similarity to the
 * question, the rarity-weighted share of the question's words it holds, and whether it holds the kind of value asked
 * for. Reports the evidence's features for the confidence.
 */
final class Answerer {
    /** Passages whose sentences compete for the answer. */
    static final int PASSAGES = 3;
    static final int SENTENCES_PER_PASSAGE = 30;
    /** Weights of a sentence's score beside its similarity (tuned on the eval's tuning half). */
    static final double TERMS_WEIGHT = 0.2;
    static final double VALUE_WEIGHT = 0.03;
    static final double FIRST_PASSAGE_WEIGHT = 0.02;
    /** A chosen sentence shorter than this (a command, a list item's head) takes the sentence after it along. */
    static final int SHORT_SENTENCE = 60;
    static final int CONTEXT_LENGTH = 120;
    static final int CACHED_CHUNKS = 4096;

    /** Words that ask for a particular value: a number, a name, a place, a setting. */
    private static final Pattern ASKS_FOR_A_VALUE = Pattern.compile("\\b(what|which|how\\s+(many|much|long|often|big|large|old)|"
            + "default|where|when|name|number|port|size|limit|version|path|file|command|option|setting|variable|key|value|"
            + "qu[eé]|cu[aá]l(es)?|cu[aá]nt[oa]s?|d[oó]nde|cu[aá]ndo|defecto|predeterminad\\w*|nombre|n[uú]mero|puerto|"
            + "tama[nñ]o|l[ií]mite|versi[oó]n|ruta|archivo|fichero|comando|orden|opci[oó]n|variable|valor)\\b",
            Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    /** What a value looks like in documentation: digits, options, paths, dotted keys, variables, quoted or code words. */
    private static final Pattern HOLDS_A_VALUE = Pattern.compile("\\d|(^|\\s)--?[a-zA-Z]|\\w/\\w|(^|\\s)/\\w|\\w\\.\\w|\\$\\w|"
            + "\\w_\\w|[\"“«'‘`][^\"”»'’`]{1,40}[\"”»'’`]|\\b[A-Z]{2,}\\b|\\w\\(\\d\\)");

    private final EmbeddingModel embeddings;
    private final Map<String, float[][]> cache = Collections.synchronizedMap(new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, float[][]> eldest) {
            return size() > CACHED_CHUNKS;
        }
    });

    Answerer(EmbeddingModel embeddings) {
        this.embeddings = embeddings;
    }

    /** The chosen sentences with the chunks they come from, and the features of the evidence behind them. */
    record Answer(List<String> sentences, List<String> chunkIds, Map<String, Double> features) {
    }

    private record Candidate(int passage, int index, String text, double similarity, double terms, boolean value,
                             double score) {
    }

    Answer answer(String question, List<Evidence> evidence, Map<String, Double> termWeights) {
        if (evidence.isEmpty()) {
            Map<String, Double> none = new LinkedHashMap<>();
            Features.NAMES.forEach(name -> none.put(name, 0.0));
            return new Answer(List.of(), List.of(), none);
        }
        Map<String, Double> weights = weights(question, termWeights);
        boolean asksValue = ASKS_FOR_A_VALUE.matcher(question).find();
        List<Evidence> passages = evidence.subList(0, Math.min(PASSAGES, evidence.size()));
        List<List<String>> sentences = passages.stream().map(Answerer::sentences).toList();
        List<float[][]> vectors = vectors(passages, sentences);
        float[] asked = embeddings.embedQuery(question);

        Candidate best = null;
        Map<Integer, List<Candidate>> byPassage = new HashMap<>();
        for (int p = 0; p < passages.size(); p++) {
            String context = passages.get(p).context() == null ? "" : passages.get(p).context();
            for (int i = 0; i < sentences.get(p).size(); i++) {
                String sentence = sentences.get(p).get(i);
                double similarity = cosine(asked, vectors.get(p)[i]);
                double terms = coverage(weights, sentence + " " + context);
                boolean value = HOLDS_A_VALUE.matcher(sentence).find();
                double score = similarity + TERMS_WEIGHT * terms + (asksValue && value ? VALUE_WEIGHT : 0)
                        + (p == 0 ? FIRST_PASSAGE_WEIGHT : 0);
                Candidate candidate = new Candidate(p, i, sentence, similarity, terms, value, score);
                byPassage.computeIfAbsent(p, k -> new ArrayList<>()).add(candidate);
                if (best == null || score > best.score()) {
                    best = candidate;
                }
            }
        }
        if (best == null) {
            return new Answer(List.of(), List.of(), features(evidence, 0, null, 0, asksValue));
        }
        List<String> chosen = new ArrayList<>(List.of(best.text()));
        List<String> passageSentences = sentences.get(best.passage());
        if ((best.text().length() < SHORT_SENTENCE || best.text().endsWith(":"))
                && best.index() + 1 < passageSentences.size()) {
            chosen.add(passageSentences.get(best.index() + 1));
        }
        Evidence source = passages.get(best.passage());
        double chosenTerms = coverage(weights, String.join(" ", chosen) + " " + (source.context() == null ? "" : source.context()));
        boolean holdsValue = chosen.stream().anyMatch(sentence -> HOLDS_A_VALUE.matcher(sentence).find());
        Map<String, Double> features = features(evidence, best.passage(), best, chosenTerms, asksValue && !holdsValue);
        return new Answer(chosen, List.of(source.chunkId()), features);
    }

    private static Map<String, Double> features(List<Evidence> evidence, int passage, Candidate best, double terms,
                                                boolean valueMissing) {
        Evidence source = evidence.get(passage);
        double otherPage = evidence.stream().filter(e -> !samePage(e, source)).mapToDouble(Evidence::relevance)
                .max().orElse(evidence.get(evidence.size() - 1).relevance() - 0.1);
        List<Evidence> top = evidence.subList(0, Math.min(3, evidence.size()));
        Map<String, Double> features = new LinkedHashMap<>();
        features.put(Features.PASSAGE_SIMILARITY, round(source.score()));
        features.put(Features.SENTENCE_SIMILARITY, round(best == null ? 0 : best.similarity()));
        features.put(Features.PASSAGE_TERMS, round(source.lexical()));
        features.put(Features.SENTENCE_TERMS, round(terms));
        features.put(Features.RELEVANCE_MARGIN, round(Math.max(0, source.relevance() - otherPage)));
        features.put(Features.RETRIEVERS_AGREE, (top(source.vectorRank()) ? 0.5 : 0) + (top(source.lexicalRank()) ? 0.5 : 0));
        features.put(Features.HOLDS_ASKED_VALUE, valueMissing ? 0.0 : 1.0);
        features.put(Features.PAGE_AGREEMENT, round(top.stream().filter(e -> samePage(e, source)).count() / (double) top.size()));
        return features;
    }

    private static boolean top(int rank) {
        return rank > 0 && rank <= 5;
    }

    private static boolean samePage(Evidence a, Evidence b) {
        return a.url() != null ? a.url().equals(b.url()) : a.documentId() != null && a.documentId().equals(b.documentId());
    }

    /** A passage's sentences, each once, at most SENTENCES_PER_PASSAGE. */
    private static List<String> sentences(Evidence passage) {
        List<String> all = new ArrayList<>(new LinkedHashSet<>(Text.sentences(passage.content())));
        return all.size() > SENTENCES_PER_PASSAGE ? all.subList(0, SENTENCES_PER_PASSAGE) : all;
    }

    /** Each passage's sentence vectors, from the cache or embedded in one batch for all the passages missing there. */
    private List<float[][]> vectors(List<Evidence> passages, List<List<String>> sentences) {
        List<float[][]> vectors = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        List<Integer> missing = new ArrayList<>();
        for (int p = 0; p < passages.size(); p++) {
            float[][] cached = cache.get(key(passages.get(p)));
            vectors.add(cached != null && cached.length == sentences.get(p).size() ? cached : null);
            if (vectors.get(p) == null) {
                missing.add(p);
                String context = context(passages.get(p));
                sentences.get(p).forEach(sentence -> texts.add(context + sentence));
            }
        }
        if (!missing.isEmpty()) {
            List<float[]> embedded = embeddings.embedDocuments(texts);
            int next = 0;
            for (int p : missing) {
                float[][] passageVectors = new float[sentences.get(p).size()][];
                for (int i = 0; i < passageVectors.length; i++) {
                    passageVectors[i] = embedded.get(next++);
                }
                vectors.set(p, passageVectors);
                cache.put(key(passages.get(p)), passageVectors);
            }
        }
        return vectors;
    }

    /** A chunk's text never changes under its id, so its sentence vectors are cached under id, model and length. */
    private String key(Evidence passage) {
        return passage.chunkId() + "|" + embeddings.name() + "|" + passage.content().length();
    }

    /** A sentence is embedded under its page title and headings, so "The default is 7." still says of what. */
    private static String context(Evidence passage) {
        String context = passage.context() == null ? "" : passage.context().strip();
        if (context.length() > CONTEXT_LENGTH) {
            context = context.substring(context.length() - CONTEXT_LENGTH);
        }
        return context.isEmpty() ? "" : context + ": ";
    }

    /** The question's words with their weights: the search's rarities, or equal weights when it gave none. */
    private static Map<String, Double> weights(String question, Map<String, Double> termWeights) {
        Map<String, Double> weights = new LinkedHashMap<>();
        if (termWeights.isEmpty()) {
            Text.contentWords(question).forEach(stem -> weights.put(stem, 1.0));
            return weights;
        }
        termWeights.forEach((word, weight) -> {
            Set<String> stems = Text.contentWords(word);
            stems.forEach(stem -> weights.merge(stem, weight, Math::max));
        });
        return weights;
    }

    /** The weighted share of the question's words the text holds. */
    private static double coverage(Map<String, Double> weights, String text) {
        double total = weights.values().stream().mapToDouble(Double::doubleValue).sum();
        if (total == 0) {
            return 0;
        }
        Set<String> found = Text.contentWords(text);
        double held = weights.entrySet().stream().filter(e -> found.contains(e.getKey())).mapToDouble(Map.Entry::getValue).sum();
        return held / total;
    }

    static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return na == 0 || nb == 0 ? 0 : dot / Math.sqrt(na * nb);
    }

    private static double round(double value) {
        return Math.round(value * 10_000) / 10_000.0;
    }
}
