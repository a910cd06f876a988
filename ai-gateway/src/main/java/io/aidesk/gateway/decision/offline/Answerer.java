package io.aidesk.gateway.decision.offline;

import io.aidesk.gateway.decision.DecisionRequest.Evidence;
import io.aidesk.gateway.embedding.EmbeddingModel;
import io.aidesk.gateway.language.Language;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
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
    static final int PASSAGES = 4;
    static final int SENTENCES_PER_PASSAGE = 40;
    /**
     * Sentences embedded per question, the best by the cheap signals (the question's rare words, a value); the model
     * takes about 20 ms a sentence on two cores, so this bounds a draft's latency.
     */
    static final int EMBEDDED = 10;
    /**
     * Weights of a sentence's score beside its similarity (tuned on the eval's tuning half); the question's words count
     * more in Spanish, where the English-only embedding model is weaker.
     */
    static final double TERMS_WEIGHT = 0.2;
    static final double TERMS_WEIGHT_SPANISH = 0.35;
    static final double VALUE_WEIGHT = 0.03;
    static final double FIRST_PASSAGE_WEIGHT = 0.02;
    /** A chosen sentence shorter than this (a command, a list item's head) takes the sentence after it along. */
    static final int SHORT_SENTENCE = 60;
    /** A reply quotes at most this much: the chosen sentence and the neighbours that complete it. */
    static final int REPLY_LENGTH = 420;
    /** The lines after the chosen sentence are quoted too, until one states a value, while the reply stays this short. */
    static final int FOLLOW_LENGTH = 300;
    static final int CONTEXT_LENGTH = 60;
    static final int CACHED_SENTENCES = 50_000;
    /** A sentence opening with one of these words leans on the one before it. */
    private static final Pattern LEANS_BACK = Pattern.compile("^(this|these|that|those|it|its|they|such|here|"
            + "esto|este|esta|estos|estas|eso|esa|ese|ello|dicho|dicha|as[ií])\\b", Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);

    /** Words that ask for a particular value: a number, a name, a place, a setting. */
    private static final Pattern ASKS_FOR_A_VALUE = Pattern.compile("\\b(what|which|how\\s+(many|much|long|often|big|large|old)|"
            + "default|where|when|name|number|port|size|limit|version|path|file|command|option|setting|variable|key|value|"
            + "qu[eé]|cu[aá]l(es)?|cu[aá]nt[oa]s?|d[oó]nde|cu[aá]ndo|defecto|predeterminad\\w*|nombre|n[uú]mero|puerto|"
            + "tama[nñ]o|l[ií]mite|versi[oó]n|ruta|archivo|fichero|comando|orden|opci[oó]n|variable|valor)\\b",
            Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    /** Words that ask for a number: how many, how long, a default, a limit, a port, a size, a version. */
    private static final Pattern ASKS_FOR_A_NUMBER = Pattern.compile("\\b(how\\s+(many|much|long|often|big|large|old|far|fast)|"
            + "default|limit|maximum|minimum|port|size|version|number|cu[aá]nt[oa]s?|defecto|predeterminad\\w*|l[ií]mite|"
            + "m[aá]xim[oa]|m[ií]nim[oa]|puerto|tama[nñ]o|versi[oó]n|n[uú]mero)\\b", Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    private static final Pattern DIGIT = Pattern.compile("\\d");
    /** A sentence that announces what comes next: a command, a list, a setting shown below it. */
    private static final Pattern INTRODUCES = Pattern.compile("(:\\s*$|\\b(as follows|the following|following|below|"
            + "like this|for example|e\\.g\\.|como sigue|lo siguiente|siguientes?|a continuaci[oó]n|por ejemplo)\\b)",
            Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    /** What a value looks like in documentation: digits, options, paths, dotted keys, variables, quoted or code words. */
    private static final Pattern HOLDS_A_VALUE = Pattern.compile("\\d|(^|\\s)--?[a-zA-Z]|\\w/\\w|(^|\\s)/\\w|\\w\\.\\w|\\$\\w|"
            + "\\w_\\w|[\"“«'‘`][^\"”»'’`]{1,40}[\"”»'’`]|\\b[A-Z]{2,}\\b|\\w\\(\\d\\)");

    private final EmbeddingModel embeddings;
    private final Map<String, float[]> cache = Collections.synchronizedMap(new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, float[]> eldest) {
            return size() > CACHED_SENTENCES;
        }
    });

    Answerer(EmbeddingModel embeddings) {
        this.embeddings = embeddings;
    }

    /** The chosen sentences with the chunks they come from, and the features of the evidence behind them. */
    record Answer(List<String> sentences, List<String> chunkIds, Map<String, Double> features) {
    }

    /** A sentence of a passage: which passage, which line of it and where in the passage. */
    private record Sentence(int passage, int index, int line, String text) {
    }

    private record Candidate(Sentence sentence, double similarity, double score) {
    }

    Answer answer(String question, List<Evidence> evidence, Map<String, Double> termWeights) {
        if (evidence.isEmpty()) {
            Map<String, Double> none = new LinkedHashMap<>();
            Features.NAMES.forEach(name -> none.put(name, 0.0));
            return new Answer(List.of(), List.of(), none);
        }
        Map<String, Double> weights = weights(question, termWeights);
        boolean asksValue = ASKS_FOR_A_VALUE.matcher(question).find();
        double termsWeight = Language.SPANISH.equals(Language.of(question)) ? TERMS_WEIGHT_SPANISH : TERMS_WEIGHT;
        List<Evidence> passages = evidence.subList(0, Math.min(PASSAGES, evidence.size()));
        List<List<Sentence>> sentences = new ArrayList<>();
        for (int p = 0; p < passages.size(); p++) {
            sentences.add(sentences(p, passages.get(p)));
        }
        // the cheap signals choose which sentences are worth embedding
        List<Sentence> shortlist = sentences.stream().flatMap(List::stream)
                .sorted(Comparator.comparingDouble((Sentence sentence) -> -cheapScore(sentence, passages, weights, asksValue)))
                .limit(EMBEDDED).toList();
        if (shortlist.isEmpty()) {
            return new Answer(List.of(), List.of(), features(evidence, 0, null, 0, asksValue));
        }
        List<float[]> vectors = vectors(passages, shortlist);
        float[] asked = embeddings.embedQuery(question);

        Candidate best = null;
        for (int i = 0; i < shortlist.size(); i++) {
            Sentence sentence = shortlist.get(i);
            double similarity = Vectors.cosine(asked, vectors.get(i));
            double terms = coverage(weights, sentence.text() + " " + context(passages.get(sentence.passage())));
            boolean value = HOLDS_A_VALUE.matcher(sentence.text()).find();
            double score = similarity + termsWeight * terms + (asksValue && value ? VALUE_WEIGHT : 0)
                    + (sentence.passage() == 0 ? FIRST_PASSAGE_WEIGHT : 0);
            if (best == null || score > best.score()) {
                best = new Candidate(sentence, similarity, score);
            }
        }
        List<String> chosen = window(best.sentence(), sentences.get(best.sentence().passage()),
                ASKS_FOR_A_NUMBER.matcher(question).find());
        Evidence source = passages.get(best.sentence().passage());
        double chosenTerms = coverage(weights, String.join(" ", chosen) + " " + context(source));
        boolean holdsValue = chosen.stream().anyMatch(sentence -> HOLDS_A_VALUE.matcher(sentence).find());
        Map<String, Double> features = features(evidence, best.sentence().passage(), best, chosenTerms,
                asksValue && !holdsValue);
        return new Answer(chosen, List.of(source.chunkId()), features);
    }

    /** What the sentence's rare words and values promise before it is embedded. */
    private static double cheapScore(Sentence sentence, List<Evidence> passages, Map<String, Double> weights,
                                     boolean asksValue) {
        double terms = coverage(weights, sentence.text() + " " + context(passages.get(sentence.passage())));
        boolean value = asksValue && HOLDS_A_VALUE.matcher(sentence.text()).find();
        return terms + (value ? 0.1 : 0) - 0.05 * sentence.passage() - 0.001 * sentence.index();
    }

    /**
     * The chosen sentence with what completes it: the sentence before when it leans on it ("This is the default…");
     * the one after when the chosen one is short or announces it ("as follows", a colon), when it leans on the chosen
     * one, when a number is asked and only the next sentence of the paragraph holds one, or when the chosen sentence
     * holds no value and the next line (a command, a setting, a table row) does; then, while the reply holds no value
     * yet, the lines after it within FOLLOW_LENGTH, since documentation states a value just after the sentence naming it.
     */
    private static List<String> window(Sentence best, List<Sentence> passage, boolean asksNumber) {
        List<String> chosen = new ArrayList<>(List.of(best.text()));
        int length = best.text().length();
        if (best.index() > 0 && LEANS_BACK.matcher(best.text()).find()) {
            Sentence before = passage.get(best.index() - 1);
            if (length + before.text().length() <= REPLY_LENGTH) {
                chosen.add(0, before.text());
                length += before.text().length();
            }
        }
        int next = best.index() + 1;
        if (next < passage.size()) {
            Sentence after = passage.get(next);
            boolean sameParagraph = after.line() == best.line();
            boolean completes = best.text().length() < SHORT_SENTENCE || INTRODUCES.matcher(best.text()).find()
                    || sameParagraph && LEANS_BACK.matcher(after.text()).find()
                    || sameParagraph && asksNumber && !DIGIT.matcher(best.text()).find() && DIGIT.matcher(after.text()).find()
                    // a sentence followed by its command, setting or table row: the line after holds the value
                    || !sameParagraph && !HOLDS_A_VALUE.matcher(best.text()).find() && HOLDS_A_VALUE.matcher(after.text()).find();
            if (completes && length + after.text().length() <= REPLY_LENGTH) {
                chosen.add(after.text());
                length += after.text().length();
                next++;
            }
        }
        // once the reply states a value, the lines after it are about something else (the next setting, another case)
        for (; next < passage.size() && length + passage.get(next).text().length() <= FOLLOW_LENGTH
                && chosen.stream().noneMatch(line -> HOLDS_A_VALUE.matcher(line).find()); next++) {
            chosen.add(passage.get(next).text());
            length += passage.get(next).text().length();
        }
        return chosen;
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

    /** A passage's sentences in order, each once, at most SENTENCES_PER_PASSAGE. */
    private static List<Sentence> sentences(int passage, Evidence evidence) {
        List<Sentence> sentences = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        String[] lines = evidence.content().split("\\n+");
        for (int line = 0; line < lines.length && sentences.size() < SENTENCES_PER_PASSAGE; line++) {
            for (String text : Text.sentences(lines[line])) {
                if (seen.add(text) && sentences.size() < SENTENCES_PER_PASSAGE) {
                    sentences.add(new Sentence(passage, sentences.size(), line, text));
                }
            }
        }
        return sentences;
    }

    /** The shortlist's vectors, from the cache or embedded in one call for all the sentences missing there. */
    private List<float[]> vectors(List<Evidence> passages, List<Sentence> shortlist) {
        List<float[]> vectors = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        List<Integer> missing = new ArrayList<>();
        for (Sentence sentence : shortlist) {
            float[] cached = cache.get(key(passages.get(sentence.passage()), sentence));
            vectors.add(cached);
            if (cached == null) {
                missing.add(vectors.size() - 1);
                String heading = heading(passages.get(sentence.passage()));
                texts.add(heading.isEmpty() ? sentence.text() : heading + ": " + sentence.text());
            }
        }
        if (!missing.isEmpty()) {
            List<float[]> embedded = embeddings.embedDocuments(texts);
            for (int i = 0; i < missing.size(); i++) {
                int at = missing.get(i);
                vectors.set(at, embedded.get(i));
                Sentence sentence = shortlist.get(at);
                cache.put(key(passages.get(sentence.passage()), sentence), embedded.get(i));
            }
        }
        return vectors;
    }

    /** A chunk's text never changes under its id, so a sentence's vector is cached under chunk, model and text. */
    private String key(Evidence passage, Sentence sentence) {
        return passage.chunkId() + "|" + embeddings.name() + "|" + sentence.text().hashCode() + "|" + sentence.index();
    }

    /** The page title and heading path a passage sits under, whose words count for the question's too. */
    private static String context(Evidence passage) {
        return passage.context() == null ? "" : passage.context();
    }

    /** A sentence is embedded under its closest heading, so "The default is 7." still says of what. */
    private static String heading(Evidence passage) {
        String context = passage.context() == null ? "" : passage.context().strip();
        int last = context.lastIndexOf(" > ");
        String heading = last < 0 ? context : context.substring(last + 3);
        return heading.length() > CONTEXT_LENGTH ? heading.substring(0, CONTEXT_LENGTH) : heading;
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

    private static double round(double value) {
        return Math.round(value * 10_000) / 10_000.0;
    }
}
