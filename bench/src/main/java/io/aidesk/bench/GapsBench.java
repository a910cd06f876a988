package io.aidesk.bench;

import io.aidesk.gateway.clustering.QuestionClusters;
import io.aidesk.gateway.clustering.QuestionClusters.PairScore;
import io.aidesk.gateway.embedding.OfflineEmbeddingModel;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * ./aidesk bench gaps: how well content gaps group paraphrases of one question and keep near misses apart. Per
 * language (gaps never mix languages), the clustering threshold with the best pairwise F1 on the tuning half of
 * bench/src/main/resources/gaps/questions.tsv is shown beside the one in the code, and both halves are reported at
 * the code's: the held-out half's questions and domains were never tuned on.
 */
final class GapsBench {
    private record Question(String split, String group, String language, String text) {
    }

    private GapsBench() {
    }

    static void run(String[] args) throws IOException {
        List<Question> questions = load();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            OfflineEmbeddingModel model = new OfflineEmbeddingModel(pool);
            Map<Question, float[]> vectors = new HashMap<>();
            long started = System.nanoTime();
            questions.forEach(q -> vectors.put(q, model.embedQuery(q.text())));
            System.out.printf("%d questions (%d groups) embedded with %s in %d ms%n", questions.size(),
                    questions.stream().map(Question::group).distinct().count(), model.name(),
                    (System.nanoTime() - started) / 1_000_000);
            for (String language : List.of("en", "es")) {
                double best = 0;
                double bestF1 = -1;
                for (int step = 50; step <= 95; step++) {
                    PairScore score = score(questions, vectors, "tune", language, step / 100.0);
                    if (score.f1() > bestF1) {
                        bestF1 = score.f1();
                        best = step / 100.0;
                    }
                }
                System.out.printf("%s: best on the tuning half %.2f (F1 %.3f); the code's %.2f%n", language, best,
                        bestF1, QuestionClusters.threshold(language));
                for (String split : List.of("tune", "held")) {
                    double threshold = QuestionClusters.threshold(language);
                    PairScore score = score(questions, vectors, split, language, threshold);
                    List<Question> chosen = subset(questions, split, language);
                    long found = Arrays.stream(predicted(chosen, vectors, threshold)).distinct().count();
                    System.out.printf("  %-4s %3d questions, %2d groups: precision %.3f recall %.3f F1 %.3f, %d groups"
                                    + " found%n", split, chosen.size(), chosen.stream().map(Question::group).distinct()
                                    .count(), score.precision(), score.recall(), score.f1(), found);
                }
            }
        } finally {
            pool.shutdown();
        }
    }

    private static List<Question> subset(List<Question> questions, String split, String language) {
        return questions.stream().filter(q -> q.split().equals(split) && q.language().equals(language)).toList();
    }

    private static int[] predicted(List<Question> chosen, Map<Question, float[]> vectors, double threshold) {
        return QuestionClusters.group(chosen.stream().map(vectors::get).toList(), threshold);
    }

    private static PairScore score(List<Question> questions, Map<Question, float[]> vectors, String split,
                                   String language, double threshold) {
        List<Question> chosen = subset(questions, split, language);
        List<String> names = chosen.stream().map(Question::group).distinct().toList();
        int[] truth = chosen.stream().mapToInt(q -> names.indexOf(q.group())).toArray();
        return QuestionClusters.score(predicted(chosen, vectors, threshold), truth);
    }

    private static List<Question> load() throws IOException {
        List<Question> questions = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(Objects.requireNonNull(
                GapsBench.class.getResourceAsStream("/gaps/questions.tsv")), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] parts = line.split("\t");
                questions.add(new Question(parts[0], parts[1], parts[2], parts[3]));
            }
        }
        return questions;
    }
}
