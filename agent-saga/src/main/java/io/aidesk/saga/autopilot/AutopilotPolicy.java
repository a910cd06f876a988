package io.aidesk.saga.autopilot;

import io.aidesk.api.agentrun.PolicyOutcome;
import io.aidesk.api.decision.Decision;
import io.aidesk.api.settings.AssistantSettingsValues;
import io.aidesk.saga.policy.RunPolicy;

/**
 * What the autopilot does with a guarded draft: the tenant's policy on the decision as the citation guard left it,
 * its calls completed with the conversation and contact and given ids of the run. A live run acts on it; a replay
 * records it, so both judge alike.
 */
public final class AutopilotPolicy {
    private AutopilotPolicy() {
    }

    /** The guarded draft's confidence is what the policy judges: it already pays for citations that were dropped. */
    public static PolicyOutcome judge(String runId, Decision decision, String reply, double confidence,
                                      boolean needsHuman, AssistantSettingsValues settings, String input,
                                      String conversationId, String contactId) {
        Decision guarded = new Decision(decision.intent(), confidence, needsHuman, decision.missingFields(), reply,
                ToolArgs.complete(decision.actions(), conversationId, contactId), decision.citations());
        return RunPolicy.apply(guarded, settings, input).withCallIdsOf(runId);
    }
}
