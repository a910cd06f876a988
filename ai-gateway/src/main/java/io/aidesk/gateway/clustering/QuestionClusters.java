package io.aidesk.gateway.clustering;

import io.aidesk.gateway.language.Language;

import java.util.ArrayList;
import java.util.List;

/**
 * Groups questions asked in different words: average-link clustering of their embeddings, in order, where a question
 * joins the group it is closest to on average (its mean cosine to the members) when that reaches the threshold. The
 * mean keeps a group from drifting along a chain of near misses, as single link did (bench/README.md, gaps).
 */
public final class QuestionClusters {
    /** Tuned on bench/src/main/resources/gaps/questions.tsv (the tuning half), reported on the held-out half. */
    public static final double ENGLISH_THRESHOLD = 0.70;
    public static final double SPANISH_THRESHOLD = 0.66;

    private QuestionClusters() {
    }

    /**
     * The threshold for questions in a language: the English embedding model spreads Spanish less, so Spanish
     * paraphrases sit closer together and near misses too (both tuned on the tuning half).
     */
    public static double threshold(String language) {
        return Language.SPANISH.equals(language) ? SPANISH_THRESHOLD : ENGLISH_THRESHOLD;
    }

    /** @return for each vector, in order, the index of its group (groups numbered from 0 as they appear) */
    public static int[] group(List<float[]> vectors, double threshold) {
        List<float[]> units = vectors.stream().map(QuestionClusters::unit).toList();
        int[] groups = new int[units.size()];
        List<List<float[]>> members = new ArrayList<>();
        for (int i = 0; i < units.size(); i++) {
            int best = -1;
            double bestSimilarity = threshold;
            for (int g = 0; g < members.size(); g++) {
                double similarity = mean(units.get(i), members.get(g));
                if (similarity >= bestSimilarity) {
                    bestSimilarity = similarity;
                    best = g;
                }
            }
            if (best < 0) {
                best = members.size();
                members.add(new ArrayList<>());
            }
            members.get(best).add(units.get(i));
            groups[i] = best;
        }
        return groups;
    }

    /** How close a question is to a group: its mean similarity to the members, as the grouping reads it. */
    public static double closeness(float[] vector, List<float[]> members) {
        return mean(unit(vector), members.stream().map(QuestionClusters::unit).toList());
    }

    private static double mean(float[] unit, List<float[]> members) {
        double sum = 0;
        for (float[] member : members) {
            sum += dot(unit, member);
        }
        return sum / members.size();
    }

    static float[] unit(float[] vector) {
        double norm = 0;
        for (float v : vector) {
            norm += v * v;
        }
        norm = Math.sqrt(norm);
        float[] unit = new float[vector.length];
        for (int i = 0; i < vector.length; i++) {
            unit[i] = norm == 0 ? 0 : (float) (vector[i] / norm);
        }
        return unit;
    }

    static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }

    /** Pairwise precision, recall and F1 of a grouping against the true one: the bench's measure. */
    public record PairScore(double precision, double recall, double f1) {
    }

    public static PairScore score(int[] predicted, int[] truth) {
        long both = 0;
        long predictedPairs = 0;
        long truePairs = 0;
        for (int i = 0; i < predicted.length; i++) {
            for (int j = i + 1; j < predicted.length; j++) {
                boolean p = predicted[i] == predicted[j];
                boolean t = truth[i] == truth[j];
                predictedPairs += p ? 1 : 0;
                truePairs += t ? 1 : 0;
                both += p && t ? 1 : 0;
            }
        }
        double precision = predictedPairs == 0 ? 1 : (double) both / predictedPairs;
        double recall = truePairs == 0 ? 1 : (double) both / truePairs;
        return new PairScore(precision, recall, precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall));
    }

    /** Indexes of each group's members, groups in order of appearance. */
    public static List<List<Integer>> members(int[] groups) {
        List<List<Integer>> members = new ArrayList<>();
        for (int i = 0; i < groups.length; i++) {
            while (members.size() <= groups[i]) {
                members.add(new ArrayList<>());
            }
            members.get(groups[i]).add(i);
        }
        return members;
    }
}
