package io.aidesk.saga.autopilot;

import io.aidesk.api.agentrun.FailureKind;
import io.aidesk.api.agentrun.PinnedCitation;
import io.aidesk.api.agentrun.PolicyOutcome;
import io.aidesk.api.agentrun.PolicyOutcome.PlannedCall;
import io.aidesk.api.agentrun.RunCommands.ApplyPolicy;
import io.aidesk.api.agentrun.RunCommands.CompleteRun;
import io.aidesk.api.agentrun.RunCommands.ExpireToolCall;
import io.aidesk.api.agentrun.RunCommands.FailRun;
import io.aidesk.api.agentrun.RunCommands.HandOffToHuman;
import io.aidesk.api.agentrun.RunCommands.SendReply;
import io.aidesk.api.agentrun.RunEvents.DecisionFailed;
import io.aidesk.api.agentrun.RunEvents.DecisionRecorded;
import io.aidesk.api.agentrun.RunEvents.ReplyDrafted;
import io.aidesk.api.agentrun.RunEvents.RunCompleted;
import io.aidesk.api.agentrun.RunEvents.RunFailed;
import io.aidesk.api.agentrun.RunEvents.RunStarted;
import io.aidesk.api.agentrun.RunEvents.ToolCallApproved;
import io.aidesk.api.agentrun.RunEvents.ToolCallExecuted;
import io.aidesk.api.agentrun.RunEvents.ToolCallExpired;
import io.aidesk.api.agentrun.RunEvents.ToolCallFailed;
import io.aidesk.api.agentrun.RunEvents.ToolCallRejected;
import io.aidesk.api.agentrun.RunModes;
import io.aidesk.api.conversation.Channels;
import io.aidesk.api.conversation.ConversationCommands.HandOverConversation;
import io.aidesk.api.conversation.ConversationCommands.PostMessage;
import io.aidesk.api.decision.Decision;
import io.aidesk.api.settings.AssistantSettingsValues;
import io.aidesk.api.tenancy.MetadataKeys;
import io.aidesk.gateway.language.Language;
import io.aidesk.gateway.decision.offline.Replies;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.deadline.DeadlineManager;
import org.axonframework.deadline.annotation.DeadlineHandler;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.modelling.saga.EndSaga;
import org.axonframework.modelling.saga.SagaEventHandler;
import org.axonframework.modelling.saga.SagaLifecycle;
import org.axonframework.modelling.saga.StartSaga;
import org.axonframework.spring.stereotype.Saga;
import org.springframework.beans.factory.annotation.Autowired;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Drives an autopilot run: once the run is decided (the decision worker asks a command handler for it), apply the
 * tenant's policy, request the allowed tool calls, hold sensitive ones for an admin until their deadline, reply, hand
 * over to a person when the policy or a failure says so, and complete. Every step is a command to the run, so every
 * step is an event; the saga itself never waits for a model or a CRM.
 */
@Saga
public class AgentRunSaga {
    static final String APPROVAL_DEADLINE = "approval-deadline";
    static final String RUN_ID = "runId";
    /** Who the conversation shows as the author of the autopilot's replies. */
    static final String AUTOPILOT = "autopilot";

    @Autowired
    private transient CommandGateway commands;
    @Autowired
    private transient DeadlineManager deadlines;
    @Autowired
    private transient AutopilotSettings autopilot;

    private String runId;
    private String tenantId;
    private String conversationId;
    private String contactId;
    private String input;
    private Decision decision;
    private AssistantSettingsValues settings;
    private String failure;
    private FailureKind failureKind;
    /** Calls still to settle (run, fail, be rejected or expire), each with its approval deadline's id if any. */
    private Map<String, String> pending = new LinkedHashMap<>();
    private List<String> failures = new ArrayList<>();

    @StartSaga
    @SagaEventHandler(associationProperty = RUN_ID)
    void on(RunStarted event) {
        if (!RunModes.AUTOPILOT.equals(event.mode())) {
            SagaLifecycle.end();
            return;
        }
        runId = event.runId();
        tenantId = event.tenantId();
        conversationId = event.conversationId();
        contactId = event.contactId();
        input = event.input();
    }

    @SagaEventHandler(associationProperty = RUN_ID)
    void on(DecisionRecorded event) {
        decision = event.decision();
        settings = event.settings();
    }

    @SagaEventHandler(associationProperty = RUN_ID)
    void on(DecisionFailed event) {
        failure = event.kind() + ": " + event.reason();
        failureKind = FailureKind.of(event.kind());
    }

