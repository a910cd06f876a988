package io.aidesk.saga.autopilot;

import io.aidesk.api.InvalidCommandException;
import io.aidesk.api.agentrun.RunQueries.RunView;
import io.aidesk.api.agentrun.RunStatus;
import io.aidesk.api.tenancy.Caller;
import io.aidesk.api.tenancy.Ids;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;

/** CRM services hand a customer's message to the autopilot and get the run back once it settles. */
@RestController
@RequestMapping("/api/ai/agent")
class AutopilotController {
    private final Autopilot autopilot;

    AutopilotController(Autopilot autopilot) {
        this.autopilot = autopilot;
    }

    record HandleMessage(String conversationId, String messageId) {
    }

    /** A run that has not settled yet, and where to follow it. */
    record Accepted(String runId, String status, String url) {
    }

    @PostMapping(path = "/handle-message", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<?> handle(@RequestBody HandleMessage body, Caller caller) {
        if (body.conversationId() == null || body.conversationId().isBlank()) {
            throw new InvalidCommandException("conversation_id", "name the conversation the message is in");
        }
        if (body.messageId() == null || body.messageId().isBlank()) {
            throw new InvalidCommandException("message_id", "name the customer message to handle");
        }
        String runId = autopilot.start(caller.tenantId().value(), Ids.known(body.conversationId(), "conversation"),
                Ids.known(body.messageId(), "message"));
        RunView run = autopilot.awaitSettled(caller.tenantId().value(), runId);
        String url = "/api/ai/agent/runs/" + runId;
        if (!RunStatus.SETTLED.contains(run.status())) {
            return ResponseEntity.status(HttpStatus.ACCEPTED).location(URI.create(url))
                    .body(new Accepted(runId, run.status(), url));
        }
        return ResponseEntity.ok().location(URI.create(url)).body(run);
    }
}
