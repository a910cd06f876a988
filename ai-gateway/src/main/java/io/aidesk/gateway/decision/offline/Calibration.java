package io.aidesk.gateway.decision.offline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The offline answerer's confidence: a logistic model over the evidence's features, fitted on the eval's tuning half
 * by `./aidesk bench fit` and kept as a reviewed resource (offline/confidence-calibration.json). Its weights are never
 * negative, so better evidence never lowers the confidence.
 */
public record Calibration(String name, double bias, Map<String, Double> weights) {
    public static final String RESOURCE = "/offline/confidence-calibration.json";

    public Calibration {
        weights = Map.copyOf(weights);
        if (weights.values().stream().anyMatch(weight -> weight < 0)) {
            throw new IllegalArgumentException("a calibration weight is negative: " + weights);
        }
    }

    public static Calibration load() {
        try (InputStream in = Calibration.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the offline model");
            }
            JsonNode json = new ObjectMapper().readTree(in);
            Map<String, Double> weights = new LinkedHashMap<>();
            json.path("weights").fields().forEachRemaining(entry -> weights.put(entry.getKey(), entry.getValue().asDouble()));
            for (String feature : Features.NAMES) {
                if (!weights.containsKey(feature)) {
                    throw new IllegalStateException(RESOURCE + " has no weight for " + feature);
                }
            }
            return new Calibration(json.path("name").asText(), json.path("bias").asDouble(), weights);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    /** The probability that an answer with these features is right. */
    public double confidence(Map<String, Double> features) {
        double z = bias;
        for (Map.Entry<String, Double> weight : weights.entrySet()) {
            z += weight.getValue() * features.getOrDefault(weight.getKey(), 0.0);
        }
        return 1 / (1 + Math.exp(-z));
    }
}
