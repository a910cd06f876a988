package io.aidesk.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aidesk.seed.DemoSite;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * The copilot against a labelled set (bench/src/main/resources/eval/questions.tsv): each question of the demo help
 * centers with the page that answers it, or "-" when nothing does. Ingests both demo sites as a tenant would, then
 * asks every question through /api/ai/kb/query (recall@5, MRR) and /api/ai/assist/draft-reply (citation precision,
 * answered and abstained shares).
 */
final class EvalBench {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final double THRESHOLD = 0.75;

    private EvalBench() {
    }

    private record Question(String site, String page, String text) {
        boolean answerable() {
            return !page.equals("-");
        }
    }

    /** Running totals for one group of questions. */
    private static final class Score {
        int answerable;
        int hitsAt5;
        double reciprocalRanks;
        int citations;
        int correctCitations;
        int answered;
        int unanswerable;
        int abstained;
        final List<Double> draftMs = new ArrayList<>();
    }

    static void run(String[] args) throws Exception {
        List<Question> questions = questions();
        Map<String, Score> scores = new LinkedHashMap<>();
        scores.put("all", new Score());
        List<String> misses = new ArrayList<>();
        try (BenchApp app = new BenchApp()) {
            for (String site : List.of("acme", "globex")) {
                try (DemoSite demo = new DemoSite(site)) {
                    String token = app.token("eval-" + site + "-" + UUID.randomUUID());
                    String sourceId = app.call("POST", "/api/ai/kb/sources", token, JSON.writeValueAsString(Map.of(
                            "type", "url", "url", demo.url(), "config", Map.of("max_pages", 50)))).path("id").asText();
                    JsonNode synced = app.awaitSync(token, sourceId, "");
                    System.out.printf("%s: %d documents, %d chunks%n", site, synced.path("stats").path("documents").asInt(),
                            synced.path("stats").path("chunks").asInt());
                    String conversation = app.call("POST", "/api/ai/conversations", token,
                            "{\"channel\": \"web\", \"contact_id\": \"eval\"}").path("id").asText();
                    for (Question question : questions.stream().filter(q -> q.site().equals(site)).toList()) {
                        Score score = scores.computeIfAbsent(site, s -> new Score());
                        ask(app, token, conversation, question, List.of(score, scores.get("all")), misses);
                    }
                }
            }
        }
        System.out.printf("%neval bench: %d questions (%d answerable), copilot threshold %.2f%n", questions.size(),
                questions.stream().filter(Question::answerable).count(), THRESHOLD);
        System.out.println("  set        recall@5   MRR     citation precision   answered   abstained   draft p50");
        scores.forEach((name, s) -> System.out.printf("  %-9s  %6.3f   %6.3f   %6.3f (%d/%d)       %5.3f      %s       %5.0f ms%n",
                name, ratio(s.hitsAt5, s.answerable), s.answerable == 0 ? 0 : s.reciprocalRanks / s.answerable,
                ratio(s.correctCitations, s.citations), s.correctCitations, s.citations, ratio(s.answered, s.answerable),
                s.unanswerable == 0 ? "  -  " : String.format("%d/%d", s.abstained, s.unanswerable),
                percentile(s.draftMs)));
        if (!misses.isEmpty()) {
            System.out.println("  not in the top 5:");
            misses.forEach(miss -> System.out.println("    " + miss));
        }
    }

    private static void ask(BenchApp app, String token, String conversation, Question question, List<Score> into,
                            List<String> misses) throws Exception {
        JsonNode found = app.call("POST", "/api/ai/kb/query", token,
                JSON.writeValueAsString(Map.of("query", question.text(), "top_k", 5)));
        int rank = 0;
        List<String> pages = new ArrayList<>();
        for (JsonNode chunk : found.path("chunks")) {
            pages.add(path(chunk.path("meta").path("page_url").asText()));
        }
        for (int i = 0; i < pages.size(); i++) {
            if (pages.get(i).equals(question.page())) {
                rank = i + 1;
                break;
            }
        }
        long started = System.nanoTime();
        JsonNode draft = app.call("POST", "/api/ai/assist/draft-reply", token,
                JSON.writeValueAsString(Map.of("conversation_id", conversation, "message", question.text())));
        double ms = (System.nanoTime() - started) / 1e6;
        boolean answered = draft.path("confidence").asDouble() >= THRESHOLD;
        for (Score score : into) {
            score.draftMs.add(ms);
            if (question.answerable()) {
                score.answerable++;
                if (rank > 0) {
                    score.hitsAt5++;
                    score.reciprocalRanks += 1.0 / rank;
                }
                for (JsonNode citation : draft.path("citations")) {
                    score.citations++;
                    if (path(citation.path("url").asText()).equals(question.page())) {
                        score.correctCitations++;
                    }
                }
                if (answered) {
                    score.answered++;
                }
            } else {
                score.unanswerable++;
                if (!answered) {
                    score.abstained++;
                }
            }
        }
        if (question.answerable() && rank == 0 && into.size() > 1) {
            misses.add(question.text() + " → " + pages);
        }
    }

    private static String path(String url) {
        try {
            return url.isEmpty() ? "" : Objects.requireNonNullElse(URI.create(url.replaceAll("#.*$", "")).getPath(), "");
        } catch (IllegalArgumentException e) {
            return url;
        }
    }

    private static List<Question> questions() throws Exception {
        List<Question> questions = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                Objects.requireNonNull(EvalBench.class.getResourceAsStream("/eval/questions.tsv")), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] fields = line.split("\t");
                questions.add(new Question(fields[0], fields[1], fields[2]));
            }
        }
        return questions;
    }

    private static double ratio(int part, int whole) {
        return whole == 0 ? 0 : (double) part / whole;
    }

    private static double percentile(List<Double> values) {
        if (values.isEmpty()) {
            return 0;
        }
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }
}