    @SagaEventHandler(associationProperty = RUN_ID)
    void on(ReplyDrafted event, @Timestamp Instant draftedAt) {
        if (failure != null || decision == null) {
            handOff(PolicyOutcome.MODEL_FAILURE, "the model gave no valid decision (" + failure + ")", true);
            commands.sendAndWait(failure == null ? new FailRun(runId, FailureKind.INTERNAL_ERROR, "no decision")
                    : new FailRun(runId, failureKind, failure));
            return;
        }
        PolicyOutcome outcome = AutopilotPolicy.judge(runId, decision, event.reply(), event.confidence(),
                event.needsHuman(), settings, input, conversationId, contactId);
        Instant deadline = draftedAt.plus(settings.approvalTimeoutMinutes() == null ? autopilot.approvalTimeout()
                : Duration.ofMinutes(settings.approvalTimeoutMinutes()));
        commands.sendAndWait(new ApplyPolicy(runId, outcome, deadline));
        switch (outcome.outcome()) {
            case PolicyOutcome.HANDOFF -> {
                handOff(outcome.handoffReason(), String.join("; ", outcome.reasons()), true);
                commands.sendAndWait(new CompleteRun(runId));
            }
            case PolicyOutcome.ASK_FOR_DATA -> {
                reply(event.reply(), List.of(), event.confidence());
                commands.sendAndWait(new CompleteRun(runId));
            }
            default -> {
                reply(event.reply(), event.citations(), event.confidence());
                for (PlannedCall call : outcome.calls()) {
                    if (PlannedCall.EXECUTE.equals(call.disposition())) {
                        pending.put(call.callId(), null);
                    } else if (PlannedCall.AWAIT_APPROVAL.equals(call.disposition())) {
                        pending.put(call.callId(), deadlines.schedule(deadline, APPROVAL_DEADLINE, call.callId()));
                    }
                }
                completeWhenSettled();
            }
        }
    }

    @SagaEventHandler(associationProperty = RUN_ID)
    void on(ToolCallApproved event) {
        cancelDeadline(event.callId());
    }

    @SagaEventHandler(associationProperty = RUN_ID)
    void on(ToolCallExecuted event) {
        settle(event.callId(), null);
    }

    @SagaEventHandler(associationProperty = RUN_ID)
    void on(ToolCallFailed event) {
        settle(event.callId(), event.tool() + " failed: " + event.error());
    }

    @SagaEventHandler(associationProperty = RUN_ID)
    void on(ToolCallRejected event) {
        settle(event.callId(), null);
    }

    @SagaEventHandler(associationProperty = RUN_ID)
    void on(ToolCallExpired event) {
        settle(event.callId(), null);
    }

    /** A deadline message carries no correlation data, so the tenant is named here. */
    @DeadlineHandler(deadlineName = APPROVAL_DEADLINE)
    void approvalDeadlinePassed(String callId) {
        commands.sendAndWait(GenericCommandMessage.asCommandMessage(new ExpireToolCall(runId, callId))
                .andMetaData(Map.of(MetadataKeys.TENANT_ID, tenantId, MetadataKeys.USER_ID, "approval-deadline")));
    }

    @EndSaga
    @SagaEventHandler(associationProperty = RUN_ID)
    void on(RunCompleted event) {
        pending.keySet().forEach(this::cancelDeadline);
    }

    @EndSaga
    @SagaEventHandler(associationProperty = RUN_ID)
    void on(RunFailed event) {
        pending.keySet().forEach(this::cancelDeadline);
    }

    private void settle(String callId, String failed) {
        if (!pending.containsKey(callId)) {
            return;
        }
        cancelDeadline(callId);
        pending.remove(callId);
        if (failed != null) {
            failures.add(failed);
        }
        completeWhenSettled();
    }

    private void completeWhenSettled() {
        if (!pending.isEmpty()) {
            return;
        }
        if (!failures.isEmpty()) {
            // the customer was answered, but what was promised did not happen: a person follows up
            handOff(PolicyOutcome.TOOL_FAILURE, String.join("; ", failures), false);
        }
        commands.sendAndWait(new CompleteRun(runId));
    }

    private void cancelDeadline(String callId) {
        String deadlineId = pending.get(callId);
        if (deadlineId != null) {
            deadlines.cancelSchedule(APPROVAL_DEADLINE, deadlineId);
            pending.put(callId, null);
        }
    }

    /** The run and the conversation record why a person takes over, with a summary; the customer is told so. */
    private void handOff(String reason, String why, boolean tellCustomer) {
        if (tellCustomer) {
            reply(Replies.handingOver(Language.of(input)), List.of(), decision == null ? 0 : decision.confidence());
        }
        String summary = HandoffSummary.of(input, decision, reason, why);
        commands.sendAndWait(new HandOffToHuman(runId, reason, summary));
        commands.sendAndWait(new HandOverConversation(conversationId, runId, reason, summary));
    }

    /**
     * The reply goes on the run and into the conversation, posted by the autopilot, under one message id, so a
     * redelivery posts it once.
     */
    private void reply(String text, List<PinnedCitation> citations, double confidence) {
        String messageId = UUID.nameUUIDFromBytes((runId + "/reply").getBytes(StandardCharsets.UTF_8)).toString();
        commands.sendAndWait(new SendReply(runId, messageId, text, citations, confidence));
        commands.sendAndWait(GenericCommandMessage.asCommandMessage(new PostMessage(conversationId, messageId,
                Channels.ASSISTANT, text)).andMetaData(Map.of(MetadataKeys.USER_ID, AUTOPILOT)));
    }
}
