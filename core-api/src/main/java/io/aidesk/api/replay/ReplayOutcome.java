package io.aidesk.api.replay;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a run did or would do with a message, in the terms a replay compares: the policy's outcome (answer,
 * ask_for_data, handoff; none when there was no run), why it handed over, confidence, intent, the tools that would
 * run or wait for approval (not the refused ones), the chunks cited, and a hash of the reply.
 */
public record ReplayOutcome(String runMode, String outcome, String handoffReason, Double confidence, String intent,
                            List<String> tools, List<String> citations, String replyHash) {
    public static final String NONE = "none";
    /** Confidences closer than this are the same to a reader: the screens show two decimals. */
    public static final double CONFIDENCE_STEP = 0.005;

    /** A message no run answered. */
    public static ReplayOutcome none() {
        return new ReplayOutcome(null, NONE, null, null, null, List.of(), List.of(), null);
    }

    /** What differs from another outcome, by name: outcome, handoff, reply, citations, intent, tools, confidence. */
    public List<String> differencesFrom(ReplayOutcome other) {
        List<String> differences = new ArrayList<>();
        if (!Objects.equals(outcome, other.outcome)) {
            differences.add("outcome");
        }
        if (!Objects.equals(handoffReason, other.handoffReason)) {
            differences.add("handoff");
        }
        if (!Objects.equals(replyHash, other.replyHash)) {
            differences.add("reply");
        }
        if (!Objects.equals(List.copyOf(citations), List.copyOf(other.citations))) {
            differences.add("citations");
        }
        if (!Objects.equals(intent, other.intent)) {
            differences.add("intent");
        }
        if (!Objects.equals(tools.stream().sorted().toList(), other.tools.stream().sorted().toList())) {
            differences.add("tools");
        }
        if (confidence == null ? other.confidence != null
                : other.confidence == null || Math.abs(confidence - other.confidence) >= CONFIDENCE_STEP) {
            differences.add("confidence");
        }
        return differences;
    }
}
