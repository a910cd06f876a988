package io.aidesk.saga.copilot;

import io.aidesk.api.InvalidCommandException;
import io.aidesk.api.Text;
import io.aidesk.api.tenancy.Caller;
import io.aidesk.api.tenancy.Ids;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;


/** The inbox asks for a drafted reply to a customer's message. */
@RestController
@RequestMapping("/api/ai/assist")
class CopilotController {
    static final int MAX_MESSAGE = 10_000;

    private final Copilot copilot;

    CopilotController(Copilot copilot) {
        this.copilot = copilot;
    }

    record DraftRequest(String conversationId, String message) {
    }

    @PostMapping(path = "/draft-reply", consumes = MediaType.APPLICATION_JSON_VALUE)
    Copilot.Draft draft(@RequestBody DraftRequest body, Caller caller) {
        if (body.conversationId() == null || body.conversationId().isBlank()) {
            throw new InvalidCommandException("conversation_id", "name the conversation to draft for");
        }
        Ids.known(body.conversationId(), "conversation");
        if (body.message() == null || body.message().isBlank()) {
            throw new InvalidCommandException("message", "send the customer's message to answer");
        }
        if (!Text.readable(body.message())) {
            throw new InvalidCommandException("message",
                    "the message has nothing to read: only spaces and control or format characters");
        }
        if (body.message().length() > MAX_MESSAGE) {
            throw new InvalidCommandException("message", "a message is at most " + MAX_MESSAGE + " characters");
        }
        return copilot.draft(body.conversationId(), body.message());
    }
}
