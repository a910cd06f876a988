package io.aidesk.command.tools;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One call of a tool for one tenant. Its idempotency key (run id, call id) makes it act at most once.
 *
 * @param actor who the call acts for (the run's user, or the approver of a sensitive call)
 */
public record ToolCall(String tenantId, String runId, String callId, String tool, JsonNode args, String actor) {
    public String idempotencyKey() {
        return runId + "/" + callId;
    }
}
