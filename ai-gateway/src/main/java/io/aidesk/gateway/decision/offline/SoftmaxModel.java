package io.aidesk.gateway.decision.offline;

import java.util.List;

/**
 * A multinomial logistic model: one weight vector and bias per label, probabilities by softmax of the scores divided
 * by a temperature (fitted apart from the weights, so the probabilities are as sure as the model is right).
 */
public record SoftmaxModel(List<String> labels, double[][] weights, double[] bias, double temperature) {
    public SoftmaxModel(List<String> labels, double[][] weights, double[] bias) {
        this(labels, weights, bias, 1);
    }

    public SoftmaxModel withTemperature(double temperature) {
        return new SoftmaxModel(labels, weights, bias, temperature);
    }

    public SoftmaxModel {
        if (temperature <= 0) {
            throw new IllegalArgumentException("a softmax model's temperature is positive");
        }
        labels = List.copyOf(labels);
        if (weights.length != labels.size() || bias.length != labels.size()) {
            throw new IllegalArgumentException("a softmax model needs one weight vector and one bias per label");
        }
    }

    public double[] probabilities(double[] features) {
        double[] scores = new double[labels.size()];
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < scores.length; k++) {
            double score = bias[k];
            double[] w = weights[k];
            for (int i = 0; i < features.length; i++) {
                score += w[i] * features[i];
            }
            scores[k] = score / temperature;
            max = Math.max(max, score);
        }
        double sum = 0;
        for (int k = 0; k < scores.length; k++) {
            scores[k] = Math.exp(scores[k] - max);
            sum += scores[k];
        }
        for (int k = 0; k < scores.length; k++) {
            scores[k] /= sum;
        }
        return scores;
    }
}
