package io.aidesk.command.agentrun;

import io.aidesk.api.InvalidCommandException;
import io.aidesk.api.Queries;
import io.aidesk.api.StateConflictException;
import io.aidesk.api.Text;
import io.aidesk.api.agentrun.DraftOutcome;
import io.aidesk.api.agentrun.RunCommands.RateDraft;
import io.aidesk.api.agentrun.RunCommands.RecordDraftOutcome;
import io.aidesk.api.agentrun.RunModes;
import io.aidesk.api.agentrun.RunQueries.FindRun;
import io.aidesk.api.agentrun.RunQueries.RunView;
import io.aidesk.api.conversation.Channels;
import io.aidesk.api.conversation.ConversationCommands.PostMessage;
import io.aidesk.api.tenancy.Caller;
import io.aidesk.api.tenancy.Ids;
import io.aidesk.command.conversation.Conversation;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * What an agent does with a copilot draft in the inbox: send it (as drafted or edited) to the customer, discard it,
 * rate it. Each is recorded on the draft's run, so a tenant can tell how good its copilot is.
 */
@RestController
@RequestMapping("/api/ai/assist/drafts/{runId}")
class DraftController {
    static final int MAX_REASON = 500;

    record Sending(String text) {
    }

    record Discarding(String reason) {
    }

    record Rating(Boolean helpful, String reason) {
    }

    /** @param messageId the conversation's message that carried the reply; null when discarded */
    record Reviewed(String runId, String outcome, String messageId) {
    }

    private final CommandGateway commands;
    private final QueryGateway queries;

    DraftController(CommandGateway commands, QueryGateway queries) {
        this.commands = commands;
        this.queries = queries;
    }

    /**
     * Posts the text as the agent's message and records whether it went as drafted or edited. The message's id comes
     * from the run, so sending again (a retried request) posts nothing twice.
     */
    @PostMapping(path = "/send", consumes = MediaType.APPLICATION_JSON_VALUE)
    Reviewed send(@PathVariable String runId, @RequestBody Sending body, Caller caller) {
        RunView run = draftRun(runId);
        if (!Text.readable(body.text())) {
            throw new InvalidCommandException("text", "send text to read: the draft as it is, or as you changed it");
        }
        if (body.text().strip().length() > Conversation.MAX_TEXT) {
            throw new InvalidCommandException("text", "a message is at most " + Conversation.MAX_TEXT + " characters");
        }
        String messageId = UUID.nameUUIDFromBytes(("draft-sent|" + run.runId()).getBytes(StandardCharsets.UTF_8))
                .toString();
        // recorded first: a draft sent or discarded already is refused before anything reaches the customer
        DraftOutcome outcome = commands.sendAndWait(new RecordDraftOutcome(run.runId(), body.text().strip(), messageId,
                null));
        commands.sendAndWait(new PostMessage(run.conversationId(), messageId, Channels.AGENT, body.text().strip()));
        return new Reviewed(run.runId(), outcome.wire(), messageId);
    }

    @PostMapping(path = "/discard")
    Reviewed discard(@PathVariable String runId, @RequestBody(required = false) Discarding body, Caller caller) {
        RunView run = draftRun(runId);
        DraftOutcome outcome = commands.sendAndWait(new RecordDraftOutcome(run.runId(), null, null,
                reason(body == null ? null : body.reason())));
        return new Reviewed(run.runId(), outcome.wire(), null);
    }

    @PostMapping(path = "/rating", consumes = MediaType.APPLICATION_JSON_VALUE)
    Rating rate(@PathVariable String runId, @RequestBody Rating body, Caller caller) {
        RunView run = draftRun(runId);
        if (body.helpful() == null) {
            throw new InvalidCommandException("helpful", "say whether the draft helped: true or false");
        }
        String reason = reason(body.reason());
        commands.sendAndWait(new RateDraft(run.runId(), body.helpful(), reason));
        return new Rating(body.helpful(), reason);
    }

    private RunView draftRun(String runId) {
        RunView run = Queries.await(queries.query(new FindRun(Ids.known(runId, "agent run")), RunView.class));
        if (!RunModes.COPILOT.equals(run.mode())) {
            throw new StateConflictException("this run answered the customer itself: only a copilot draft is sent, "
                    + "discarded or rated");
        }
        return run;
    }

    private static String reason(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        if (value.strip().length() > MAX_REASON) {
            throw new InvalidCommandException("reason", "a reason is at most " + MAX_REASON + " characters");
        }
        return value.strip();
    }
}
