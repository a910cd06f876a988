package io.aidesk.query.insights;

import io.aidesk.api.InvalidCommandException;
import io.aidesk.api.Queries;
import io.aidesk.api.insights.InsightsQueries;
import io.aidesk.api.insights.InsightsQueries.FindInsights;
import io.aidesk.api.insights.InsightsQueries.InsightsView;
import io.aidesk.api.tenancy.Caller;
import io.aidesk.api.AuditTime;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Set;

/** The tenant's figures per period (admin, auditor): GET /api/ai/insights?from&to&granularity. */
@RestController
class InsightsController {
    private static final Set<String> PARAMETERS = Set.of("from", "to", "granularity");
    /** Enough for a year and a month by day, eight years by week: a chart has no use for more points. */
    static final int MAX_PERIODS = 400;
    private static final Duration DEFAULT_RANGE = Duration.ofDays(30);

    private final QueryGateway queries;

    InsightsController(QueryGateway queries) {
        this.queries = queries;
    }

    @GetMapping("/api/ai/insights")
    InsightsView insights(@RequestParam Map<String, String> params, Caller caller) {
        params.keySet().stream().filter(name -> !PARAMETERS.contains(name)).findFirst().ifPresent(name -> {
            throw new InvalidCommandException(name, "insights take from, to and granularity; '" + name
                    + "' is not one of them");
        });
        String granularity = params.getOrDefault("granularity", "day");
        if (!InsightsQueries.GRANULARITIES.contains(granularity)) {
            throw new InvalidCommandException("granularity", "granularity is one of "
                    + String.join(", ", InsightsQueries.GRANULARITIES) + "; got '" + granularity + "'");
        }
        Instant to = AuditTime.parse("to", params.get("to"), true);
        if (to == null) {
            to = LocalDate.now(ZoneOffset.UTC).plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        }
        Instant from = AuditTime.parse("from", params.get("from"), false);
        if (from == null) {
            from = to.minus(DEFAULT_RANGE);
        }
        if (!from.isBefore(to)) {
            throw new InvalidCommandException("to", "to must be after from");
        }
        long days = Duration.between(from, to).toDays();
        long periods = switch (granularity) {
            case "day" -> days;
            case "week" -> days / 7;
            default -> days / 30;
        };
        if (periods > MAX_PERIODS) {
            throw new InvalidCommandException("from", "that range has " + periods + " " + granularity
                    + "s; at most " + MAX_PERIODS + " are shown at once: narrow it or take a coarser granularity");
        }
        return Queries.await(queries.query(new FindInsights(from, to, granularity), InsightsView.class));
    }
}
