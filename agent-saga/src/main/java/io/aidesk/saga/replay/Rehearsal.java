package io.aidesk.saga.replay;

import io.aidesk.api.Queries;
import io.aidesk.api.agentrun.ArgsHash;
import io.aidesk.api.agentrun.PinnedCitation;
import io.aidesk.api.agentrun.PolicyOutcome;
import io.aidesk.api.agentrun.PolicyOutcome.PlannedCall;
import io.aidesk.api.agentrun.RunCommands.ApplyPolicy;
import io.aidesk.api.agentrun.RunCommands.CompleteRun;
import io.aidesk.api.agentrun.RunCommands.FailRun;
import io.aidesk.api.agentrun.RunCommands.StartRun;
import io.aidesk.api.agentrun.FailureKind;
import io.aidesk.api.agentrun.RunModes;
import io.aidesk.api.agentrun.RunQueries.ActionView;
import io.aidesk.api.agentrun.RunQueries.CitationView;
import io.aidesk.api.agentrun.RunQueries.FindRun;
import io.aidesk.api.agentrun.RunQueries.FindRunDetail;
import io.aidesk.api.agentrun.RunQueries.RunDetail;
import io.aidesk.api.agentrun.RunQueries.RunView;
import io.aidesk.api.agentrun.RunStatus;
import io.aidesk.api.conversation.ConversationQueries.ConversationView;
import io.aidesk.api.conversation.ConversationQueries.FindConversation;
import io.aidesk.api.conversation.ConversationQueries.MessageView;
import io.aidesk.api.replay.ReplayCommands.RecordReplayedItem;
import io.aidesk.api.replay.ReplayItem;
import io.aidesk.api.replay.ReplayOutcome;
import io.aidesk.api.settings.AssistantSettingsValues;
import io.aidesk.api.tenancy.NotFoundException;
import io.aidesk.gateway.decision.DecisionModel;
import io.aidesk.gateway.decision.offline.Replies;
import io.aidesk.gateway.language.Language;
import io.aidesk.saga.autopilot.AutopilotPolicy;
import io.aidesk.saga.deliberation.Deliberation;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Decides one replay item again, in shadow mode: an AgentRun of mode replay retrieves from the knowledge as it is
 * now, decides under the proposed settings, and records what the autopilot's policy would do — no tool runs, nothing
 * is sent, no conversation is touched. Then the replay records the item's outcome beside the original run's.
 */
@Component
class Rehearsal {
    private final CommandGateway commands;
    private final QueryGateway queries;
    private final Deliberation deliberation;

    Rehearsal(CommandGateway commands, QueryGateway queries, Deliberation deliberation) {
        this.commands = commands;
        this.queries = queries;
        this.deliberation = deliberation;
    }

    void rehearse(String replayId, int index, ReplayItem item, AssistantSettingsValues settings, DecisionModel model) {
        ReplayOutcome original = item.originalRunId() == null ? ReplayOutcome.none() : original(item.originalRunId());
        ConversationView conversation = null;
        String input = item.question();
        // a test question is no contact's: its run's texts are sealed under a key of the replay's own
        String contactId = "replay-" + replayId;
        if (input == null) {
            try {
                ConversationView whole = Queries.await(queries.query(new FindConversation(item.conversationId()),
                        ConversationView.class));
                conversation = upTo(whole, item.messageId());
                input = conversation.messages().get(conversation.messages().size() - 1).text();
                contactId = whole.contactId();
            } catch (NotFoundException gone) {
                // the message is no longer there to decide again: the item is recorded as without a run
                commands.sendAndWait(new RecordReplayedItem(replayId, index, null, original, ReplayOutcome.none()));
                return;
            }
        }
        String runId = freshRun(runIdOf(replayId, index));
        commands.sendAndWait(new StartRun(runId, item.conversationId(), RunModes.REPLAY, input, item.messageId(),
                contactId));
        ReplayOutcome replayed;
        try {
            Deliberation.Draft draft = deliberation.deliberate(runId, conversation, input, settings, model);
            if (draft.failure() != null) {
                commands.sendAndWait(new FailRun(runId, draft.failure().kind(), draft.failure().reason()));
                replayed = modelFailure(draft.citations(), input);
            } else {
                PolicyOutcome outcome = AutopilotPolicy.judge(runId, draft.decision(), draft.reply(),
                        draft.confidence(), draft.needsHuman(), settings, input, item.conversationId(), contactId);
                commands.sendAndWait(new ApplyPolicy(runId, outcome, null));
                commands.sendAndWait(new CompleteRun(runId));
                replayed = replayed(outcome, draft, input);
            }
        } catch (RuntimeException e) {
            Deliberation.Failure failure = Deliberation.Failure.of(e);
            commands.sendAndWait(new FailRun(runId, failure.kind(), failure.reason()));
            replayed = modelFailure(List.of(), input);
        }
        commands.sendAndWait(new RecordReplayedItem(replayId, index, runId, original, replayed));
    }

