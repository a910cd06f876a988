package io.aidesk.saga.autopilot;

import io.aidesk.api.agentrun.ArgsHash;
import io.aidesk.api.agentrun.PinnedCitation;
import io.aidesk.api.agentrun.FailureKind;
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
import io.aidesk.api.decision.Decision.ProposedAction;
import io.aidesk.api.decision.DecisionUsage;
import io.aidesk.api.settings.AssistantSettingsValues;
import io.aidesk.api.settings.EscalationRule;
import io.aidesk.api.tools.ToolNames;
import io.aidesk.gateway.decision.offline.Replies;
import org.axonframework.test.saga.SagaTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Every branch of an autopilot run, as the saga drives it: which commands it sends, when, and when it ends. */
class AgentRunSagaTest {
    private static final String RUN = "0f0e7d1c-0000-4000-8000-000000000001";
    private static final String CONVERSATION = "conv-1";
    private static final String CONTACT = "c-1";
    private static final Duration APPROVAL_TIMEOUT = Duration.ofHours(24);
    private static final PinnedCitation CITATION = new PinnedCitation("chunk-1", "Leaks", "https://acme.test/leaks",
            "Call us for leaks", "h1", 1);

    private SagaTestFixture<AgentRunSaga> fixture;
    private final AssistantSettingsValues settings = new AssistantSettingsValues(true, true, 0.75,
            List.of(ToolNames.CREATE_TICKET, ToolNames.CANCEL_SUBSCRIPTION), List.of(EscalationRule.onIntents("legal")),
            "redacted", Map.of());

    @BeforeEach
    void setUp() {
        fixture = new SagaTestFixture<>(AgentRunSaga.class);
        fixture.registerResource(new AutopilotSettings(APPROVAL_TIMEOUT, Duration.ofSeconds(5)));
    }

    private static String replyId() {
        return UUID.nameUUIDFromBytes((RUN + "/reply").getBytes(StandardCharsets.UTF_8)).toString();
    }

    private static String callId(int n) {
        return UUID.nameUUIDFromBytes((RUN + "/call-" + n).getBytes(StandardCharsets.UTF_8)).toString();
    }

    private static RunStarted started(String input) {
        return new RunStarted(RUN, "acme", CONVERSATION, RunModes.AUTOPILOT, input, ArgsHash.sha256(input), "svc",
                "msg-1", CONTACT);
    }

    private DecisionRecorded decided(Decision decision) {
        return new DecisionRecorded(RUN, "acme", decision, new DecisionUsage("offline", 1, 1, 1, 0), "{}", settings);
    }

    private static Decision decision(double confidence, List<String> missing, ProposedAction... actions) {
        return new Decision("support", confidence, false, missing, "Here is what our help center says: call us.",
                List.of(actions), List.of("chunk-1"));
    }

    private static ReplyDrafted drafted(Decision decision) {
        return new ReplyDrafted(RUN, "acme", decision.reply(), List.of(CITATION), decision.confidence(), false);
    }

    private static ProposedAction ticket() {
        return new ProposedAction(ToolNames.CREATE_TICKET, Map.of("subject", "Leak", "priority", "high", "summary", "leak"));
    }

    private static Map<String, Object> ticketArgs() {
        return Map.of("subject", "Leak", "priority", "high", "summary", "leak", "contact_id", CONTACT, "tags", List.of());
    }

    private static ProposedAction cancel() {
        return new ProposedAction(ToolNames.CANCEL_SUBSCRIPTION, Map.of("reason", "moving"));
    }

    private Object[] reply(String text, List<PinnedCitation> citations, double confidence) {
        return new Object[]{new SendReply(RUN, replyId(), text, citations, confidence),
                new PostMessage(CONVERSATION, replyId(), Channels.ASSISTANT, text)};
    }

    private static Object[] concat(Object[]... parts) {
        return java.util.Arrays.stream(parts).flatMap(java.util.Arrays::stream).toArray();
    }

    @Test
    void anAutopilotRunIsFollowedUntilItsDecisionAndACopilotRunStartsNoSaga() {
        fixture.givenNoPriorActivity()
                .whenAggregate(RUN).publishes(started("my sink leaks"))
                .expectActiveSagas(1)
                .expectNoDispatchedCommands();

        fixture.givenNoPriorActivity()
                .whenAggregate(RUN).publishes(new RunStarted(RUN, "acme", CONVERSATION, RunModes.COPILOT, "hi",
                        ArgsHash.sha256("hi"), "bo", null, null))
                .expectActiveSagas(0)
                .expectNoDispatchedCommands();
    }

