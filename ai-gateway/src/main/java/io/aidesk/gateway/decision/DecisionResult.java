package io.aidesk.gateway.decision;

import io.aidesk.api.decision.Decision;
import io.aidesk.api.decision.DecisionUsage;

/** @param rawOutput what the model answered, as it answered it (JSON), for the audit */
public record DecisionResult(Decision decision, DecisionUsage usage, String rawOutput) {
}
