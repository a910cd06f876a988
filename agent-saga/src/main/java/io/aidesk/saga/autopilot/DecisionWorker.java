package io.aidesk.saga.autopilot;

import io.aidesk.api.agentrun.RunCommands.DecideRun;
import io.aidesk.api.agentrun.RunEvents.RunStarted;
import io.aidesk.api.agentrun.RunModes;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.stereotype.Component;

/**
 * Asks for an autopilot run's decision on a processor of its own: a slow model (OpenAI may take its timeout, then
 * retry) holds up other decisions at worst, never the saga's approvals and tool results. The steps commit with the
 * processor's token, so a decision interrupted by a stop is asked for again after restart.
 */
@Component
@ProcessingGroup(DecisionWorker.PROCESSING_GROUP)
class DecisionWorker {
    static final String PROCESSING_GROUP = "agent-decisions";

    private final CommandGateway commands;

    DecisionWorker(CommandGateway commands) {
        this.commands = commands;
    }

    @EventHandler
    void on(RunStarted event) {
        if (RunModes.AUTOPILOT.equals(event.mode())) {
            commands.sendAndWait(new DecideRun(event.runId(), event.conversationId(), event.input(), event.contactId()));
        }
    }
}
