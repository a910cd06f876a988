package io.aidesk.bench.understanding;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.aidesk.api.decision.CustomerNeed;
import io.aidesk.gateway.decision.offline.MessageFeatures;
import io.aidesk.gateway.decision.offline.SoftmaxModel;
import io.aidesk.gateway.decision.offline.Understanding;
import io.aidesk.gateway.embedding.OfflineEmbeddingModel;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * ./aidesk bench understand: fits the offline classifier of needs and intents on the tuning half of the labelled
 * messages, reports it on the held-out half (accuracy per language, recall per class, the confusion matrix) and on
 * each domain file left out of the fit in turn, and writes the fitted model beside the offline model, with the
 * held-out messages beside its test (UnderstandingTest checks that the file reproduces the figure).
 */
public final class UnderstandingFit {
    static final Path MODEL = Path.of("ai-gateway/src/main/resources/offline/understanding-model.json");
    static final Path HELD_KEPT = Path.of("ai-gateway/src/test/resources/offline/understanding-held.tsv");
    /** The L2 penalty, chosen on the tuning half (halved again) among a few. */
    static final double[] PENALTIES = {1e-5, 3e-5, 1e-4, 3e-4};

    private UnderstandingFit() {
    }

    private record Example(Labelled labelled, double[] features) {
    }

