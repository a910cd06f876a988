package io.aidesk.command.agentrun;

import io.aidesk.api.StateConflictException;
import io.aidesk.api.agentrun.ArgsHash;
import io.aidesk.api.agentrun.PolicyOutcome;
import io.aidesk.api.agentrun.PolicyOutcome.PlannedCall;
import io.aidesk.api.agentrun.RunCommands.ApplyPolicy;
import io.aidesk.api.agentrun.RunCommands.ApproveToolCall;
import io.aidesk.api.agentrun.RunCommands.CompleteRun;
import io.aidesk.api.agentrun.RunCommands.ExpireToolCall;
import io.aidesk.api.agentrun.RunCommands.RecordToolExecution;
import io.aidesk.api.agentrun.RunCommands.RecordToolFailure;
import io.aidesk.api.agentrun.RunCommands.RejectToolCall;
import io.aidesk.api.agentrun.RunCommands.SendReply;
import io.aidesk.api.agentrun.RunCommands.StartRun;
import io.aidesk.api.agentrun.RunEvents.DecisionRecorded;
import io.aidesk.api.agentrun.RunEvents.PolicyApplied;
import io.aidesk.api.agentrun.RunEvents.ReplySent;
import io.aidesk.api.agentrun.RunEvents.RunCompleted;
import io.aidesk.api.agentrun.RunEvents.RunStarted;
import io.aidesk.api.agentrun.RunEvents.ToolCallApprovalRequested;
import io.aidesk.api.agentrun.RunEvents.ToolCallApproved;
import io.aidesk.api.agentrun.RunEvents.ToolCallExecuted;
import io.aidesk.api.agentrun.RunEvents.ToolCallExpired;
import io.aidesk.api.agentrun.RunEvents.ToolCallFailed;
import io.aidesk.api.agentrun.RunEvents.ToolCallRefused;
import io.aidesk.api.agentrun.RunEvents.ToolCallRejected;
import io.aidesk.api.agentrun.RunEvents.ToolCallRequested;
import io.aidesk.api.agentrun.RunModes;
import io.aidesk.api.decision.Decision;
import io.aidesk.api.decision.DecisionUsage;
import io.aidesk.api.settings.AssistantSettingsValues;
import io.aidesk.api.tenancy.MetadataKeys;
import io.aidesk.api.tenancy.NotFoundException;
import org.axonframework.messaging.MetaData;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The run keeps its steps in order and lets a sensitive call through only with an approval of its exact arguments. */
class AgentRunTest {
    private static final String RUN = "7c1f0d6e-0000-4000-8000-000000000001";
    private static final MetaData ACME = MetaData.with(MetadataKeys.TENANT_ID, "acme").and(MetadataKeys.USER_ID, "ana");
    private static final MetaData GLOBEX = MetaData.with(MetadataKeys.TENANT_ID, "globex").and(MetadataKeys.USER_ID, "eve");
    private static final Instant DEADLINE = Instant.parse("2026-11-23T12:00:00Z");
    private static final Map<String, Object> TICKET = Map.of("contact_id", "c-1", "subject", "Leak", "priority", "high",
            "summary", "kitchen leak", "tags", List.of());
    private static final Map<String, Object> CANCEL = Map.of("contact_id", "c-1", "reason", "moving abroad");

