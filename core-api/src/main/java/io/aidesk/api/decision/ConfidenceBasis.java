package io.aidesk.api.decision;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Why a decision was as confident as it was, for the audit. A decision has two confidences: how sure the model is of
 * what to do (the action) and how sure it is of the answer (the evidence); the decision's own confidence, which the
 * tenant's threshold is applied to, is the one that matters for what it decided.
 *
 * @param method           which of them the decision's confidence is: {@link #ACTION} when it acts (a ticket, a
 *                         sensitive tool, asking for the data an action needs, a short reply to small talk),
 *                         {@link #CALIBRATED} the answer's, computed from the features below, {@link #MODEL} as the
 *                         language model reported it, {@link #INTENT} (runs decided before actions had a confidence of
 *                         their own) the intent's certainty, {@link #UNRECORDED} for runs decided before bases were
 *                         recorded
 * @param calibration      the fitted calibration's name, when the answer's confidence was calibrated
 * @param features         the evidence's features the answer's confidence was computed from (name → value)
 * @param droppedChunks    retrieved chunks left out of the evidence because they address instructions to a machine
 * @param actionConfidence how sure the model is of what to do, null when not recorded
 * @param answerConfidence how sure it is of the answer, null when not recorded
 * @param needs            what the customer asks for, most likely first, each with its probability
 * @param classifier       the fitted classifier's name that read the needs, when offline
 */
public record ConfidenceBasis(String method, String calibration, Map<String, Double> features,
                              List<String> droppedChunks, Double actionConfidence, Double answerConfidence,
                              List<NeedScore> needs, String classifier) {
    public static final String ACTION = "action";
    public static final String CALIBRATED = "calibrated";
    public static final String INTENT = "intent";
    public static final String MODEL = "model";
    public static final String UNRECORDED = "unrecorded";

    /** A need read from the message, with the classifier's (or the language model's) probability for it. */
    public record NeedScore(CustomerNeed need, double probability) {
    }

    public ConfidenceBasis {
        // in the order the model gave them, as an auditor reads them
        features = features == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(features));
        droppedChunks = droppedChunks == null ? List.of() : List.copyOf(droppedChunks);
        needs = needs == null ? List.of() : List.copyOf(needs);
    }

    public ConfidenceBasis(String method, String calibration, Map<String, Double> features, List<String> droppedChunks) {
        this(method, calibration, features, droppedChunks, null, null, null, null);
    }

    public ConfidenceBasis withDropped(List<String> dropped) {
        return new ConfidenceBasis(method, calibration, features, dropped, actionConfidence, answerConfidence, needs,
                classifier);
    }
}
