package io.aidesk.command.agentrun;

import io.aidesk.api.InvalidCommandException;
import io.aidesk.api.agentrun.RunCommands.CompleteRun;
import io.aidesk.api.agentrun.RunCommands.DraftReply;
import io.aidesk.api.agentrun.RunCommands.DropCitations;
import io.aidesk.api.agentrun.RunCommands.RecordContext;
import io.aidesk.api.agentrun.RunCommands.RecordDecision;
import io.aidesk.api.agentrun.RunCommands.RecordDecisionFailure;
import io.aidesk.api.agentrun.RunCommands.StartRun;
import io.aidesk.api.agentrun.RunEvents.CitationsDropped;
import io.aidesk.api.agentrun.RunEvents.ContextRetrieved;
import io.aidesk.api.agentrun.RunEvents.DecisionFailed;
import io.aidesk.api.agentrun.RunEvents.DecisionRecorded;
import io.aidesk.api.agentrun.RunEvents.ReplyDrafted;
import io.aidesk.api.agentrun.RunEvents.RunCompleted;
import io.aidesk.api.agentrun.RunEvents.RunStarted;
import io.aidesk.api.agentrun.RunModes;
import io.aidesk.api.tenancy.MetadataKeys;
import io.aidesk.api.tenancy.MissingTenantException;
import io.aidesk.api.tenancy.NotFoundException;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.messaging.annotation.MetaDataValue;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * One answer to one message: what it was asked, what it retrieved, what the model decided, what it drafted. It keeps
 * the steps in order and refuses anything after completion; the I/O (retrieval, the model) happens outside.
 */
@Aggregate
public class AgentRun {
    @AggregateIdentifier
    private String runId;
    private String tenantId;
    private String mode;
    private boolean decided;
    private boolean completed;

    protected AgentRun() {
    }

    @CommandHandler
    public AgentRun(StartRun command, @MetaDataValue(MetadataKeys.TENANT_ID) String tenant,
                    @MetaDataValue(MetadataKeys.USER_ID) String user) {
        if (tenant == null) {
            throw new MissingTenantException(StartRun.class.getSimpleName());
        }
        if (!RunModes.COPILOT.equals(command.mode()) && !RunModes.AUTOPILOT.equals(command.mode())) {
            throw new InvalidCommandException("mode", "mode is copilot or autopilot, got '" + command.mode() + "'");
        }
        if (command.input() == null || command.input().isBlank()) {
            throw new InvalidCommandException("message", "a run needs the message it answers");
        }
        apply(new RunStarted(command.runId(), tenant, command.conversationId(), command.mode(), command.input(),
                sha256(command.input()), user == null ? "system" : user));
    }

    @CommandHandler
    void handle(RecordContext command, @MetaDataValue(MetadataKeys.TENANT_ID) String tenant) {
        open(tenant);
        apply(new ContextRetrieved(runId, tenantId, command.query(), List.copyOf(command.chunks())));
    }

    @CommandHandler
    void handle(RecordDecision command, @MetaDataValue(MetadataKeys.TENANT_ID) String tenant) {
        open(tenant);
        apply(new DecisionRecorded(runId, tenantId, command.decision(), command.usage(), command.rawOutput()));
    }

    @CommandHandler
    void handle(RecordDecisionFailure command, @MetaDataValue(MetadataKeys.TENANT_ID) String tenant) {
        open(tenant);
        apply(new DecisionFailed(runId, tenantId, command.model(), command.kind(), command.reason(), command.latencyMs()));
    }

    @CommandHandler
    void handle(DropCitations command, @MetaDataValue(MetadataKeys.TENANT_ID) String tenant) {
        open(tenant);
        if (!command.chunkIds().isEmpty()) {
            apply(new CitationsDropped(runId, tenantId, List.copyOf(command.chunkIds()), command.reason()));
        }
    }

    @CommandHandler
    void handle(DraftReply command, @MetaDataValue(MetadataKeys.TENANT_ID) String tenant) {
        open(tenant);
        if (!decided) {
            throw new IllegalStateException("a reply is drafted after a decision (or its failure) is recorded");
        }
        apply(new ReplyDrafted(runId, tenantId, command.reply(), List.copyOf(command.citations()), command.confidence(),
                command.needsHuman()));
    }

    @CommandHandler
    void handle(CompleteRun command, @MetaDataValue(MetadataKeys.TENANT_ID) String tenant) {
        open(tenant);
        apply(new RunCompleted(runId, tenantId, mode));
    }

    private void open(String tenant) {
        if (tenant == null || !tenant.equals(tenantId)) {
            throw new NotFoundException("agent run");
        }
        if (completed) {
            throw new IllegalStateException("run " + runId + " is complete");
        }
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @EventSourcingHandler
    void on(RunStarted event) {
        runId = event.runId();
        tenantId = event.tenantId();
        mode = event.mode();
    }

    @EventSourcingHandler
    void on(DecisionRecorded event) {
        decided = true;
    }

    @EventSourcingHandler
    void on(DecisionFailed event) {
        decided = true;
    }

    @EventSourcingHandler
    void on(RunCompleted event) {
        completed = true;
    }
}
