package io.aidesk.command.agentrun;

import io.aidesk.api.InvalidCommandException;
import io.aidesk.api.StateConflictException;
import io.aidesk.api.agentrun.ArgsHash;
import io.aidesk.api.agentrun.PolicyOutcome;
import io.aidesk.api.agentrun.PolicyOutcome.PlannedCall;
import io.aidesk.api.agentrun.RunCommands.ApplyPolicy;
import io.aidesk.api.agentrun.RunCommands.ApproveToolCall;
import io.aidesk.api.agentrun.RunCommands.CompleteRun;
import io.aidesk.api.agentrun.RunCommands.DraftReply;
import io.aidesk.api.agentrun.RunCommands.RateDraft;
import io.aidesk.api.agentrun.RunCommands.RecordDraftOutcome;
import io.aidesk.api.agentrun.DraftOutcome;
import io.aidesk.api.agentrun.RunEvents.DraftRated;
import io.aidesk.api.agentrun.RunEvents.DraftReviewed;
import io.aidesk.api.agentrun.RunCommands.DropCitations;
import io.aidesk.api.agentrun.RunCommands.ExpireToolCall;
import io.aidesk.api.agentrun.RunCommands.FailRun;
import io.aidesk.api.agentrun.RunCommands.HandOffToHuman;
import io.aidesk.api.agentrun.RunCommands.RecordContext;
import io.aidesk.api.agentrun.RunCommands.RecordDecision;
import io.aidesk.api.agentrun.RunCommands.RecordDecisionFailure;
import io.aidesk.api.agentrun.RunCommands.RecordToolExecution;
import io.aidesk.api.agentrun.RunCommands.RecordToolFailure;
import io.aidesk.api.agentrun.RunCommands.RejectToolCall;
import io.aidesk.api.agentrun.RunCommands.SendReply;
import io.aidesk.api.agentrun.RunCommands.StartRun;
import io.aidesk.api.agentrun.RunEvents.CitationsDropped;
import io.aidesk.api.agentrun.RunEvents.ContextRetrieved;
import io.aidesk.api.agentrun.RunEvents.DecisionFailed;
import io.aidesk.api.agentrun.RunEvents.DecisionRecorded;
import io.aidesk.api.agentrun.RunEvents.HandedOffToHuman;
import io.aidesk.api.agentrun.RunEvents.PolicyApplied;
import io.aidesk.api.agentrun.RunEvents.ReplyDrafted;
import io.aidesk.api.agentrun.RunEvents.ReplySent;
import io.aidesk.api.agentrun.RunEvents.RunCompleted;
import io.aidesk.api.agentrun.RunEvents.RunFailed;
import io.aidesk.api.agentrun.RunEvents.RunStarted;
import io.aidesk.api.agentrun.RunEvents.ToolCallApprovalRequested;
import io.aidesk.api.agentrun.RunEvents.ToolCallApproved;
import io.aidesk.api.agentrun.RunEvents.ToolCallExecuted;
import io.aidesk.api.agentrun.RunEvents.ToolCallExpired;
import io.aidesk.api.agentrun.RunEvents.ToolCallFailed;
import io.aidesk.api.agentrun.RunEvents.ToolCallRefused;
import io.aidesk.api.agentrun.RunEvents.ToolCallRejected;
import io.aidesk.api.agentrun.RunEvents.ToolCallRehearsed;
import io.aidesk.api.agentrun.RunEvents.ToolCallRequested;
import io.aidesk.api.agentrun.RunModes;
import io.aidesk.api.agentrun.RunStatus;
import io.aidesk.api.tenancy.MetadataKeys;
import io.aidesk.api.tenancy.MissingTenantException;
import io.aidesk.api.tenancy.NotFoundException;
import io.aidesk.api.tools.ToolNames;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.messaging.annotation.MetaDataValue;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * One answer to one message: what it was asked, what it retrieved, what the model decided, what the policy allowed,
 * every tool call and who approved it. It keeps the steps in order, runs no tool in copilot mode, lets a sensitive
 * call through only with an approval of its exact arguments, and refuses anything after the end. The I/O happens
 * outside.
 */