    public static void run(String[] args) throws IOException {
        if (args.length > 0 && args[0].equals("--try")) {
            ExecutorService pool = Executors.newFixedThreadPool(2);
            var understanding = Understanding.load(new OfflineEmbeddingModel(pool));
            for (int i = 1; i < args.length; i++) {
                var understood = understanding.understand(args[i]);
                System.out.printf("%s%n  %s %s %.2f also %s sentences %s%n", args[i], understood.needs().subList(0, 3),
                        understood.intent(), understood.intentConfidence(), understood.alsoAsked(), understood.sentences());
            }
            pool.shutdown();
            return;
        }
        List<Labelled> all = Labelled.all();
        System.out.printf("%d labelled messages (%d English, %d Spanish) in %s%n", all.size(),
                all.stream().filter(l -> l.lang().equals("en")).count(), all.stream().filter(l -> l.lang().equals("es")).count(),
                new TreeSet<>(all.stream().map(Labelled::file).toList()));
        ExecutorService executor = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors());
        OfflineEmbeddingModel embeddings = new OfflineEmbeddingModel(executor);
        List<float[]> vectors = embeddings.embedDocuments(all.stream().map(l -> Understanding.masked(l.message())).toList());
        List<Example> examples = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            examples.add(new Example(all.get(i), MessageFeatures.of(Understanding.masked(all.get(i).message()), vectors.get(i))));
        }
        List<String> needs = Arrays.stream(CustomerNeed.values()).map(CustomerNeed::wire).toList();
        List<String> intents = List.of("support", "sales", "billing", "other");
        List<Example> tune = examples.stream().filter(e -> e.labelled().split().equals(Labelled.TUNE)).toList();
        List<Example> held = examples.stream().filter(e -> e.labelled().split().equals(Labelled.HELD)).toList();

        double penalty = choosePenalty(tune, needs);
        double needTemperature = chooseTemperature(tune, needs, Labelled::need, penalty);
        double intentTemperature = chooseTemperature(tune, intents, Labelled::intent, penalty);
        SoftmaxModel need = fit(tune, needs, Labelled::need, penalty).withTemperature(needTemperature);
        SoftmaxModel intent = fit(tune, intents, Labelled::intent, penalty).withTemperature(intentTemperature);

        System.out.printf("%nneeds, fitted on %d tuning messages (L2 %.0e):%n", tune.size(), penalty);
        double heldNeed = report("held-out", held, need, Labelled::need, true);
        double heldAction = accuracy(held, need, l -> l.need(), l -> true, UnderstandingFit::action);
        System.out.printf("  held-out, by what the assistant does (%s): accuracy %5.1f %% (English %5.1f %%, Spanish %5.1f %%)%n",
                String.join(", ", new TreeSet<>(ACTIONS.values())), 100 * heldAction,
                100 * accuracy(held, need, l -> l.need(), l -> l.lang().equals("en"), UnderstandingFit::action),
                100 * accuracy(held, need, l -> l.need(), l -> l.lang().equals("es"), UnderstandingFit::action));
        report("tuning (fitted on)", tune, need, Labelled::need, false);
        reliability(held, need);
        System.out.printf("%nintents (the intent model alone):%n");
        report("held-out", held, intent, Labelled::intent, false);
        Map<String, Map<String, Double>> given = intentGivenNeed(tune, needs, intents);
        long intentRight = held.stream().filter(e -> combinedIntent(need, intent, given, e.features()).equals(e.labelled().intent())).count();
        double heldIntent = intentRight / (double) held.size();
        System.out.printf("  held-out, with what goes with the need read: accuracy %5.1f %%%n", 100 * heldIntent);

        // the figure that counts: the held-out messages read as the offline model reads them (sentence by sentence
        // too, data set aside), which UnderstandingTest reproduces
        String name = "softmax-" + LocalDate.now();
        Understanding understanding = new Understanding(embeddings, name, need, intent, given);
        List<String> read = held.stream().map(e -> understanding.understand(e.labelled().message()).need().wire()).toList();
        double asRead = share(held, read, l -> true);
        System.out.printf("%nheld-out needs as the offline model reads them: accuracy %5.1f %% (English %5.1f %%, Spanish %5.1f %%)%n",
                100 * asRead, 100 * share(held, read, l -> l.lang().equals("en")), 100 * share(held, read, l -> l.lang().equals("es")));
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("name", name);
        json.put("fitted_on", tune.size() + " tuning messages of bench/src/main/resources/understanding (./aidesk bench understand)");
        json.put("features", embeddings.name() + " embedding (" + embeddings.dimension() + ") and "
                + MessageFeatures.BUCKETS + " hashed words, word pairs and character 3-4-grams");
        json.put("l2", penalty);
        json.put("held_out", Map.of("messages", held.size(), "need_accuracy", round(asRead),
                "whole_message_need_accuracy", round(heldNeed), "action_accuracy", round(heldAction),
                "intent_accuracy", round(heldIntent)));
        json.put("intent_given_need", intentGivenNeed(tune, needs, intents));
        json.put("need", model(need));
        json.put("intent", model(intent));
        Files.writeString(MODEL, new ObjectMapper().writeValueAsString(json), StandardCharsets.UTF_8);
        StringBuilder kept = new StringBuilder();
        held.forEach(e -> kept.append(e.labelled().lang()).append('\t').append(e.labelled().need()).append('\t')
                .append(e.labelled().intent()).append('\t').append(e.labelled().message()).append('\n'));
        Files.writeString(HELD_KEPT, kept.toString(), StandardCharsets.UTF_8);
        System.out.printf("%nwrote %s (%s) and %s%n", MODEL, name, HELD_KEPT);

        // after the model is written: a check of how it carries to a domain it never saw, 14 more fits
        System.out.printf("%neach domain file left out of the fit (fitted on both halves of the others):%n");
        for (String file : new TreeSet<>(all.stream().map(Labelled::file).toList())) {
            List<Example> others = examples.stream().filter(e -> !e.labelled().file().equals(file)).toList();
            List<Example> left = examples.stream().filter(e -> e.labelled().file().equals(file)).toList();
            SoftmaxModel without = fit(others, needs, Labelled::need, penalty);
            System.out.printf("  %-36s needs %5.1f %%%n", file, 100 * accuracy(left, without, Labelled::need, l -> true));
        }

        executor.shutdown();
    }

    /**
     * The temperature that makes the probabilities of a model fitted on the tuning half's first half best predict its
     * second half (the least log loss): the weights fitted on a message always say too much about it.
     */
    private static double chooseTemperature(List<Example> tune, List<String> labels, Function<Labelled, String> label,
                                            double penalty) {
        List<Example> first = new ArrayList<>();
        List<Example> second = new ArrayList<>();
        for (int i = 0; i < tune.size(); i++) {
            (i % 2 == 0 ? first : second).add(tune.get(i));
        }
        SoftmaxModel model = fit(first, labels, label, penalty);
        double best = 1;
        double bestLoss = Double.MAX_VALUE;
        for (double t = 0.2; t <= 4.0001; t += 0.05) {
            SoftmaxModel tempered = model.withTemperature(t);
            double loss = 0;
            for (Example e : second) {
                loss -= Math.log(Math.max(1e-12, tempered.probabilities(e.features())[labels.indexOf(label.apply(e.labelled()))]));
            }
            if (loss < bestLoss) {
                bestLoss = loss;
                best = t;
            }
        }
        System.out.printf("  temperature %.2f (log loss %.3f on the tuning half's second half)%n", best, bestLoss / second.size());
        return Math.round(best * 100) / 100.0;
    }

    /** Held-out messages by the probability of the need read: how often the need read is right in each bucket. */
    private static void reliability(List<Example> held, SoftmaxModel model) {
        double[] edges = {0, 0.5, 0.7, 0.8, 0.9, 1.0001};
        System.out.printf("  reliability (probability of the need read → messages, share right):%n");
        for (int b = 0; b + 1 < edges.length; b++) {
            int count = 0;
            int right = 0;
            for (Example e : held) {
                double[] p = model.probabilities(e.features());
                int k = 0;
                for (int j = 1; j < p.length; j++) {
                    k = p[j] > p[k] ? j : k;
                }
                if (p[k] >= edges[b] && p[k] < edges[b + 1]) {
                    count++;
                    right += model.labels().get(k).equals(e.labelled().need()) ? 1 : 0;
                }
            }
            System.out.printf("    [%.2f, %.2f)  %5d  %s%n", edges[b], Math.min(1, edges[b + 1]), count,
                    count == 0 ? "-" : String.format("%5.1f %%", 100.0 * right / count));
        }
    }

    /** The penalty that does best on the tuning half's second half when fitted on its first. */
    private static double choosePenalty(List<Example> tune, List<String> needs) {
        List<Example> first = new ArrayList<>();
        List<Example> second = new ArrayList<>();
        for (int i = 0; i < tune.size(); i++) {
            (i % 2 == 0 ? first : second).add(tune.get(i));
        }
        double best = PENALTIES[0];
        double bestAccuracy = -1;
        for (double penalty : PENALTIES) {
            double accuracy = accuracy(second, fit(first, needs, Labelled::need, penalty), Labelled::need, l -> true);
            System.out.printf("  L2 %.0e: %.1f %% on the tuning half's second half%n", penalty, 100 * accuracy);
            if (accuracy > bestAccuracy) {
                bestAccuracy = accuracy;
                best = penalty;
            }
        }
        return best;
    }

    private static SoftmaxModel fit(List<Example> examples, List<String> labels, Function<Labelled, String> label,
                                    double penalty) {
        return Trainer.fit(labels, examples.stream().map(Example::features).toList(),
                examples.stream().map(e -> label.apply(e.labelled())).toList(), penalty);
    }

    private static String predict(SoftmaxModel model, double[] features) {
        double[] p = model.probabilities(features);
        int best = 0;
        for (int k = 1; k < p.length; k++) {
            best = p[k] > p[best] ? k : best;
        }
        return model.labels().get(best);
    }

    private static double accuracy(List<Example> examples, SoftmaxModel model, Function<Labelled, String> label,
                                   Predicate<Labelled> which) {
        return accuracy(examples, model, label, which, Function.identity());
    }

    /** @param as what a label counts as (a need as what the assistant does about it) */
    private static double accuracy(List<Example> examples, SoftmaxModel model, Function<Labelled, String> label,
                                   Predicate<Labelled> which, Function<String, String> as) {
        List<Example> chosen = examples.stream().filter(e -> which.test(e.labelled())).toList();
        return chosen.stream().filter(e -> as.apply(predict(model, e.features())).equals(as.apply(label.apply(e.labelled()))))
                .count() / (double) Math.max(1, chosen.size());
    }

    /** What the assistant does about each need: needs that lead to the same thing are one outcome. */
    static final Map<String, String> ACTIONS = Map.ofEntries(Map.entry("question", "answer"),
            Map.entry("problem_report", "ticket"), Map.entry("ticket_request", "ticket"),
            Map.entry("cancellation", "cancel"), Map.entry("plan_change", "change plan"), Map.entry("credit_refund", "credit"),
            Map.entry("human", "hand over"), Map.entry("legal", "hand over"), Map.entry("abuse", "hand over"),
            Map.entry("gives_data", "go on"), Map.entry("small_talk", "reply"), Map.entry("off_topic", "reply"));

    static String action(String need) {
        return ACTIONS.get(need);
    }

    private static double report(String name, List<Example> examples, SoftmaxModel model, Function<Labelled, String> label,
                                 boolean confusion) {
        double all = accuracy(examples, model, label, l -> true);
        System.out.printf("  %-20s %4d messages: accuracy %5.1f %% (English %5.1f %%, Spanish %5.1f %%)%n", name,
                examples.size(), 100 * all, 100 * accuracy(examples, model, label, l -> l.lang().equals("en")),
                100 * accuracy(examples, model, label, l -> l.lang().equals("es")));
        if (!confusion) {
            return all;
        }
        List<String> labels = model.labels();
        int[][] matrix = new int[labels.size()][labels.size()];
        for (Example e : examples) {
            matrix[labels.indexOf(label.apply(e.labelled()))][labels.indexOf(predict(model, e.features()))]++;
        }
        StringBuilder header = new StringBuilder(String.format("    %-16s", "expected \\ got"));
        for (int k = 0; k < labels.size(); k++) {
            header.append(String.format(" %4s", abbreviation(labels.get(k))));
        }
        System.out.println(header.append("   recall"));
        for (int k = 0; k < labels.size(); k++) {
            StringBuilder row = new StringBuilder(String.format("    %-16s", labels.get(k)));
            int total = 0;
            for (int j = 0; j < labels.size(); j++) {
                row.append(String.format(" %4d", matrix[k][j]));
                total += matrix[k][j];
            }
            System.out.println(row.append(String.format("   %5.1f %%", 100.0 * matrix[k][k] / Math.max(1, total))));
        }
        return all;
    }

    private static String abbreviation(String label) {
        String[] parts = label.split("_");
        return parts.length == 1 ? label.substring(0, Math.min(4, label.length()))
                : (parts[0].substring(0, 2) + parts[1].substring(0, 2));
    }

    private static double share(List<Example> held, List<String> read, Predicate<Labelled> which) {
        int count = 0;
        int right = 0;
        for (int i = 0; i < held.size(); i++) {
            if (which.test(held.get(i).labelled())) {
                count++;
                right += read.get(i).equals(held.get(i).labelled().need()) ? 1 : 0;
            }
        }
        return right / (double) Math.max(1, count);
    }

    /** The intent as the offline model reads it: the intent model's probabilities times what goes with the need. */
    static String combinedIntent(SoftmaxModel need, SoftmaxModel intent, Map<String, Map<String, Double>> given, double[] x) {
        double[] weighed = Understanding.weighedIntents(need, intent, given, x);
        int best = 0;
        for (int i = 1; i < weighed.length; i++) {
            best = weighed[i] > weighed[best] ? i : best;
        }
        return intent.labels().get(best);
    }

    /** How often each intent goes with each need in the tuning half (add-one smoothed): need → intent → share. */
    static Map<String, Map<String, Double>> intentGivenNeed(List<Example> tune, List<String> needs, List<String> intents) {
        Map<String, Map<String, Double>> table = new LinkedHashMap<>();
        for (String need : needs) {
            Map<String, Double> row = new LinkedHashMap<>();
            long total = tune.stream().filter(e -> e.labelled().need().equals(need)).count() + intents.size();
            for (String intent : intents) {
                long count = tune.stream().filter(e -> e.labelled().need().equals(need) && e.labelled().intent().equals(intent)).count() + 1;
                row.put(intent, round(count / (double) total));
            }
            table.put(need, row);
        }
        return table;
    }

    private static Map<String, Object> model(SoftmaxModel model) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("labels", model.labels());
        json.put("temperature", model.temperature());
        json.put("bias", Arrays.stream(model.bias()).map(UnderstandingFit::round).toArray());
        List<double[]> rows = new ArrayList<>();
        for (double[] row : model.weights()) {
            rows.add(Arrays.stream(row).map(UnderstandingFit::round).toArray());
        }
        json.put("weights", rows);
        return json;
    }

    private static double round(double value) {
        return Math.round(value * 10_000) / 10_000.0;
    }
}