    @Test
    void aConfidentAnswerRepliesRunsTheAllowedCallAndCompletesOnceItRan() {
        Decision decision = decision(0.9, List.of(), ticket());
        PolicyOutcome outcome = new PolicyOutcome(PolicyOutcome.ANSWER, List.of("confidence 0.9 meets the threshold 0.75"),
                null, List.of(new PlannedCall(callId(1), ToolNames.CREATE_TICKET, ticketArgs(), PlannedCall.EXECUTE,
                "allowed")));
        fixture.givenAggregate(RUN).published(started("my sink leaks"), decided(decision))
                .whenAggregate(RUN).publishes(drafted(decision))
                .expectDispatchedCommands(concat(new Object[]{new ApplyPolicy(RUN, outcome,
                                fixture.currentTime().plus(APPROVAL_TIMEOUT))},
                        reply(decision.reply(), List.of(CITATION), 0.9)))
                .expectActiveSagas(1);

        fixture.givenAggregate(RUN).published(started("my sink leaks"), decided(decision), drafted(decision))
                .whenAggregate(RUN).publishes(new ToolCallExecuted(RUN, "acme", callId(1), ToolNames.CREATE_TICKET,
                        Map.of("ticket_id", "t-1")))
                .expectDispatchedCommands(new CompleteRun(RUN));
    }

    @Test
    void belowTheThresholdAPersonTakesOverAndNoToolRuns() {
        Decision decision = decision(0.74, List.of(), ticket());
        String why = "confidence 0.74 is below the threshold 0.75";
        String summary = HandoffSummary.of("my sink leaks", decision, "low_confidence", why);
        PolicyOutcome outcome = new PolicyOutcome(PolicyOutcome.HANDOFF, List.of(why), "low_confidence",
                List.of(new PlannedCall(callId(1), ToolNames.CREATE_TICKET, ticketArgs(), PlannedCall.REFUSED,
                        "confidence below the threshold")));
        fixture.givenAggregate(RUN).published(started("my sink leaks"), decided(decision))
                .whenAggregate(RUN).publishes(drafted(decision))
                .expectDispatchedCommands(concat(
                        new Object[]{new ApplyPolicy(RUN, outcome, fixture.currentTime().plus(APPROVAL_TIMEOUT))},
                        reply(Replies.handingOver("en"), List.of(), 0.74),
                        new Object[]{new HandOffToHuman(RUN, "low_confidence", summary),
                                new HandOverConversation(CONVERSATION, RUN, "low_confidence", summary),
                                new CompleteRun(RUN)}));
    }

    @Test
    void missingFieldsAreAskedForAndNoToolRuns() {
        Decision decision = new Decision("billing", 0.9, false, List.of("policy_number"),
                "To help you with this, could you send me your policy number?", List.of(ticket()), List.of());
        PolicyOutcome outcome = new PolicyOutcome(PolicyOutcome.ASK_FOR_DATA,
                List.of("missing fields [policy_number]: the reply asks for them"), null,
                List.of(new PlannedCall(callId(1), ToolNames.CREATE_TICKET, ticketArgs(), PlannedCall.REFUSED,
                        "fields are missing: [policy_number]")));
        fixture.givenAggregate(RUN).published(started("my bill is wrong"), decided(decision))
                .whenAggregate(RUN).publishes(new ReplyDrafted(RUN, "acme", decision.reply(), List.of(), 0.9, false))
                .expectDispatchedCommands(concat(
                        new Object[]{new ApplyPolicy(RUN, outcome, fixture.currentTime().plus(APPROVAL_TIMEOUT))},
                        reply(decision.reply(), List.of(), 0.9), new Object[]{new CompleteRun(RUN)}));
    }

    @Test
    void aSensitiveCallWaitsForAnAdminUntilItsDeadline() {
        Decision decision = decision(0.9, List.of(), cancel());
        fixture.givenAggregate(RUN).published(started("please cancel my plan"), decided(decision), drafted(decision))
                .whenTimeElapses(APPROVAL_TIMEOUT.minusMinutes(1))
                .expectNoDispatchedCommands()
                .expectActiveSagas(1);
    }

    @Test
    void anApprovedCallRunsAndCompletesTheRunWithoutExpiring() {
        Decision decision = decision(0.9, List.of(), cancel());
        fixture.givenAggregate(RUN).published(started("please cancel my plan"), decided(decision), drafted(decision))
                .andThenAggregate(RUN).published(new ToolCallApproved(RUN, "acme", callId(1),
                        ToolNames.CANCEL_SUBSCRIPTION, Map.of(), "h", "ana"))
                .whenAggregate(RUN).publishes(new ToolCallExecuted(RUN, "acme", callId(1), ToolNames.CANCEL_SUBSCRIPTION,
                        Map.of("status", "cancelled")))
                .expectDispatchedCommands(new CompleteRun(RUN))
                .expectNoScheduledDeadlines();
    }