@Aggregate
public class AgentRun {
    static final int MAX_REASON = 1000;

    @AggregateIdentifier
    private String runId;
    private String tenantId;
    private String conversationId;
    private String mode;
    private boolean decided;
    private boolean policyApplied;
    private boolean replied;
    private boolean handedOff;
    private boolean ended;
    /** the copilot's draft, and the message that sent it once an agent did (or "" when discarded) */
    private String draft;
    private String reviewedAs;
    private final Map<String, Call> calls = new HashMap<>();

    /** A tool call as the run knows it: enough to decide what may still happen to it. */
    record Call(String tool, Map<String, Object> args, String argsHash, String status) {
        Call with(String newStatus) {
            return new Call(tool, args, argsHash, newStatus);
        }
    }

    protected AgentRun() {
    }

    @CommandHandler
    public AgentRun(StartRun command, @MetaDataValue(MetadataKeys.TENANT_ID) String tenant,
                    @MetaDataValue(MetadataKeys.USER_ID) String user) {
        if (tenant == null) {
            throw new MissingTenantException(StartRun.class.getSimpleName());
        }
        if (!RunModes.COPILOT.equals(command.mode()) && !RunModes.AUTOPILOT.equals(command.mode())
                && !RunModes.REPLAY.equals(command.mode())) {
            throw new InvalidCommandException("mode", "mode is copilot, autopilot or replay, got '" + command.mode()
                    + "'");
        }
        if (command.input() == null || command.input().isBlank()) {
            throw new InvalidCommandException("message", "a run needs the message it answers");
        }
        apply(new RunStarted(command.runId(), tenant, command.conversationId(), command.mode(), command.input(),
                ArgsHash.sha256(command.input()), user == null ? "system" : user, command.messageId(),
                command.contactId()));
    }

    @CommandHandler
    void handle(RecordContext command, @MetaDataValue(MetadataKeys.TENANT_ID) String tenant) {
        open(tenant);
        apply(new ContextRetrieved(runId, tenantId, command.query(), List.copyOf(command.chunks())));
    }

    @CommandHandler
    void handle(RecordDecision command, @MetaDataValue(MetadataKeys.TENANT_ID) String tenant) {
        open(tenant);
        if (decided) {
            return; // a redelivered step: the first decision stands
        }
        apply(new DecisionRecorded(runId, tenantId, command.decision(), command.usage(), command.rawOutput(),
                command.settings(), command.basis()));
    }

    @CommandHandler
    void handle(RecordDecisionFailure command, @MetaDataValue(MetadataKeys.TENANT_ID) String tenant) {
        open(tenant);
        if (decided) {
            return;
        }
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
        requireDecided();
        apply(new ReplyDrafted(runId, tenantId, command.reply(), List.copyOf(command.citations()), command.confidence(),
                command.needsHuman()));
    }

