package io.aidesk.api.decision;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Why a decision was as confident as it was, for the audit.
 *
 * @param method        how the confidence was made: {@link #CALIBRATED} from the features below, {@link #INTENT} the
 *                      certainty of the intent when the decision asks for required data or proposes a tool and is
 *                      surer of that than of an answer, {@link #MODEL} as the
 *                      language model reported it, {@link #UNRECORDED} for runs decided before bases were recorded
 * @param calibration   the fitted calibration's name, when calibrated
 * @param features      the evidence's features the confidence was computed from (name → value)
 * @param droppedChunks retrieved chunks left out of the evidence because they address instructions to a machine
 */
public record ConfidenceBasis(String method, String calibration, Map<String, Double> features,
                              List<String> droppedChunks) {
    public static final String CALIBRATED = "calibrated";
    public static final String INTENT = "intent";
    public static final String MODEL = "model";
    public static final String UNRECORDED = "unrecorded";

    public ConfidenceBasis {
        // in the order the model gave them, as an auditor reads them
        features = features == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(features));
        droppedChunks = droppedChunks == null ? List.of() : List.copyOf(droppedChunks);
    }

    public ConfidenceBasis withDropped(List<String> dropped) {
        return new ConfidenceBasis(method, calibration, features, dropped);
    }
}
