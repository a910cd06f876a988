package io.aidesk.saga.copilot;

import io.aidesk.api.agentrun.FailureKind;
import io.aidesk.saga.deliberation.Deliberation;

/** A draft that could not be made: its run ended failed with this kind, and the agent is told which run and why. */
public class CopilotFailedException extends RuntimeException {
    private final String runId;
    private final FailureKind kind;

    CopilotFailedException(String runId, Deliberation.Failure failure, Throwable cause) {
        super(failure.reason(), cause);
        this.runId = runId;
        this.kind = failure.kind();
    }

    public String runId() {
        return runId;
    }

    public FailureKind kind() {
        return kind;
    }
}