    @CommandHandler
    void handle(ApplyPolicy command, @MetaDataValue(MetadataKeys.TENANT_ID) String tenant) {
        open(tenant);
        requireDecided();
        if (policyApplied) {
            return;
        }
        PolicyOutcome outcome = command.outcome();
        if (RunModes.COPILOT.equals(mode) && !outcome.calls().isEmpty()) {
            throw new IllegalStateException("a copilot run never runs a tool");
        }
        boolean rehearsal = RunModes.REPLAY.equals(mode);
        apply(new PolicyApplied(runId, tenantId, outcome.outcome(), outcome.reasons(), outcome.handoffReason()));
        for (PlannedCall call : outcome.calls()) {
            if (calls.containsKey(call.callId())) {
                throw new IllegalStateException("call " + call.callId() + " is requested twice");
            }
            if (rehearsal) {
                // what would run or wait for an admin, recorded as such: no worker executes it, no admin is asked
                apply(new ToolCallRehearsed(runId, tenantId, call.callId(), call.tool(), call.args(),
                        call.disposition(), call.reason()));
                continue;
            }
            apply(new ToolCallRequested(runId, tenantId, call.callId(), call.tool(), call.args(), call.disposition(),
                    call.reason()));
            switch (call.disposition()) {
                case PlannedCall.REFUSED -> apply(new ToolCallRefused(runId, tenantId, call.callId(), call.tool(),
                        call.reason()));
                case PlannedCall.AWAIT_APPROVAL -> apply(new ToolCallApprovalRequested(runId, tenantId, call.callId(),
                        call.tool(), call.args(), ArgsHash.of(call.tool(), call.args()), command.approvalDeadline()));
                case PlannedCall.EXECUTE -> {
                    if (ToolNames.SENSITIVE.contains(call.tool())) {
                        throw new IllegalStateException(call.tool() + " is sensitive: it cannot run without approval");
                    }
                }
                default -> throw new IllegalStateException("unknown disposition " + call.disposition());
            }
        }
    }

    @CommandHandler
    void handle(SendReply command, @MetaDataValue(MetadataKeys.TENANT_ID) String tenant) {
        open(tenant);
        requireDecided();
        requireLive("sends no reply");
        if (replied) {
            return;
        }
        apply(new ReplySent(runId, tenantId, conversationId, command.messageId(), command.reply(),
                command.citations() == null ? List.of() : List.copyOf(command.citations()), command.confidence()));
    }

    @CommandHandler
    void handle(ApproveToolCall command, @MetaDataValue(MetadataKeys.TENANT_ID) String tenant,
                @MetaDataValue(MetadataKeys.USER_ID) String user) {
        Call call = pending(tenant, command.callId());
        if (command.argsHash() != null && !command.argsHash().equals(call.argsHash())) {
            throw new StateConflictException("the arguments changed since they were shown: approve the call as it is now ("
                    + call.argsHash() + ")");
        }
        apply(new ToolCallApproved(runId, tenantId, command.callId(), call.tool(), call.args(), call.argsHash(), user));
    }

    @CommandHandler
    void handle(RejectToolCall command, @MetaDataValue(MetadataKeys.TENANT_ID) String tenant,
                @MetaDataValue(MetadataKeys.USER_ID) String user) {
        if (command.reason() == null || command.reason().isBlank()) {
            throw new InvalidCommandException("reason", "say why the call is rejected");
        }
        if (command.reason().length() > MAX_REASON) {
            throw new InvalidCommandException("reason", "a reason is at most " + MAX_REASON + " characters");
        }
        Call call = pending(tenant, command.callId());
        apply(new ToolCallRejected(runId, tenantId, command.callId(), call.tool(), user, command.reason().strip()));
    }

    @CommandHandler
    void handle(ExpireToolCall command, @MetaDataValue(MetadataKeys.TENANT_ID) String tenant) {
        owned(tenant);
        Call call = calls.get(command.callId());
        if (call != null && RunStatus.CALL_AWAITING_APPROVAL.equals(call.status())) {
            apply(new ToolCallExpired(runId, tenantId, command.callId(), call.tool()));
        }
    }

    @CommandHandler
    void handle(RecordToolExecution command, @MetaDataValue(MetadataKeys.TENANT_ID) String tenant) {
        Call call = runnable(tenant, command.callId());
        if (call != null) {
            apply(new ToolCallExecuted(runId, tenantId, command.callId(), call.tool(),
                    command.result() == null ? Map.of() : command.result()));
        }
    }

    @CommandHandler
    void handle(RecordToolFailure command, @MetaDataValue(MetadataKeys.TENANT_ID) String tenant) {
        Call call = runnable(tenant, command.callId());
        if (call != null) {
            apply(new ToolCallFailed(runId, tenantId, command.callId(), call.tool(), command.error()));
        }
    }

