package io.aidesk.gateway.decision.offline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The fitted calibration as the offline model loads it, against the drafts of the bench run it was fitted on. */
class CalibrationTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final double THRESHOLD = 0.75;

    @Test
    void theFittedCalibrationLoadsWithAWeightForEveryFeatureAndNoNegativeOne() {
        Calibration calibration = Calibration.load();

        assertThat(calibration.weights().keySet()).containsExactlyInAnyOrderElementsOf(Features.NAMES);
        assertThat(calibration.weights().values()).allSatisfy(weight -> assertThat(weight).isNotNegative());
    }

    @Test
    void betterEvidenceNeverLowersTheConfidence() {
        Calibration calibration = Calibration.load();
        Random random = new Random(7);
        for (int trial = 0; trial < 2_000; trial++) {
            Map<String, Double> features = new HashMap<>();
            Features.NAMES.forEach(name -> features.put(name, random.nextDouble()));
            double before = calibration.confidence(features);
            String better = Features.NAMES.get(random.nextInt(Features.NAMES.size()));
            features.merge(better, random.nextDouble() * 0.5, Double::sum);
            assertThat(calibration.confidence(features)).as(better).isGreaterThanOrEqualTo(before);
        }
    }

    /** The figures `bench fit` wrote beside the weights, recomputed from the drafts it fitted on and checked on. */
    @Test
    void theCalibrationReproducesTheFiguresOfTheBenchRunItWasFittedOn() throws Exception {
        Calibration calibration = Calibration.load();
        JsonNode written;
        try (var in = Calibration.class.getResourceAsStream(Calibration.RESOURCE)) {
            written = JSON.readTree(in).path("figures_at_threshold");
        }
        Map<String, List<JsonNode>> drafts = new HashMap<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(Objects.requireNonNull(
                getClass().getResourceAsStream("/offline/calibration-drafts.ndjson")), StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                JsonNode draft = JSON.readTree(line);
                drafts.computeIfAbsent(draft.path("set").asText(), k -> new ArrayList<>()).add(draft);
            }
        }
        assertThat(drafts.keySet()).contains("tune", "held");
        for (Map.Entry<String, List<JsonNode>> set : drafts.entrySet()) {
            int confident = 0;
            int right = 0;
            int unanswerable = 0;
            int kept = 0;
            for (JsonNode draft : set.getValue()) {
                Map<String, Double> features = new HashMap<>();
                draft.path("features").fields().forEachRemaining(f -> features.put(f.getKey(), f.getValue().asDouble()));
                boolean above = calibration.confidence(features) >= THRESHOLD;
                confident += above ? 1 : 0;
                right += above && draft.path("right").asBoolean() ? 1 : 0;
                if (!draft.path("answerable").asBoolean()) {
                    unanswerable++;
                    kept += above ? 0 : 1;
                }
            }
            JsonNode figures = written.path(set.getKey());
            assertThat(confident).as(set.getKey()).isEqualTo(figures.path("confident").asInt());
            assertThat(confident == 0 ? 0 : (double) right / confident).as(set.getKey())
                    .isCloseTo(figures.path("right_when_confident").asDouble(), within(0.001));
            assertThat(unanswerable == 0 ? 0 : (double) kept / unanswerable).as(set.getKey())
                    .isCloseTo(figures.path("unanswerable_kept_below").asDouble(), within(0.001));
        }
    }
}