    @Test
    void aCallNobodyDecidesExpiresAndTheRunCompletesWithoutIt() {
        Decision decision = decision(0.9, List.of(), cancel());
        fixture.givenAggregate(RUN).published(started("please cancel my plan"), decided(decision), drafted(decision))
                .whenTimeElapses(APPROVAL_TIMEOUT.plusSeconds(1))
                .expectDeadlinesMet(callId(1))
                .expectDispatchedCommands(new ExpireToolCall(RUN, callId(1)));

        fixture.givenAggregate(RUN).published(started("please cancel my plan"), decided(decision), drafted(decision))
                .whenAggregate(RUN).publishes(new ToolCallExpired(RUN, "acme", callId(1), ToolNames.CANCEL_SUBSCRIPTION))
                .expectDispatchedCommands(new CompleteRun(RUN));
    }

    @Test
    void aTenantsOwnApprovalDeadlineReplacesThePlatformDefault() {
        Decision decision = decision(0.9, List.of(), cancel());
        AssistantSettingsValues ninetyMinutes = new AssistantSettingsValues(true, true, 0.75, settings.allowedTools(),
                settings.escalationRules(), "redacted", Map.of(), 90);
        fixture.givenAggregate(RUN).published(started("please cancel my plan"),
                        new DecisionRecorded(RUN, "acme", decision, new DecisionUsage("offline", 1, 1, 1, 0), "{}",
                                ninetyMinutes), drafted(decision))
                .whenTimeElapses(Duration.ofMinutes(91))
                .expectDispatchedCommands(new ExpireToolCall(RUN, callId(1)));
    }

    @Test
    void aRejectedCallNeverRunsAndTheRunCompletes() {
        Decision decision = decision(0.9, List.of(), cancel());
        fixture.givenAggregate(RUN).published(started("please cancel my plan"), decided(decision), drafted(decision))
                .whenAggregate(RUN).publishes(new ToolCallRejected(RUN, "acme", callId(1), ToolNames.CANCEL_SUBSCRIPTION,
                        "ana", "customer stays"))
                .expectDispatchedCommands(new CompleteRun(RUN))
                .expectNoScheduledDeadlines();
    }

    @Test
    void aFailedToolCallHandsTheConversationToAPersonWithoutASecondReply() {
        Decision decision = decision(0.9, List.of(), ticket());
        String why = "create_ticket failed: args.contact_id: no contact c-1";
        String summary = HandoffSummary.of("my sink leaks", decision, PolicyOutcome.TOOL_FAILURE, why);
        fixture.givenAggregate(RUN).published(started("my sink leaks"), decided(decision), drafted(decision))
                .whenAggregate(RUN).publishes(new ToolCallFailed(RUN, "acme", callId(1), ToolNames.CREATE_TICKET,
                        "args.contact_id: no contact c-1"))
                .expectDispatchedCommands(new HandOffToHuman(RUN, PolicyOutcome.TOOL_FAILURE, summary),
                        new HandOverConversation(CONVERSATION, RUN, PolicyOutcome.TOOL_FAILURE, summary),
                        new CompleteRun(RUN));
    }

    @Test
    void aFailedDecisionHandsOverAndFailsTheRun() {
        String reason = "timeout: the model did not answer in 30 s";
        String summary = HandoffSummary.of("my sink leaks", null, PolicyOutcome.MODEL_FAILURE,
                "the model gave no valid decision (" + reason + ")");
        fixture.givenAggregate(RUN).published(started("my sink leaks"),
                        new DecisionFailed(RUN, "acme", "gpt-4o-mini", "timeout", "the model did not answer in 30 s", 30000))
                .whenAggregate(RUN).publishes(new ReplyDrafted(RUN, "acme", Replies.unsure("en"), List.of(), 0, true))
                .expectDispatchedCommands(concat(reply(Replies.handingOver("en"), List.of(), 0),
                        new Object[]{new HandOffToHuman(RUN, PolicyOutcome.MODEL_FAILURE, summary),
                                new HandOverConversation(CONVERSATION, RUN, PolicyOutcome.MODEL_FAILURE, summary),
                                new FailRun(RUN, FailureKind.TIMEOUT, reason)}));
    }

    @Test
    void theSagaEndsWithTheRun() {
        fixture.givenAggregate(RUN).published(started("my sink leaks"))
                .whenAggregate(RUN).publishes(new RunCompleted(RUN, "acme", RunModes.AUTOPILOT))
                .expectActiveSagas(0);
    }
}
