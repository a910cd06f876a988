package io.aidesk.query.insights;

import io.aidesk.api.agentrun.RunModes;
import io.aidesk.api.insights.InsightsQueries.Approvals;
import io.aidesk.api.insights.InsightsQueries.Autopilot;
import io.aidesk.api.insights.InsightsQueries.Drafts;
import io.aidesk.api.insights.InsightsQueries.Figures;
import io.aidesk.api.insights.InsightsQueries.FindInsights;
import io.aidesk.api.insights.InsightsQueries.InsightsView;
import io.aidesk.api.insights.InsightsQueries.Latency;
import io.aidesk.api.insights.InsightsQueries.ModelUsage;
import io.aidesk.api.insights.InsightsQueries.Period;
import io.aidesk.api.insights.InsightsQueries.Runs;
import io.aidesk.api.insights.InsightsQueries;
import io.aidesk.api.tenancy.MetadataKeys;
import org.axonframework.messaging.annotation.MetaDataValue;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * A tenant's figures from ai_insight_runs and ai_insight_approvals, counted by Postgres per period (runs by the
 * period they started in, approvals by the one they were asked in) and over the whole range.
 */
@Component
class InsightsReader {
    /** The bucket of the whole range: one constant period. */
    private static final String WHOLE_RANGE = "to_timestamp(0)";

    private final JdbcTemplate jdbc;

