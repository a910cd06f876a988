package io.aidesk.query.replay;

import io.aidesk.api.InvalidCommandException;
import io.aidesk.api.Queries;
import io.aidesk.api.replay.ReplayQueries.FindReplay;
import io.aidesk.api.replay.ReplayQueries.ListReplays;
import io.aidesk.api.replay.ReplayQueries.ReplayList;
import io.aidesk.api.replay.ReplayQueries.ReplayView;
import io.aidesk.api.tenancy.Caller;
import io.aidesk.api.tenancy.Ids;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The tenant's replays, newest first, and one replay's progress and diff (admin, auditor). */
@RestController
class ReplayQueryController {
    private final QueryGateway queries;

    ReplayQueryController(QueryGateway queries) {
        this.queries = queries;
    }

    @GetMapping("/api/ai/replays")
    ReplayList list(Caller caller) {
        return Queries.await(queries.query(new ListReplays(), ReplayList.class));
    }

    /** @param changed "outcome" for only the items whose outcome changed; every item otherwise */
    @GetMapping("/api/ai/replays/{id}")
    ReplayView replay(@PathVariable String id, @RequestParam(required = false) String changed, Caller caller) {
        if (changed != null && !"outcome".equals(changed)) {
            throw new InvalidCommandException("changed", "changed=outcome lists the items whose outcome changed; got '"
                    + changed + "'");
        }
        return Queries.await(queries.query(new FindReplay(Ids.known(id, "replay"), changed != null),
                ReplayView.class));
    }
}
