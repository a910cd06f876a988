package io.aidesk.command.tools;

import io.aidesk.api.agentrun.PolicyOutcome.PlannedCall;
import io.aidesk.api.agentrun.RunCommands.ExecuteToolCall;
import io.aidesk.api.agentrun.RunEvents.ToolCallApproved;
import io.aidesk.api.agentrun.RunEvents.ToolCallRequested;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.stereotype.Component;

/**
 * Executes the calls a run's policy allowed and the calls an admin approved, on a processor of its own: a slow CRM
 * holds up no decision, and a call requested but not yet run when the node stops is delivered again after restart.
 */
@Component
@ProcessingGroup(ToolCallWorker.PROCESSING_GROUP)
class ToolCallWorker {
    static final String PROCESSING_GROUP = "tool-calls";
    /** Who the CRM records for a call the policy allowed on its own. */
    static final String AUTOPILOT = "autopilot";

    private final CommandGateway commands;

    ToolCallWorker(CommandGateway commands) {
        this.commands = commands;
    }

    @EventHandler
    void on(ToolCallRequested event) {
        if (PlannedCall.EXECUTE.equals(event.disposition())) {
            // no approval to be bound to: the policy allowed the call as requested
            commands.sendAndWait(new ExecuteToolCall(event.runId(), event.callId(), event.tool(), event.args(), null,
                    AUTOPILOT));
        }
    }

    @EventHandler
    void on(ToolCallApproved event) {
        commands.sendAndWait(new ExecuteToolCall(event.runId(), event.callId(), event.tool(), event.args(),
                event.argsHash(), event.by()));
    }
}
