package io.aidesk.command.approval;

import io.aidesk.api.InvalidCommandException;
import io.aidesk.api.live.LiveQueries.Changed;
import io.aidesk.api.live.LiveQueries.WatchChanges;
import io.aidesk.api.live.LiveTopic;
import io.aidesk.api.live.LiveWait;
import io.aidesk.api.Queries;
import io.aidesk.api.agentrun.RunCommands.ApproveToolCall;
import io.aidesk.api.agentrun.RunCommands.RejectToolCall;
import io.aidesk.api.agentrun.RunQueries.ActionView;
import io.aidesk.api.agentrun.RunQueries.FindToolCall;
import io.aidesk.api.agentrun.RunStatus;
import io.aidesk.api.tenancy.Caller;
import io.aidesk.api.tenancy.Ids;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.queryhandling.QueryGateway;
import org.axonframework.queryhandling.SubscriptionQueryResult;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.Disposable;

import java.time.Duration;
import java.util.function.Consumer;

/**
 * An admin approves or rejects a sensitive tool call. The approver is the token's user; an approval is bound to the
 * hash of the arguments the admin was shown. The answer waits a moment for the approved call to run.
 */
@RestController
@RequestMapping("/api/ai/approvals")
class ApprovalController {
    private final CommandGateway commands;
    private final QueryGateway queries;
    private final Duration settleWait;

    ApprovalController(CommandGateway commands, QueryGateway queries,
                       @Value("${aidesk.autopilot.settle-wait:5s}") Duration settleWait) {
        this.commands = commands;
        this.queries = queries;
        this.settleWait = settleWait;
    }

    /** @param argsHash the args_hash the approver was shown; when it no longer matches, nothing runs (409) */
    record Approval(String argsHash) {
    }

    record Rejection(String reason) {
    }

    @PostMapping(path = "/{callId}/approve")
    ActionView approve(@PathVariable String callId, @RequestBody(required = false) Approval body, Caller caller) {
        ActionView call = find(callId);
        commands.sendAndWait(new ApproveToolCall(call.runId(), call.callId(), body == null ? null : body.argsHash()));
        return settled(caller.tenantId().value(), call.callId());
    }

    @PostMapping(path = "/{callId}/reject", consumes = MediaType.APPLICATION_JSON_VALUE)
    ActionView reject(@PathVariable String callId, @RequestBody Rejection body, Caller caller) {
        if (body.reason() == null || body.reason().isBlank()) {
            throw new InvalidCommandException("reason", "say why the call is rejected");
        }
        ActionView call = find(callId);
        commands.sendAndWait(new RejectToolCall(call.runId(), call.callId(), body.reason()));
        return find(call.callId());
    }

    private ActionView find(String callId) {
        return Queries.await(queries.query(new FindToolCall(Ids.known(callId, "tool call")), ActionView.class));
    }

    /** The call once it ran (or failed), or as it stands when the wait is over. */
    private ActionView settled(String tenant, String callId) {
        return LiveWait.until(changed -> listenToApprovals(tenant, changed), callId, () -> find(callId),
                call -> !RunStatus.CALL_APPROVED.equals(call.status()), settleWait);
    }

    /** The tenant's approval changes, from the live updates' subscription query: the call is read again when it moved. */
    private Runnable listenToApprovals(String tenant, Consumer<String> changed) {
        SubscriptionQueryResult<Changed, Changed> watch = queries.subscriptionQuery(
                new WatchChanges(LiveTopic.APPROVALS, tenant), Changed.class, Changed.class);
        Disposable listening = watch.updates().subscribe(change -> changed.accept(change.id()));
        return () -> {
            listening.dispose();
            watch.cancel();
        };
    }
}