    static String runIdOf(String replayId, int index) {
        return UUID.nameUUIDFromBytes(("replay/" + replayId + "/" + index).getBytes(StandardCharsets.UTF_8))
                .toString();
    }

    /** An attempt interrupted by a stop left its run behind: it is ended, and the item decided in a run of its own. */
    private String freshRun(String runId) {
        Optional<RunView> left = find(runId);
        if (left.isEmpty()) {
            return runId;
        }
        String again = UUID.randomUUID().toString();
        if (!RunStatus.COMPLETED.equals(left.get().status()) && !RunStatus.FAILED.equals(left.get().status())) {
            commands.sendAndWait(new FailRun(runId, FailureKind.INTERNAL_ERROR, "interrupted; decided again in run "
                    + again));
        }
        return again;
    }

    private Optional<RunView> find(String runId) {
        try {
            return Optional.of(Queries.await(queries.query(new FindRun(runId), RunView.class)));
        } catch (NotFoundException none) {
            return Optional.empty();
        }
    }

    /** The conversation as it stood when the customer wrote the message: what the original run read. */
    private static ConversationView upTo(ConversationView conversation, String messageId) {
        List<MessageView> before = new ArrayList<>();
        for (MessageView message : conversation.messages()) {
            before.add(message);
            if (message.id().equals(messageId)) {
                return new ConversationView(conversation.id(), conversation.channel(), conversation.contactId(),
                        conversation.subject(), conversation.startedBy(), conversation.createdAt(),
                        conversation.status(), before);
            }
        }
        throw new NotFoundException("message");
    }

    /**
     * What the original run did, read as a replay reads its own: a handover (the autopilot's, or a copilot draft that
     * needed a person), data asked for, or an answer; the calls that ran or waited for an admin; the draft's citations.
     */
    private ReplayOutcome original(String runId) {
        RunView run;
        RunDetail detail;
        try {
            run = Queries.await(queries.query(new FindRun(runId), RunView.class));
            detail = Queries.await(queries.query(new FindRunDetail(runId), RunDetail.class));
        } catch (NotFoundException gone) {
            return ReplayOutcome.none();
        }
        String outcome;
        String reason = run.handoffReason();
        if (reason != null || RunStatus.FAILED.equals(run.status())) {
            outcome = PolicyOutcome.HANDOFF;
            reason = reason == null ? PolicyOutcome.MODEL_FAILURE : reason;
        } else if (RunModes.COPILOT.equals(run.mode()) && Boolean.TRUE.equals(run.needsHuman())) {
            outcome = PolicyOutcome.HANDOFF;
            reason = "low_confidence";
        } else if (run.missingFields() != null && !run.missingFields().isEmpty()) {
            outcome = PolicyOutcome.ASK_FOR_DATA;
        } else {
            outcome = PolicyOutcome.ANSWER;
        }
        List<String> tools = run.actions() == null ? List.of() : run.actions().stream()
                .filter(action -> !RunStatus.CALL_REFUSED.equals(action.status())).map(ActionView::tool).toList();
        List<String> citations = detail.citations().stream().filter(CitationView::cited).map(CitationView::chunkId)
                .toList();
        return new ReplayOutcome(run.mode(), outcome, reason, run.confidence(), run.intent(), tools, citations,
                hash(run.reply()));
    }

    /** As the autopilot would have it: a handover says so to the customer, at the decision's own confidence. */
    private static ReplayOutcome replayed(PolicyOutcome outcome, Deliberation.Draft draft, String input) {
        List<String> tools = outcome.calls().stream().filter(call -> !PlannedCall.REFUSED.equals(call.disposition()))
                .map(PlannedCall::tool).toList();
        List<String> citations = draft.citations().stream().map(PinnedCitation::chunkId).toList();
        boolean handoff = PolicyOutcome.HANDOFF.equals(outcome.outcome());
        String reply = handoff ? Replies.handingOver(Language.of(input)) : draft.reply();
        double confidence = handoff ? draft.decision().confidence() : draft.confidence();
        return new ReplayOutcome(RunModes.REPLAY, outcome.outcome(), outcome.handoffReason(), confidence,
                draft.intent(), tools, citations, hash(reply));
    }

    private static ReplayOutcome modelFailure(List<PinnedCitation> citations, String input) {
        return new ReplayOutcome(RunModes.REPLAY, PolicyOutcome.HANDOFF, PolicyOutcome.MODEL_FAILURE, 0.0, null,
                List.of(), citations.stream().map(PinnedCitation::chunkId).toList(),
                hash(Replies.handingOver(Language.of(input))));
    }

    private static String hash(String reply) {
        return reply == null ? null : ArgsHash.sha256(reply.strip().replaceAll("\\s+", " "));
    }
}