    InsightsReader(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @QueryHandler
    InsightsView handle(FindInsights query, @MetaDataValue(MetadataKeys.TENANT_ID) String tenant) {
        if (!InsightsQueries.GRANULARITIES.contains(query.granularity())) {
            throw new IllegalArgumentException("unknown granularity " + query.granularity());
        }
        Map<Instant, Tally> periods = tally(tenant, query, column -> "date_trunc('" + query.granularity() + "', "
                + column + ", 'UTC')");
        Map<Instant, Tally> whole = tally(tenant, query, column -> WHOLE_RANGE);
        Figures totals = whole.isEmpty() ? new Tally().figures() : whole.values().iterator().next().figures();
        List<Period> list = new ArrayList<>();
        periods.forEach((start, tally) -> list.add(new Period(start, tally.figures())));
        return new InsightsView(query.from(), query.to(), query.granularity(), totals, list);
    }

    private Map<Instant, Tally> tally(String tenant, FindInsights query, Function<String, String> bucketOf) {
        Map<Instant, Tally> tallies = new TreeMap<>();
        Timestamp from = Timestamp.from(query.from());
        Timestamp to = Timestamp.from(query.to());
        String runs = bucketOf.apply("started_at");
        String inRange = " FROM ai_insight_runs WHERE tenant_id = ? AND started_at >= ? AND started_at < ? ";
        rows("SELECT " + runs + " AS bucket, mode, outcome, count(*) AS n" + inRange + "GROUP BY 1, 2, 3",
                tenant, from, to, tallies, (t, rs) -> {
                    int n = rs.getInt("n");
                    t.runs += n;
                    t.byMode.merge(rs.getString("mode"), n, Integer::sum);
                    t.byOutcome.merge(rs.getString("outcome"), n, Integer::sum);
                });
        rows("SELECT " + runs + " AS bucket, count(*) AS n, "
                        + "count(*) FILTER (WHERE outcome = 'completed' AND handoff_reason IS NULL AND replied_at IS NOT NULL "
                        + "AND NOT reopened) AS resolved, count(*) FILTER (WHERE handoff_reason IS NOT NULL) AS handovers"
                        + inRange + "AND mode = '" + RunModes.AUTOPILOT + "' GROUP BY 1", tenant, from, to, tallies,
                (t, rs) -> {
                    t.autopilot = rs.getInt("n");
                    t.resolved = rs.getInt("resolved");
                    t.handovers = rs.getInt("handovers");
                });
        rows("SELECT " + runs + " AS bucket, handoff_reason, count(*) AS n" + inRange
                + "AND handoff_reason IS NOT NULL GROUP BY 1, 2", tenant, from, to, tallies,
                (t, rs) -> t.handoverReasons.put(rs.getString("handoff_reason"), rs.getInt("n")));
        rows("SELECT " + runs + " AS bucket, intent, count(*) AS n" + inRange + "AND intent IS NOT NULL GROUP BY 1, 2",
                tenant, from, to, tallies, (t, rs) -> t.intents.put(rs.getString("intent"), rs.getInt("n")));
        rows("SELECT " + runs + " AS bucket, sum(tickets) AS tickets, "
                        + "count(*) FILTER (WHERE mode = '" + RunModes.COPILOT + "' AND drafted_at IS NOT NULL) AS drafted, "
                        + "count(*) FILTER (WHERE draft_outcome = 'sent_as_drafted') AS as_drafted, "
                        + "count(*) FILTER (WHERE draft_outcome = 'edited') AS edited, "
                        + "count(*) FILTER (WHERE draft_outcome = 'discarded') AS discarded, "
                        + "count(*) FILTER (WHERE draft_helpful) AS helpful, "
                        + "count(*) FILTER (WHERE NOT draft_helpful) AS unhelpful, "
                        + "round(extract(epoch FROM percentile_disc(0.5) WITHIN GROUP (ORDER BY drafted_at - started_at)) * 1000)::bigint AS p50, "
                        + "round(extract(epoch FROM percentile_disc(0.95) WITHIN GROUP (ORDER BY drafted_at - started_at)) * 1000)::bigint AS p95"
                        + inRange + "GROUP BY 1", tenant, from, to, tallies,
                (t, rs) -> {
                    t.tickets = rs.getInt("tickets");
                    t.drafts = new Drafts(rs.getInt("drafted"), rs.getInt("as_drafted"), rs.getInt("edited"),
                            rs.getInt("discarded"), rs.getInt("helpful"), rs.getInt("unhelpful"));
                    t.latency = new Latency(millis(rs, "p50"), millis(rs, "p95"));
                });
        rows("SELECT " + runs + " AS bucket, model, count(*) FILTER (WHERE tokens_in IS NOT NULL) AS decisions, "
                        + "COALESCE(sum(tokens_in), 0) AS tokens_in, COALESCE(sum(tokens_out), 0) AS tokens_out, "
                        + "COALESCE(sum(cost_usd), 0) AS cost" + inRange + "AND model IS NOT NULL GROUP BY 1, 2 ORDER BY 2",
                tenant, from, to, tallies, (t, rs) -> t.usage.add(new ModelUsage(rs.getString("model"),
                        rs.getInt("decisions"), rs.getLong("tokens_in"), rs.getLong("tokens_out"), rs.getDouble("cost"))));
        rows("SELECT " + bucketOf.apply("requested_at") + " AS bucket, count(*) AS n, "
                        + "count(*) FILTER (WHERE decision = 'approved') AS approved, "
                        + "count(*) FILTER (WHERE decision = 'rejected') AS rejected, "
                        + "count(*) FILTER (WHERE decision = 'expired') AS expired, "
                        + "count(*) FILTER (WHERE decision = 'pending') AS pending, "
                        + "round(extract(epoch FROM percentile_disc(0.5) WITHIN GROUP (ORDER BY decided_at - requested_at) "
                        + "FILTER (WHERE decision IN ('approved', 'rejected'))) * 1000)::bigint AS p50, "
                        + "round(extract(epoch FROM percentile_disc(0.95) WITHIN GROUP (ORDER BY decided_at - requested_at) "
                        + "FILTER (WHERE decision IN ('approved', 'rejected'))) * 1000)::bigint AS p95 "
                        + "FROM ai_insight_approvals WHERE tenant_id = ? AND requested_at >= ? AND requested_at < ? "
                        + "GROUP BY 1", tenant, from, to, tallies,
                (t, rs) -> t.approvals = new Approvals(rs.getInt("n"), rs.getInt("approved"), rs.getInt("rejected"),
                        rs.getInt("expired"), rs.getInt("pending"), millis(rs, "p50"), millis(rs, "p95")));
        return tallies;
    }

    private interface RowTally {
        void add(Tally tally, ResultSet rs) throws SQLException;
    }

    private void rows(String sql, String tenant, Timestamp from, Timestamp to, Map<Instant, Tally> tallies,
                      RowTally add) {
        jdbc.query(sql, rs -> {
            add.add(tallies.computeIfAbsent(rs.getTimestamp("bucket").toInstant(), start -> new Tally()), rs);
        }, tenant, from, to);
    }

    private static Long millis(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }

    /** One period's counts as the queries fill them in. */
    private static final class Tally {
        int runs;
        final Map<String, Integer> byMode = new TreeMap<>();
        final Map<String, Integer> byOutcome = new TreeMap<>();
        int autopilot;
        int resolved;
        int handovers;
        final Map<String, Integer> handoverReasons = new TreeMap<>();
        final Map<String, Integer> intents = new TreeMap<>();
        int tickets;
        Drafts drafts = new Drafts(0, 0, 0, 0, 0, 0);
        Latency latency = new Latency(null, null);
        final List<ModelUsage> usage = new ArrayList<>();
        Approvals approvals = new Approvals(0, 0, 0, 0, 0, null, null);

        Figures figures() {
            return new Figures(new Runs(runs, byMode, byOutcome), new Autopilot(autopilot, resolved,
                    autopilot == 0 ? null : (double) resolved / autopilot, handovers, handoverReasons), approvals,
                    tickets, intents, drafts, usage, latency);
        }
    }
}
