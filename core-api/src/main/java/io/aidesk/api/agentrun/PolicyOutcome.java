package io.aidesk.api.agentrun;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What the backend's policy (DESIGN §3) made of a decision, whatever the model said.
 *
 * @param outcome       answer (reply, and run the calls marked execute), ask_for_data (reply asks, no tool) or
 *                      handoff (a person takes over, no tool)
 * @param reasons       every rule that applied, in the order applied
 * @param handoffReason one of {@link #HANDOFF_REASONS} when the outcome is handoff
 */
public record PolicyOutcome(String outcome, List<String> reasons, String handoffReason, List<PlannedCall> calls) {
    public static final String ANSWER = "answer";
    public static final String ASK_FOR_DATA = "ask_for_data";
    public static final String HANDOFF = "handoff";
    public static final String TOOL_FAILURE = "tool_failure";
    public static final String MODEL_FAILURE = "model_failure";
    public static final List<String> HANDOFF_REASONS = List.of("customer_request", "low_confidence", "missing_data",
            "escalation_rule", "policy_restriction", TOOL_FAILURE, MODEL_FAILURE);

    public PolicyOutcome {
        reasons = List.copyOf(reasons);
        calls = List.copyOf(calls);
    }

    /**
     * The same outcome with call ids unique across runs (the approvals API addresses a call by its id), derived from
     * the run so that deciding the same run again gives the same ids.
     */
    public PolicyOutcome withCallIdsOf(String runId) {
        return new PolicyOutcome(outcome, reasons, handoffReason, calls.stream()
                .map(call -> new PlannedCall(UUID.nameUUIDFromBytes((runId + "/" + call.callId())
                        .getBytes(StandardCharsets.UTF_8)).toString(), call.tool(), call.args(), call.disposition(),
                        call.reason()))
                .toList());
    }

    /**
     * A proposed tool call with what the policy decided for it.
     *
     * @param disposition execute, await_approval or refused
     */
    public record PlannedCall(String callId, String tool, Map<String, Object> args, String disposition, String reason) {
        public static final String EXECUTE = "execute";
        public static final String AWAIT_APPROVAL = "await_approval";
        public static final String REFUSED = "refused";

        public PlannedCall {
            args = args == null ? Map.of() : Map.copyOf(args);
        }
    }
}
