package io.aidesk.saga.copilot;

import io.aidesk.api.InvalidCommandException;
import io.aidesk.api.Text;
import io.aidesk.api.tenancy.Caller;
import io.aidesk.api.tenancy.Ids;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;


/** The inbox asks for a drafted reply to a customer's message. */
@RestController
@RequestMapping("/api/ai/assist")
class CopilotController {
    static final int MAX_MESSAGE = 10_000;
    private static final Logger log = LoggerFactory.getLogger(CopilotController.class);

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

    /** A failed draft names its kind and its run, ended failed; what the model said stays in the run. */
    @ExceptionHandler(CopilotFailedException.class)
    ResponseEntity<ProblemDetail> failed(CopilotFailedException e) {
        HttpStatus status = switch (e.kind()) {
            case SERVER_ERROR, INVALID_OUTPUT -> HttpStatus.BAD_GATEWAY;
            case TIMEOUT -> HttpStatus.GATEWAY_TIMEOUT;
            case RATE_LIMITED, UNAVAILABLE, RETRIEVAL_FAILED -> HttpStatus.SERVICE_UNAVAILABLE;
            case REFUSED, INTERNAL_ERROR, UNRECORDED -> HttpStatus.INTERNAL_SERVER_ERROR;
        };
        if (status == HttpStatus.INTERNAL_SERVER_ERROR) {
            log.error("copilot run {} failed", e.runId(), e);
        } else {
            log.warn("copilot run {} failed ({}): {}", e.runId(), e.kind().wire(), e.getMessage());
        }
        String url = "/api/ai/agent/runs/" + e.runId();
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, switch (e.kind()) {
            case RETRIEVAL_FAILED -> "the knowledge could not be searched, so no draft was made; try again shortly";
            case REFUSED, INTERNAL_ERROR, UNRECORDED -> "AI Desk could not make the draft; the error is logged with its "
                    + "correlation id";
            default -> "the decision model gave no valid decision (" + e.kind().wire() + "), so no draft was made; "
                    + "try again shortly or answer yourself";
        });
        problem.setTitle("No draft");
        problem.setProperty("kind", e.kind().wire());
        problem.setProperty("run_id", e.runId());
        problem.setProperty("run_url", url);
        return ResponseEntity.status(status).location(URI.create(url)).body(problem);
    }
}
