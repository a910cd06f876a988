package io.aidesk.gateway.decision;

import io.aidesk.api.decision.ConfidenceBasis;
import io.aidesk.api.decision.Decision;
import io.aidesk.api.decision.DecisionUsage;

/**
 * @param rawOutput what the model answered, as it answered it (JSON), for the audit
 * @param basis     why the decision is as confident as it is
 */
public record DecisionResult(Decision decision, DecisionUsage usage, String rawOutput, ConfidenceBasis basis) {
    public DecisionResult(Decision decision, DecisionUsage usage, String rawOutput) {
        this(decision, usage, rawOutput, new ConfidenceBasis(ConfidenceBasis.MODEL, null, null, null));
    }
}
