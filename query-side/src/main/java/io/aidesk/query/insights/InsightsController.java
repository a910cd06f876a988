package io.aidesk.query.insights;

import io.aidesk.api.InvalidCommandException;
import io.aidesk.api.Queries;
import io.aidesk.api.insights.InsightsQueries;
import io.aidesk.api.insights.InsightsQueries.ContentGapsView;
import io.aidesk.api.insights.InsightsQueries.FindContentGaps;
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

/** The tenant's figures per period, and its content gaps (admin, auditor). */
@RestController
class InsightsController {
    private static final Set<String> PARAMETERS = Set.of("from", "to", "granularity");
    private static final Set<String> GAP_PARAMETERS = Set.of("from", "to", "include");
    /** Enough for a year and a month by day, eight years by week: a chart has no use for more points. */
    static final int MAX_PERIODS = 400;
    private static final Duration DEFAULT_RANGE = Duration.ofDays(30);

    private final QueryGateway queries;

    InsightsController(QueryGateway queries) {
        this.queries = queries;
    }

    @GetMapping("/api/ai/insights")
    InsightsView insights(@RequestParam Map<String, String> params, Caller caller) {
        known(params, PARAMETERS, "insights take from, to and granularity");
        String granularity = params.getOrDefault("granularity", "day");
        if (!InsightsQueries.GRANULARITIES.contains(granularity)) {
            throw new InvalidCommandException("granularity", "granularity is one of "
                    + String.join(", ", InsightsQueries.GRANULARITIES) + "; got '" + granularity + "'");
        }
        Instant[] range = range(params);
        Instant from = range[0];
        Instant to = range[1];
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

    /** The questions the help center does not answer, grouped (admin, auditor); include=answered adds closed gaps. */
    @GetMapping("/api/ai/insights/gaps")
    ContentGapsView gaps(@RequestParam Map<String, String> params, Caller caller) {
        known(params, GAP_PARAMETERS, "content gaps take from, to and include");
        String include = params.get("include");
        if (include != null && !"answered".equals(include)) {
            throw new InvalidCommandException("include", "include=answered adds the gaps a later run answered; got '"
                    + include + "'");
        }
        Instant[] range = range(params);
        return Queries.await(queries.query(new FindContentGaps(range[0], range[1], include != null),
                ContentGapsView.class));
    }

    private static void known(Map<String, String> params, Set<String> names, String what) {
        params.keySet().stream().filter(name -> !names.contains(name)).findFirst().ifPresent(name -> {
            throw new InvalidCommandException(name, what + "; '" + name + "' is not one of them");
        });
    }

    /** [from, to): the last 30 days up to the end of today unless said. */
    private static Instant[] range(Map<String, String> params) {
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
        return new Instant[]{from, to};
    }
}
