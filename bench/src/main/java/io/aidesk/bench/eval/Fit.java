package io.aidesk.bench.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aidesk.gateway.decision.offline.Features;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * `./aidesk bench fit`: fits the offline confidence (a logistic model over the evidence's features, weights kept
 * non-negative so better evidence never lowers it) on the tuning half of the last `bench eval`'s drafts, real corpora
 * and demo alike, never the held-out half or the aside corpora, and writes it where the offline model loads it.
 */
public final class Fit {
    static final Path CALIBRATION = Path.of("ai-gateway/src/main/resources/offline/confidence-calibration.json");
    /** The drafts' features and labels, kept beside the calibration so a test can check it reproduces its figures. */
    static final Path DRAFTS_KEPT = Path.of("ai-gateway/src/test/resources/offline/calibration-drafts.ndjson");
    static final double THRESHOLD = EvalBench.THRESHOLD;
    static final List<String> FEATURES = Features.NAMES;
    private static final double L2 = 0.01;
    /** What the threshold must mean on the tuning half: the share right of what it lets through, and of the unanswerable what it holds back. */
    static final double PRECISION = 0.90;
    static final double KEPT_BELOW = 0.95;
    private static final int STEPS = 20_000;
    private static final double RATE = 0.5;

    private Fit() {
    }

    public static void run(String[] args) throws Exception {
        List<double[]> rows = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        List<Boolean> answerable = new ArrayList<>();
        List<String> kept = new ArrayList<>();
        List<JsonNode> all = new ArrayList<>();
        for (String line : Files.readAllLines(EvalBench.DRAFTS, StandardCharsets.UTF_8)) {
            JsonNode draft = EvalBench.JSON.readTree(line);
            JsonNode features = draft.path("basis").path("features");
            if (features.isMissingNode() || features.isEmpty()) {
                continue;
            }
            ObjectNode slim = EvalBench.JSON.createObjectNode();
            slim.put("set", draft.path("aside").asBoolean() ? "aside" : draft.path("split").asText());
            slim.put("answerable", draft.path("answerable").asBoolean());
            slim.put("right", draft.path("right").asBoolean());
            slim.set("features", features);
            kept.add(EvalBench.JSON.writeValueAsString(slim));
            all.add(slim);
            if (!draft.path("split").asText().equals(Question.TUNE) || draft.path("aside").asBoolean()) {
                continue;
            }
            double[] row = new double[FEATURES.size()];
            for (int i = 0; i < row.length; i++) {
                row[i] = features.path(FEATURES.get(i)).asDouble();
            }
            rows.add(row);
            labels.add(draft.path("right").asBoolean() ? 1 : 0);
            answerable.add(draft.path("answerable").asBoolean());
        }
        if (rows.size() < 50) {
            throw new IllegalStateException("only " + rows.size() + " tuning drafts in " + EvalBench.DRAFTS
                    + ": run ./aidesk bench eval first");
        }
        double[] weights = new double[FEATURES.size()];
        double bias = 0;
        int n = rows.size();
        // projected gradient descent on the mean log loss with a small L2 penalty; weights clipped at zero
        for (int step = 0; step < STEPS; step++) {
            double[] gradient = new double[weights.length];
            double biasGradient = 0;
            for (int r = 0; r < n; r++) {
                double error = sigmoid(bias + dot(weights, rows.get(r))) - labels.get(r);
                for (int i = 0; i < weights.length; i++) {
                    gradient[i] += error * rows.get(r)[i] / n;
                }
                biasGradient += error / n;
            }
            for (int i = 0; i < weights.length; i++) {
                weights[i] = Math.max(0, weights[i] - RATE * (gradient[i] + L2 * weights[i]));
            }
            bias -= RATE * biasGradient;
        }
        // the bias moves so that the tuning half's drafts at or above the threshold are at least
        // PRECISION right and its unanswerable questions at least KEPT_BELOW below it, whichever needs the higher score
        double needed = neededScore(rows, labels, answerable, weights, bias);
        double shift = logit(THRESHOLD) - needed;
        bias += shift;
        // the figures below are computed with the weights as written, so the test that reloads them gets the same
        bias = Math.round(bias * 10_000) / 10_000.0;
        for (int i = 0; i < weights.length; i++) {
            weights[i] = Math.round(weights[i] * 10_000) / 10_000.0;
        }
        double loss = 0;
        for (int r = 0; r < n; r++) {
            double p = sigmoid(bias + dot(weights, rows.get(r)));
            loss -= labels.get(r) == 1 ? Math.log(Math.max(p, 1e-12)) : Math.log(Math.max(1 - p, 1e-12));
        }
        long positives = labels.stream().filter(label -> label == 1).count();
        ObjectNode out = EvalBench.JSON.createObjectNode();
        out.put("name", "logistic-" + LocalDate.now());
        out.put("fitted_on", n + " tuning drafts of ./aidesk bench eval (" + positives + " right), real corpora and demo");
        out.put("log_loss", Math.round(loss / n * 10_000) / 10_000.0);
        out.put("bias_shift", Math.round(shift * 10_000) / 10_000.0);
        out.put("bias_shift_reason", "the tuning half's drafts at or above " + THRESHOLD + " are at least " + PRECISION
                + " right and its unanswerable questions at least " + KEPT_BELOW + " below it");
        out.put("bias", Math.round(bias * 10_000) / 10_000.0);
        ObjectNode weightsNode = out.putObject("weights");
        Map<String, Double> printed = new LinkedHashMap<>();
        for (int i = 0; i < weights.length; i++) {
            weightsNode.put(FEATURES.get(i), Math.round(weights[i] * 10_000) / 10_000.0);
            printed.put(FEATURES.get(i), Math.round(weights[i] * 10_000) / 10_000.0);
        }
        ObjectNode figures = out.putObject("figures_at_threshold");
        for (String set : List.of(Question.TUNE, Question.HELD, "aside")) {
            figures.set(set, figures(all.stream().filter(d -> d.path("set").asText().equals(set)).toList(), bias, weights));
        }
        Files.writeString(CALIBRATION, EvalBench.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(out) + "\n");
        Files.createDirectories(DRAFTS_KEPT.getParent());
        Files.write(DRAFTS_KEPT, kept, StandardCharsets.UTF_8);
        System.out.printf("fit: %d tuning drafts (%d right), mean log loss %.4f, bias %.4f%n  weights %s%n  written to %s%n",
                n, positives, loss / n, bias, printed, CALIBRATION);
    }