    @CommandHandler
    void handle(HandOffToHuman command, @MetaDataValue(MetadataKeys.TENANT_ID) String tenant) {
        open(tenant);
        requireLive("hands nothing over");
        if (!PolicyOutcome.HANDOFF_REASONS.contains(command.reason())) {
            throw new InvalidCommandException("reason", "a handoff reason is one of " + PolicyOutcome.HANDOFF_REASONS);
        }
        if (handedOff) {
            return;
        }
        apply(new HandedOffToHuman(runId, tenantId, conversationId, command.reason(), command.summary()));
    }

    @CommandHandler
    DraftOutcome handle(RecordDraftOutcome command, @MetaDataValue(MetadataKeys.TENANT_ID) String tenant,
                        @MetaDataValue(MetadataKeys.USER_ID) String user) {
        owned(tenant);
        if (!RunModes.COPILOT.equals(mode) || draft == null) {
            throw new StateConflictException("this run drafted no reply for an agent: only a copilot draft is sent or "
                    + "discarded");
        }
        String as = command.messageId() == null ? "" : command.messageId();
        if (reviewedAs != null) {
            if (reviewedAs.equals(as) && !as.isEmpty()) {
                return outcomeOf(command.sentText()); // the same sending again (a retried request)
            }
            throw new StateConflictException(reviewedAs.isEmpty() ? "the draft was discarded already"
                    : "the draft was sent already");
        }
        DraftOutcome outcome = command.messageId() == null ? DraftOutcome.DISCARDED : outcomeOf(command.sentText());
        apply(new DraftReviewed(runId, tenantId, conversationId, outcome, command.sentText(), command.messageId(),
                command.reason(), user == null ? "system" : user));
        return outcome;
    }

    /** As drafted when only spacing differs: an agent who sends what the copilot wrote did not edit it. */
    private DraftOutcome outcomeOf(String sent) {
        return normalised(sent).equals(normalised(draft)) ? DraftOutcome.SENT_AS_DRAFTED : DraftOutcome.EDITED;
    }

    private static String normalised(String text) {
        return text == null ? "" : text.strip().replaceAll("\\s+", " ");
    }

    @CommandHandler
    void handle(RateDraft command, @MetaDataValue(MetadataKeys.TENANT_ID) String tenant,
                @MetaDataValue(MetadataKeys.USER_ID) String user) {
        owned(tenant);
        if (!RunModes.COPILOT.equals(mode) || draft == null) {
            throw new StateConflictException("this run drafted no reply for an agent: only a copilot draft is rated");
        }
        apply(new DraftRated(runId, tenantId, command.helpful(), command.reason(), user == null ? "system" : user));
    }

    @CommandHandler
    void handle(CompleteRun command, @MetaDataValue(MetadataKeys.TENANT_ID) String tenant) {
        open(tenant);
        apply(new RunCompleted(runId, tenantId, mode));
    }

    @CommandHandler
    void handle(FailRun command, @MetaDataValue(MetadataKeys.TENANT_ID) String tenant) {
        open(tenant);
        apply(new RunFailed(runId, tenantId, mode, command.kind(), command.reason()));
    }

    private void owned(String tenant) {
        if (tenant == null || !tenant.equals(tenantId)) {
            throw new NotFoundException("agent run");
        }
    }

    private void open(String tenant) {
        owned(tenant);
        if (ended) {
            throw new IllegalStateException("run " + runId + " has ended");
        }
    }

    /** A replay run is a rehearsal: it reaches no customer, no person and no CRM. */
    private void requireLive(String what) {
        if (RunModes.REPLAY.equals(mode)) {
            throw new StateConflictException("a replay run " + what + ": it only records what it would do");
        }
    }

    private void requireDecided() {
        if (!decided) {
            throw new IllegalStateException("run " + runId + " has no decision yet");
        }
    }

