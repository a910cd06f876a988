package io.aidesk.query.agentrun;

import io.aidesk.api.InvalidCommandException;
import io.aidesk.api.Queries;
import io.aidesk.api.agentrun.RunQueries.ApprovalList;
import io.aidesk.api.agentrun.RunQueries.FindRun;
import io.aidesk.api.agentrun.RunQueries.FindRunDetail;
import io.aidesk.api.agentrun.RunQueries.FindRunEvents;
import io.aidesk.api.agentrun.RunQueries.RunDetail;
import io.aidesk.api.agentrun.RunQueries.ListConversationRuns;
import io.aidesk.api.agentrun.RunQueries.RunPage;
import io.aidesk.api.agentrun.RunQueries.RunViewList;
import io.aidesk.api.agentrun.RunQueries.RunEventList;
import io.aidesk.api.agentrun.RunQueries.ListApprovals;
import io.aidesk.api.agentrun.RunQueries.RunView;
import io.aidesk.api.tenancy.Caller;
import io.aidesk.api.tenancy.Ids;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.Map;

/**
 * An autopilot run as it stands (what handle-message's 202 points to), the audit's run list, detail and event stream,
 * and the approvals inbox.
 */
@RestController
class RunQueryController {
    private final QueryGateway queries;

    RunQueryController(QueryGateway queries) {
        this.queries = queries;
    }

    @GetMapping("/api/ai/agent/runs/{id}")
    RunView run(@PathVariable String id, Caller caller) {
        return Queries.await(queries.query(new FindRun(Ids.known(id, "agent run")), RunView.class));
    }

    /** A conversation's autopilot runs with their calls, as the inbox follows them (any role of the tenant). */
    @GetMapping("/api/ai/agent/runs")
    RunViewList conversationRuns(@RequestParam(name = "conversation_id", required = false) String conversationId,
                                 Caller caller) {
        if (conversationId == null || conversationId.isBlank()) {
            throw new InvalidCommandException("conversation_id", "name the conversation whose runs to list");
        }
        return Queries.await(queries.query(new ListConversationRuns(Ids.known(conversationId, "conversation")),
                RunViewList.class));
    }

    /** The audit's run list, newest first, filtered and paged (auditor, admin). */
    @GetMapping("/api/ai/runs")
    RunPage list(@RequestParam Map<String, String> params, Caller caller) {
        return Queries.await(queries.query(RunFilters.parse(params), RunPage.class));
    }

    /** One run as the audit knows it: input, chunks read, the model's JSON, calls, approvals, usage (auditor, admin). */
    @GetMapping("/api/ai/runs/{id}")
    RunDetail detail(@PathVariable String id, Caller caller) {
        return Queries.await(queries.query(new FindRunDetail(Ids.known(id, "agent run")), RunDetail.class));
    }

    /** The run's events in order with their metadata: what the autopilot did and why, as recorded (auditor, admin). */
    @GetMapping("/api/ai/runs/{id}/events")
    RunEventList events(@PathVariable String id, Caller caller) {
        return Queries.await(queries.query(new FindRunEvents(Ids.known(id, "agent run")), RunEventList.class));
    }

    @GetMapping("/api/ai/approvals")
    ApprovalList approvals(@RequestParam(name = "status", required = false) String status, Caller caller) {
        if (!RunReader.knownApprovalStatus(status)) {
            throw new InvalidCommandException("status", "status is pending, approved, rejected or expired");
        }
        return Queries.await(queries.query(new ListApprovals(status), ApprovalList.class));
    }
}