    /**
     * The lowest score (before the sigmoid) at which the drafts scoring at least it are PRECISION right, raised until
     * KEPT_BELOW of the unanswerable questions score under it.
     */
    private static double neededScore(List<double[]> rows, List<Integer> labels, List<Boolean> answerable,
                                      double[] weights, double bias) {
        int n = rows.size();
        Integer[] order = new Integer[n];
        double[] score = new double[n];
        for (int r = 0; r < n; r++) {
            order[r] = r;
            score[r] = bias + dot(weights, rows.get(r));
        }
        java.util.Arrays.sort(order, (a, b) -> Double.compare(score[b], score[a]));
        double precise = Double.POSITIVE_INFINITY;
        int right = 0;
        for (int i = 0; i < n; i++) {
            right += labels.get(order[i]);
            // at least ten drafts above, so one lucky answer does not set the bar
            if (i + 1 >= 10 && (double) right / (i + 1) >= PRECISION && (i + 1 == n || score[order[i + 1]] < score[order[i]])) {
                precise = score[order[i]];
            }
        }
        List<Double> unanswerable = new ArrayList<>();
        for (int r = 0; r < n; r++) {
            if (!answerable.get(r)) {
                unanswerable.add(score[r]);
            }
        }
        unanswerable.sort(null);
        double keep = unanswerable.isEmpty() ? Double.NEGATIVE_INFINITY
                : unanswerable.get(Math.min(unanswerable.size() - 1, (int) Math.ceil(KEPT_BELOW * unanswerable.size()) - 1)) + 1e-6;
        return Math.max(precise == Double.POSITIVE_INFINITY ? logit(THRESHOLD) : precise, keep);
    }

    private static double logit(double p) {
        return Math.log(p / (1 - p));
    }

    /** Of the drafts at or above the threshold, the share right; of the unanswerable ones, the share kept below. */
    private static ObjectNode figures(List<JsonNode> drafts, double bias, double[] weights) {
        int confident = 0;
        int confidentRight = 0;
        int unanswerable = 0;
        int kept = 0;
        for (JsonNode draft : drafts) {
            double[] row = new double[FEATURES.size()];
            for (int i = 0; i < row.length; i++) {
                row[i] = draft.path("features").path(FEATURES.get(i)).asDouble();
            }
            boolean above = sigmoid(bias + dot(weights, row)) >= THRESHOLD;
            if (above) {
                confident++;
                confidentRight += draft.path("right").asBoolean() ? 1 : 0;
            }
            if (!draft.path("answerable").asBoolean()) {
                unanswerable++;
                kept += above ? 0 : 1;
            }
        }
        ObjectNode figures = EvalBench.JSON.createObjectNode();
        figures.put("drafts", drafts.size());
        figures.put("confident", confident);
        figures.put("right_when_confident", confident == 0 ? 0 : Math.round(10_000.0 * confidentRight / confident) / 10_000.0);
        figures.put("unanswerable_kept_below", unanswerable == 0 ? 0 : Math.round(10_000.0 * kept / unanswerable) / 10_000.0);
        return figures;
    }

    private static double dot(double[] a, double[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }

    private static double sigmoid(double z) {
        return 1 / (1 + Math.exp(-z));
    }
}
