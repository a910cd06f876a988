package io.aidesk.api.insights;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** How well the assistant does for a tenant, per day, week or month: the figures a support lead asks for. */
public final class InsightsQueries {
    /** The periods a tenant's figures come in, as the API spells them (and Postgres' date_trunc). */
    public static final List<String> GRANULARITIES = List.of("day", "week", "month");

    private InsightsQueries() {
    }

    /** @param from inclusive; to exclusive; granularity one of {@link #GRANULARITIES} (UTC) */
    public record FindInsights(Instant from, Instant to, String granularity) {
    }

    /** @param periods one per period that had a run or an approval, oldest first; totals over the whole range */
    public record InsightsView(Instant from, Instant to, String granularity, Figures totals, List<Period> periods) {
    }

    /** @param start the period's first moment (UTC) */
    public record Period(Instant start, Figures figures) {
    }

    public record Figures(Runs runs, Autopilot autopilot, Approvals approvals, int ticketsOpened,
                          Map<String, Integer> intents, Drafts drafts, List<ModelUsage> usage, Latency latency) {
    }

    /** @param byOutcome running, completed, escalated, failed */
    public record Runs(int total, Map<String, Integer> byMode, Map<String, Integer> byOutcome) {
    }

    /**
     * @param resolved       completed without a handover, the reply sent, and no customer message within 24 h after it
     * @param resolutionRate resolved of all autopilot runs; null without any
     */
    public record Autopilot(int runs, int resolved, Double resolutionRate, int handovers,
                            Map<String, Integer> handoverReasons) {
    }

    /** @param decisionP50Ms time from the request to an admin's decision (approved or rejected), in ms */
    public record Approvals(int requested, int approved, int rejected, int expired, int pending, Long decisionP50Ms,
                            Long decisionP95Ms) {
    }

    /** What agents did with the copilot's drafts, where the inbox recorded it. */
    public record Drafts(int drafted, int sentAsDrafted, int edited, int discarded, int ratedHelpful,
                         int ratedUnhelpful) {
    }

    public record ModelUsage(String model, int decisions, long tokensIn, long tokensOut, double costUsd) {
    }

    /** From a run's start to its drafted reply. */
    public record Latency(Long p50Ms, Long p95Ms) {
    }

    /**
     * Questions the assistant could not answer surely (drafted below the run's threshold, or handed over for low
     * confidence) in [from, to), grouped by meaning.
     *
     * @param withAnswered also the gaps a later run answered
     */
    public record FindContentGaps(Instant from, Instant to, boolean withAnswered) {
    }

    /**
     * @param considered the unanswered questions grouped; unlogged those whose words the tenant's log_content did not
     *                   keep (or an erasure removed), which no gap can show
     */
    public record ContentGapsView(Instant from, Instant to, int considered, int unlogged, List<ContentGap> gaps) {
    }

    /**
     * @param asked         how many times it was asked in the range
     * @param examples      up to five of the ways it was asked, the latest first
     * @param closestPages  the pages retrieved for it most often: what to extend, or where a new article belongs
     * @param answeredByRun a later run that answered it surely, if one did (the gap is then closed)
     */
    public record ContentGap(String gapId, String language, int asked, Instant firstAskedAt, Instant lastAskedAt,
                             List<GapExample> examples, List<GapPage> closestPages, List<String> runIds,
                             String answeredByRun, Instant answeredAt) {
    }

    public record GapExample(String runId, String question, Instant askedAt, Double confidence) {
    }

    public record GapPage(String title, String url, int times) {
    }
}