    private AggregateTestFixture<AgentRun> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(AgentRun.class);
    }

    private static RunStarted started(String mode) {
        return new RunStarted(RUN, "acme", "conv-1", mode, "my sink leaks", ArgsHash.sha256("my sink leaks"), "svc",
                "msg-1", "c-1");
    }

    private static DecisionRecorded decided() {
        return new DecisionRecorded(RUN, "acme", new Decision("support", 0.9, false, List.of(), "We'll open a ticket.",
                List.of(), List.of()), new DecisionUsage("offline", 10, 5, 3, 0), "{}", AssistantSettingsValues.defaults());
    }

    private static PolicyOutcome outcome(PlannedCall... calls) {
        return new PolicyOutcome(PolicyOutcome.ANSWER, List.of("confidence 0.9 meets the threshold 0.75"), null,
                List.of(calls));
    }

    private static PlannedCall ticket() {
        return new PlannedCall("call-1", "create_ticket", TICKET, PlannedCall.EXECUTE, "allowed");
    }

    private static PlannedCall cancel() {
        return new PlannedCall("call-2", "cancel_subscription", CANCEL, PlannedCall.AWAIT_APPROVAL,
                "sensitive tools need an admin's approval");
    }

    private Object[] awaitingCancel() {
        return new Object[]{started(RunModes.AUTOPILOT), decided(),
                new PolicyApplied(RUN, "acme", "answer", List.of("ok"), null),
                new ToolCallRequested(RUN, "acme", "call-2", "cancel_subscription", CANCEL, PlannedCall.AWAIT_APPROVAL, "x"),
                new ToolCallApprovalRequested(RUN, "acme", "call-2", "cancel_subscription", CANCEL,
                        ArgsHash.of("cancel_subscription", CANCEL), DEADLINE)};
    }

    @Test
    void anAutopilotRunStartsWithItsInputAndTheMessageItAnswers() {
        fixture.givenNoPriorActivity()
                .when(new StartRun(RUN, "conv-1", RunModes.AUTOPILOT, "my sink leaks", "msg-1", "c-1"),
                        MetaData.with(MetadataKeys.TENANT_ID, "acme").and(MetadataKeys.USER_ID, "svc"))
                .expectEvents(started(RunModes.AUTOPILOT));
    }

    @Test
    void thePolicyRequestsAllowedCallsHoldsSensitiveOnesForApprovalAndRecordsRefusals() {
        PlannedCall refused = new PlannedCall("call-3", "issue_credit", Map.of(), PlannedCall.REFUSED,
                "not in the tenant's allowed tools");
        fixture.given(started(RunModes.AUTOPILOT), decided())
                .when(new ApplyPolicy(RUN, outcome(ticket(), cancel(), refused), DEADLINE), ACME)
                .expectEvents(new PolicyApplied(RUN, "acme", "answer", List.of("confidence 0.9 meets the threshold 0.75"), null),
                        new ToolCallRequested(RUN, "acme", "call-1", "create_ticket", TICKET, PlannedCall.EXECUTE, "allowed"),
                        new ToolCallRequested(RUN, "acme", "call-2", "cancel_subscription", CANCEL,
                                PlannedCall.AWAIT_APPROVAL, "sensitive tools need an admin's approval"),
                        new ToolCallApprovalRequested(RUN, "acme", "call-2", "cancel_subscription", CANCEL,
                                ArgsHash.of("cancel_subscription", CANCEL), DEADLINE),
                        new ToolCallRequested(RUN, "acme", "call-3", "issue_credit", Map.of(), PlannedCall.REFUSED,
                                "not in the tenant's allowed tools"),
                        new ToolCallRefused(RUN, "acme", "call-3", "issue_credit", "not in the tenant's allowed tools"));
    }

    @Test
    void noPolicyBeforeADecisionAndNoSensitiveCallWithoutApproval() {
        fixture.given(started(RunModes.AUTOPILOT))
                .when(new ApplyPolicy(RUN, outcome(ticket()), DEADLINE), ACME)
                .expectException(IllegalStateException.class).expectNoEvents();
        fixture.given(started(RunModes.AUTOPILOT), decided())
                .when(new ApplyPolicy(RUN, outcome(new PlannedCall("call-1", "cancel_subscription", CANCEL,
                        PlannedCall.EXECUTE, "allowed")), DEADLINE), ACME)
                .expectException(IllegalStateException.class).expectNoEvents();
    }

    @Test
    void aCopilotRunNeverRequestsATool() {
        fixture.given(started(RunModes.COPILOT), decided())
                .when(new ApplyPolicy(RUN, outcome(ticket()), DEADLINE), ACME)
                .expectException(IllegalStateException.class).expectNoEvents();
    }

    @Test
    void anApprovalRecordsTheApproverAndTheExactArgumentsItIsBoundTo() {
        fixture.given(awaitingCancel())
                .when(new ApproveToolCall(RUN, "call-2", ArgsHash.of("cancel_subscription", CANCEL)), ACME)
                .expectEvents(new ToolCallApproved(RUN, "acme", "call-2", "cancel_subscription", CANCEL,
                        ArgsHash.of("cancel_subscription", CANCEL), "ana"));
    }

    @Test
    void anApprovalOfOtherArgumentsThanTheRunHoldsIsAConflict() {
        fixture.given(awaitingCancel())
                .when(new ApproveToolCall(RUN, "call-2", ArgsHash.of("cancel_subscription", Map.of("contact_id", "c-9",
                        "reason", "moving abroad"))), ACME)
                .expectException(StateConflictException.class).expectNoEvents();
    }

    @Test
    void decidingTwiceOrAfterTheDeadlineIsAConflict() {
        Object[] approved = List.of(awaitingCancel(), new Object[]{new ToolCallApproved(RUN, "acme", "call-2",
                "cancel_subscription", CANCEL, ArgsHash.of("cancel_subscription", CANCEL), "ana")}).stream()
                .flatMap(java.util.Arrays::stream).toArray();
        fixture.given(approved).when(new RejectToolCall(RUN, "call-2", "changed my mind"), ACME)
                .expectException(StateConflictException.class).expectNoEvents();
        fixture.given(approved).when(new ApproveToolCall(RUN, "call-2", null), ACME)
                .expectException(StateConflictException.class).expectNoEvents();

        Object[] expired = List.of(awaitingCancel(), new Object[]{new ToolCallExpired(RUN, "acme", "call-2",
                "cancel_subscription")}).stream().flatMap(java.util.Arrays::stream).toArray();
        fixture.given(expired).when(new ApproveToolCall(RUN, "call-2", null), ACME)
                .expectException(StateConflictException.class).expectNoEvents();
        fixture.given(expired).when(new RecordToolExecution(RUN, "call-2", Map.of("status", "cancelled")), ACME)
                .expectException(StateConflictException.class).expectNoEvents();
    }

    @Test
    void aRejectionNeedsAReasonAndKeepsTheCallFromEverRunning() {
        fixture.given(awaitingCancel()).when(new RejectToolCall(RUN, "call-2", " "), ACME)
                .expectException(io.aidesk.api.InvalidCommandException.class).expectNoEvents();
        fixture.given(awaitingCancel()).when(new RejectToolCall(RUN, "call-2", "customer confirmed by phone they stay"), ACME)
                .expectEvents(new ToolCallRejected(RUN, "acme", "call-2", "cancel_subscription", "ana",
                        "customer confirmed by phone they stay"));
        fixture.given(List.of(awaitingCancel(), new Object[]{new ToolCallRejected(RUN, "acme", "call-2",
                        "cancel_subscription", "ana", "no")}).stream().flatMap(java.util.Arrays::stream).toList())
                .when(new RecordToolExecution(RUN, "call-2", Map.of()), ACME)
                .expectException(StateConflictException.class).expectNoEvents();
    }

    @Test
    void aPendingCallWaitingForApprovalCannotRecordAResult() {
        fixture.given(awaitingCancel()).when(new RecordToolExecution(RUN, "call-2", Map.of("status", "cancelled")), ACME)
                .expectException(StateConflictException.class).expectNoEvents();
    }

    @Test
    void theDeadlineExpiresOnlyAPendingCall() {
        fixture.given(awaitingCancel()).when(new ExpireToolCall(RUN, "call-2"), ACME)
                .expectEvents(new ToolCallExpired(RUN, "acme", "call-2", "cancel_subscription"));
        fixture.given(List.of(awaitingCancel(), new Object[]{new ToolCallApproved(RUN, "acme", "call-2",
                        "cancel_subscription", CANCEL, "h", "ana")}).stream().flatMap(java.util.Arrays::stream).toList())
                .when(new ExpireToolCall(RUN, "call-2"), ACME)
                .expectNoEvents();
    }

    @Test
    void aResultIsRecordedOnceWhateverRedeliversIt() {
        Object[] requested = {started(RunModes.AUTOPILOT), decided(), new PolicyApplied(RUN, "acme", "answer", List.of(), null),
                new ToolCallRequested(RUN, "acme", "call-1", "create_ticket", TICKET, PlannedCall.EXECUTE, "allowed")};
        fixture.given(requested).when(new RecordToolExecution(RUN, "call-1", Map.of("ticket_id", "t-1")), ACME)
                .expectEvents(new ToolCallExecuted(RUN, "acme", "call-1", "create_ticket", Map.of("ticket_id", "t-1")));
        fixture.given(List.of(requested, new Object[]{new ToolCallExecuted(RUN, "acme", "call-1", "create_ticket",
                        Map.of("ticket_id", "t-1"))}).stream().flatMap(java.util.Arrays::stream).toList())
                .when(new RecordToolExecution(RUN, "call-1", Map.of("ticket_id", "t-1")), ACME)
                .expectNoEvents();
        fixture.given(requested).when(new RecordToolFailure(RUN, "call-1", "args.contact_id: no contact c-1"), ACME)
                .expectEvents(new ToolCallFailed(RUN, "acme", "call-1", "create_ticket", "args.contact_id: no contact c-1"));
    }

    @Test
    void anotherTenantFindsNoRunAndNoCall() {
        fixture.given(awaitingCancel()).when(new ApproveToolCall(RUN, "call-2", null), GLOBEX)
                .expectException(NotFoundException.class).expectNoEvents();
        fixture.given(awaitingCancel()).when(new ApproveToolCall(RUN, "call-9", null), ACME)
                .expectException(NotFoundException.class).expectNoEvents();
    }

    @Test
    void theReplyIsSentOnceAndNothingFollowsTheEnd() {
        fixture.given(started(RunModes.AUTOPILOT), decided())
                .when(new SendReply(RUN, "m-2", "We'll open a ticket.", List.of(), 0.9), ACME)
                .expectEvents(new ReplySent(RUN, "acme", "conv-1", "m-2", "We'll open a ticket.", List.of(), 0.9));
        fixture.given(started(RunModes.AUTOPILOT), decided(), new ReplySent(RUN, "acme", "conv-1", "m-2", "x", List.of(), 0.9))
                .when(new SendReply(RUN, "m-2", "x", List.of(), 0.9), ACME)
                .expectNoEvents();
        fixture.given(started(RunModes.AUTOPILOT), decided(), new RunCompleted(RUN, "acme", RunModes.AUTOPILOT))
                .when(new CompleteRun(RUN), ACME)
                .expectException(IllegalStateException.class).expectNoEvents();
    }
}
