package io.aidesk.bench.eval;

import io.aidesk.bench.eval.EvalBench.Outcome;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** The eval's figures: per corpus and split, per language on the held-out half, and the reliability table. */
final class Report {
    private static final double[] BUCKETS = {0, 0.25, 0.5, 0.6, 0.75, 0.9, 1.0001};

    private Report() {
    }

    static void print(List<Outcome> outcomes, Map<String, String> sizes) {
        System.out.printf("%neval bench: %d questions (%d answerable), copilot threshold %.2f%n", outcomes.size(),
                outcomes.stream().filter(o -> o.question().answerable()).count(), EvalBench.THRESHOLD);
        sizes.forEach((corpus, size) -> System.out.printf("  %-15s %s%n", corpus, size));
        System.out.println();
        System.out.println("  set                    answerable recall@5  MRR  fact@5 ceiling  right  conf.wrong abstained | unanswerable kept<thr | draft p50  p95");
        Map<String, List<Outcome>> groups = new LinkedHashMap<>();
        for (Outcome outcome : outcomes) {
            String corpus = outcome.question().corpus() + (outcome.aside() ? " (aside)" : "");
            groups.computeIfAbsent(corpus + " " + outcome.question().split(), k -> new ArrayList<>()).add(outcome);
        }
        groups.forEach(Report::row);
        System.out.println();
        row("held-out, English", select(outcomes, o -> !o.aside() && held(o) && english(o)));
        row("held-out, Spanish", select(outcomes, o -> !o.aside() && held(o) && !english(o)));
        row("tuning, English", select(outcomes, o -> !o.aside() && !held(o) && english(o)));
        row("tuning, Spanish", select(outcomes, o -> !o.aside() && !held(o) && !english(o)));
        row("aside, English", select(outcomes, o -> o.aside() && english(o)));
        row("aside, Spanish", select(outcomes, o -> o.aside() && !english(o)));
        System.out.println();
        reliability("held-out (real corpora)", select(outcomes, o -> !o.aside() && held(o)));
        reliability("tuning (real corpora and demo)", select(outcomes, o -> !o.aside() && !held(o)));
        reliability("aside", select(outcomes, Outcome::aside));
    }

    private static boolean held(Outcome outcome) {
        return outcome.question().split().equals(Question.HELD);
    }

    private static boolean english(Outcome outcome) {
        String corpus = outcome.question().corpus();
        return !(corpus.endsWith("-es") || corpus.equals("globex"));
    }

    private static List<Outcome> select(List<Outcome> outcomes, Predicate<Outcome> which) {
        return outcomes.stream().filter(which).toList();
    }

    private static void row(String name, List<Outcome> group) {
        if (group.isEmpty()) {
            return;
        }
        List<Outcome> answerable = select(group, o -> o.question().answerable());
        List<Outcome> unanswerable = select(group, o -> !o.question().answerable());
        double hits = answerable.stream().filter(o -> o.rank() > 0).count();
        double mrr = answerable.stream().mapToDouble(o -> o.rank() == 0 ? 0 : 1.0 / o.rank()).sum();
        double facts = answerable.stream().filter(o -> o.factRank() > 0).count();
        double ceiling = answerable.stream().filter(Outcome::right).count();
        long right = answerable.stream().filter(o -> o.confident() && o.right()).count();
        long wrong = answerable.stream().filter(o -> o.confident() && !o.right()).count();
        long abstained = answerable.stream().filter(o -> !o.confident()).count();
        long kept = unanswerable.stream().filter(o -> !o.confident()).count();
        List<Double> ms = group.stream().map(Outcome::draftMs).sorted().toList();
        int n = Math.max(1, answerable.size());
        System.out.printf("  %-24s %4d    %5.3f   %5.3f %5.1f%% %5.1f%%  %5.1f%%  %5.1f%%    %5.1f%%   |  %4d      %s   | %5.0f ms %5.0f ms%n",
                name, answerable.size(), hits / n, mrr / n, 100.0 * facts / n, 100.0 * ceiling / n, 100.0 * right / n, 100.0 * wrong / n, 100.0 * abstained / n,
                unanswerable.size(), unanswerable.isEmpty() ? "   -  " : String.format("%5.1f%%", 100.0 * kept / unanswerable.size()),
                percentile(ms, 0.5), percentile(ms, 0.95));
    }

    /** Confidence bucket → how many drafts fell in it and the share of them that was right. */
    private static void reliability(String name, List<Outcome> group) {
        if (group.isEmpty()) {
            return;
        }
        System.out.println("  reliability, " + name + ": confidence → drafts, share right");
        for (int i = 0; i + 1 < BUCKETS.length; i++) {
            double low = BUCKETS[i];
            double high = BUCKETS[i + 1];
            List<Outcome> in = select(group, o -> o.confidence() >= low && o.confidence() < high);
            long right = in.stream().filter(Outcome::right).count();
            System.out.printf("    [%.2f, %.2f)  %4d   %s%n", low, Math.min(1, high), in.size(),
                    in.isEmpty() ? "-" : String.format("%5.1f%%", 100.0 * right / in.size()));
        }
    }

    static double percentile(List<Double> sorted, double p) {
        return sorted.isEmpty() ? 0 : sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
    }
}
