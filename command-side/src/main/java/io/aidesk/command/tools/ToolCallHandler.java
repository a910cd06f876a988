package io.aidesk.command.tools;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.aidesk.api.agentrun.ArgsHash;
import io.aidesk.api.agentrun.RunCommands.ExecuteToolCall;
import io.aidesk.api.agentrun.RunCommands.RecordToolExecution;
import io.aidesk.api.agentrun.RunCommands.RecordToolFailure;
import io.aidesk.api.tenancy.MetadataKeys;
import io.aidesk.command.crm.CrmUnavailableException;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.annotation.MetaDataValue;
import org.springframework.stereotype.Component;

/**
 * Runs a tool call of an autopilot run through the CRM adapter and reports the result to the run. Stateless: the run
 * decides what may run, the executor's idempotency key makes a second delivery return the first result.
 */
@Component
class ToolCallHandler {
    private final ToolExecutor executor;
    private final CommandGateway commands;
    private final ObjectMapper json;

    ToolCallHandler(ToolExecutor executor, CommandGateway commands, ObjectMapper json) {
        this.executor = executor;
        this.commands = commands;
        this.json = json;
    }

    @CommandHandler
    void handle(ExecuteToolCall command, @MetaDataValue(MetadataKeys.TENANT_ID) String tenant) {
        if (command.argsHash() != null && !command.argsHash().equals(ArgsHash.of(command.tool(), command.args()))) {
            // what runs is exactly what was approved, or nothing
            commands.sendAndWait(new RecordToolFailure(command.runId(), command.callId(),
                    "the arguments differ from the approved ones; nothing was done"));
            return;
        }
        try {
            ToolExecutor.Execution execution = executor.execute(new ToolCall(tenant, command.runId(), command.callId(),
                    command.tool(), json.valueToTree(command.args()), command.actor()));
            commands.sendAndWait(new RecordToolExecution(command.runId(), command.callId(), execution.result()));
        } catch (InvalidToolCallException refused) {
            commands.sendAndWait(new RecordToolFailure(command.runId(), command.callId(),
                    refused.field() + ": " + refused.getMessage()));
        } catch (CrmUnavailableException unavailable) {
            commands.sendAndWait(new RecordToolFailure(command.runId(), command.callId(), unavailable.getMessage()));
        }
    }
}