    /** A call an admin may still decide; deciding it twice or after its deadline is a conflict. */
    private Call pending(String tenant, String callId) {
        owned(tenant);
        Call call = calls.get(callId);
        if (call == null) {
            throw new NotFoundException("tool call");
        }
        if (!RunStatus.CALL_AWAITING_APPROVAL.equals(call.status())) {
            throw new StateConflictException("the call is " + call.status() + ", not awaiting approval");
        }
        return call;
    }

    /** @return the call when it may record a result now; null when its result is already recorded (a redelivery) */
    private Call runnable(String tenant, String callId) {
        owned(tenant);
        Call call = calls.get(callId);
        if (call == null) {
            throw new NotFoundException("tool call");
        }
        requireLive("runs no tool");
        return switch (call.status()) {
            case RunStatus.CALL_REQUESTED, RunStatus.CALL_APPROVED -> call;
            case RunStatus.CALL_EXECUTED, RunStatus.CALL_FAILED -> null;
            default -> throw new StateConflictException("the call is " + call.status() + ": it may not run");
        };
    }

    @EventSourcingHandler
    void on(RunStarted event) {
        runId = event.runId();
        tenantId = event.tenantId();
        conversationId = event.conversationId();
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
    void on(PolicyApplied event) {
        policyApplied = true;
    }

    @EventSourcingHandler
    void on(ToolCallRequested event) {
        calls.put(event.callId(), new Call(event.tool(), event.args(), ArgsHash.of(event.tool(), event.args()),
                RunStatus.CALL_REQUESTED));
    }

    @EventSourcingHandler
    void on(ToolCallRehearsed event) {
        calls.put(event.callId(), new Call(event.tool(), event.args(), ArgsHash.of(event.tool(), event.args()),
                RunStatus.CALL_REHEARSED));
    }

    @EventSourcingHandler
    void on(ToolCallRefused event) {
        calls.computeIfPresent(event.callId(), (id, call) -> call.with(RunStatus.CALL_REFUSED));
    }

    @EventSourcingHandler
    void on(ToolCallApprovalRequested event) {
        calls.computeIfPresent(event.callId(), (id, call) -> call.with(RunStatus.CALL_AWAITING_APPROVAL));
    }

    @EventSourcingHandler
    void on(ToolCallApproved event) {
        calls.computeIfPresent(event.callId(), (id, call) -> call.with(RunStatus.CALL_APPROVED));
    }

    @EventSourcingHandler
    void on(ToolCallRejected event) {
        calls.computeIfPresent(event.callId(), (id, call) -> call.with(RunStatus.CALL_REJECTED));
    }

    @EventSourcingHandler
    void on(ToolCallExpired event) {
        calls.computeIfPresent(event.callId(), (id, call) -> call.with(RunStatus.CALL_EXPIRED));
    }

    @EventSourcingHandler
    void on(ToolCallExecuted event) {
        calls.computeIfPresent(event.callId(), (id, call) -> call.with(RunStatus.CALL_EXECUTED));
    }

    @EventSourcingHandler
    void on(ToolCallFailed event) {
        calls.computeIfPresent(event.callId(), (id, call) -> call.with(RunStatus.CALL_FAILED));
    }

    @EventSourcingHandler
    void on(ReplySent event) {
        replied = true;
    }

    @EventSourcingHandler
    void on(HandedOffToHuman event) {
        handedOff = true;
    }

    @EventSourcingHandler
    void on(ReplyDrafted event) {
        draft = event.reply();
    }

    @EventSourcingHandler
    void on(DraftReviewed event) {
        reviewedAs = event.messageId() == null ? "" : event.messageId();
    }

    @EventSourcingHandler
    void on(RunCompleted event) {
        ended = true;
    }

    @EventSourcingHandler
    void on(RunFailed event) {
        ended = true;
    }
}
