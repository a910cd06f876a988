package io.aidesk.bench.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aidesk.bench.BenchApp;
import io.aidesk.seed.DemoSite;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The copilot against labelled questions on real documentation (bench/README.md, "eval"): each corpus is served on
 * loopback and synced into a tenant of its own as an admin would, then every question goes through
 * /api/ai/kb/query (recall@5, MRR by page) and /api/ai/assist/draft-reply (answered right, confidently wrong,
 * abstained, latency, the confidence's features). The tenants' own threshold is 0, so every draft quotes its best
 * answer and is judged right or wrong apart from its confidence; the report applies the threshold. Writes every draft to bench/target/eval-drafts.ndjson, which
 * `bench fit` fits the confidence on.
 */
public final class EvalBench {
    static final ObjectMapper JSON = new ObjectMapper();
    static final double THRESHOLD = 0.75;
    static final Path DRAFTS = Path.of("bench/target/eval-drafts.ndjson");

    private EvalBench() {
    }

    /** What one question got. */
    record Outcome(Question question, boolean aside, int rank, int factRank, double confidence, boolean right,
                   double draftMs, String reply, List<String> citedPages, JsonNode basis) {
        boolean confident() {
            return confidence >= THRESHOLD;
        }
    }

    public static void run(String[] args) throws Exception {
        List<String> names = option(args, "corpora").map(value -> Arrays.asList(value.split(",")))
                .orElse(List.of("acme", "globex", "git", "debref-en", "debref-es", "debian-faq", "maint-guide-es"));
        boolean reuse = Arrays.asList(args).contains("--reuse");
        // --split tune asks only the tuning half, for a quicker round while tuning
        String split = option(args, "split").orElse(null);
        List<Outcome> outcomes = new ArrayList<>();
        Map<String, String> sizes = new LinkedHashMap<>();
        List<Double> atScale = List.of();
        try (BenchApp app = new BenchApp()) {
            for (String name : names) {
                if (name.equals("acme") || name.equals("globex")) {
                    try (DemoSite demo = new DemoSite(name)) {
                        sizes.put(name, synced(app, "eval-" + name, demo.url(), Map.of("max_pages", 50), reuse));
                        outcomes.addAll(ask(app, "eval-" + name, only(Question.demo(name), split), false));
                    }
                    continue;
                }
                try (RealSite site = RealSite.serve(name)) {
                    sizes.put(name, synced(app, "eval-" + name, site.startUrl(), site.config(), reuse));
                    outcomes.addAll(ask(app, "eval-" + name, only(Question.corpus(name), split), site.aside()));
                }
            }
            if (!Arrays.asList(args).contains("--no-scale")) {
                atScale = Scale.draftLatencies(app, Question.corpus("git"));
            }
        }
        write(outcomes);
        Report.print(outcomes, sizes);
        if (!atScale.isEmpty()) {
            List<Double> sorted = atScale.stream().sorted().toList();
            System.out.printf("%n  draft latency in a tenant of %d+ chunks (%s, Git's questions): p50 %.0f ms, p95 %.0f ms%n",
                    Scale.CHUNKS, Scale.TENANT, Report.percentile(sorted, 0.5), Report.percentile(sorted, 0.95));
        }
    }

    private static List<Question> only(List<Question> questions, String split) {
        return split == null ? questions : questions.stream().filter(q -> q.split().equals(split)).toList();
    }

    private static List<Outcome> ask(BenchApp app, String tenant, List<Question> questions, boolean aside) {
        String token = app.token(tenant);
        // every draft answers with its best sentence and citation, so each is judged right or wrong whatever its
        // confidence; the report applies the threshold itself
        app.call("PUT", "/api/ai/settings", token, "{\"confidence_threshold\": 0}");
        String conversation = app.call("POST", "/api/ai/conversations", token,
                "{\"channel\": \"web\", \"contact_id\": \"eval\"}").path("id").asText();
        List<Outcome> outcomes = new ArrayList<>();
        for (Question question : questions) {
            // the draft first, so it finds nothing of this question in the caches a search would leave
            long started = System.nanoTime();
            JsonNode draft = app.call("POST", "/api/ai/assist/draft-reply", token,
                    json(Map.of("conversation_id", conversation, "message", question.text())));
            double ms = (System.nanoTime() - started) / 1e6;
            JsonNode found = app.call("POST", "/api/ai/kb/query", token, json(Map.of("query", question.text(), "top_k", 5)));
            int rank = 0;
            int factRank = 0;
            int position = 0;
            for (JsonNode chunk : found.path("chunks")) {
                position++;
                boolean answers = question.pages().contains(path(chunk.path("meta").path("page_url").asText()));
                if (rank == 0 && answers) {
                    rank = position;
                }
                // the answerer's ceiling: a passage of an answering page that holds the fact
                if (factRank == 0 && answers && question.holdsFact(chunk.path("content").asText())) {
                    factRank = position;
                }
            }
            List<String> cited = new ArrayList<>();
            draft.path("citations").forEach(citation -> cited.add(path(citation.path("url").asText())));
            String reply = draft.path("reply").asText();
            double confidence = draft.path("confidence").asDouble();
            outcomes.add(new Outcome(question, aside, rank, factRank, confidence, question.rightAnswer(cited, reply), ms, reply,
                    cited, draft.path("confidence_basis")));
        }
        return outcomes;
    }

    /**
     * The tenant's knowledge, synced from url; with reuse, a tenant that already has it (a database kept from an
     * earlier run) is not synced again. Answers "N documents, M chunks".
     */
    private static String synced(BenchApp app, String tenant, String url, Map<String, Object> config, boolean reuse)
            throws InterruptedException {
        String token = app.token(tenant);
        JsonNode existing = app.call("GET", "/api/ai/kb/sources", token, null);
        JsonNode source = null;
        for (JsonNode candidate : existing.path("items")) {
            if (reuse && candidate.path("stats").path("chunks").asInt() > 0) {
                source = candidate;
            } else {
                app.call("DELETE", "/api/ai/kb/sources/" + candidate.path("id").asText(), token, null);
            }
        }
        if (source == null) {
            long started = System.nanoTime();
            String id = app.call("POST", "/api/ai/kb/sources", token, json(Map.of("type", "url", "url", url,
                    "config", config))).path("id").asText();
            source = app.awaitSync(token, id, "");
            System.out.printf("%s: synced in %.1f s%n", tenant, (System.nanoTime() - started) / 1e9);
        }
        return source.path("stats").path("documents").asInt() + " documents, "
                + source.path("stats").path("chunks").asInt() + " chunks";
    }

    /** Every draft with its features and whether it was right, one JSON object a line, for `bench fit`. */
    private static void write(List<Outcome> outcomes) throws IOException {
        Files.createDirectories(DRAFTS.getParent());
        List<String> lines = new ArrayList<>();
        for (Outcome outcome : outcomes) {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("corpus", outcome.question().corpus());
            line.put("split", outcome.question().split());
            line.put("aside", outcome.aside());
            line.put("answerable", outcome.question().answerable());
            line.put("right", outcome.right());
            line.put("rank", outcome.rank());
            line.put("fact_rank", outcome.factRank());
            line.put("confidence", outcome.confidence());
            line.put("question", outcome.question().text());
            line.put("reply", outcome.reply());
            line.put("cited", outcome.citedPages());
            line.put("pages", outcome.question().pages());
            line.put("basis", outcome.basis());
            lines.add(json(line));
        }
        Files.write(DRAFTS, lines, StandardCharsets.UTF_8);
    }

    static String path(String url) {
        try {
            return url.isEmpty() ? "" : Objects.requireNonNullElse(URI.create(url.replaceAll("#.*$", "")).getPath(), "");
        } catch (IllegalArgumentException e) {
            return url;
        }
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static java.util.Optional<String> option(String[] args, String name) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals("--" + name)) {
                return java.util.Optional.of(args[i + 1]);
            }
        }
        return java.util.Optional.empty();
    }
}
