package io.aidesk.query.insights;

import io.aidesk.api.insights.InsightsQueries.ContentGap;
import io.aidesk.api.insights.InsightsQueries.ContentGapsView;
import io.aidesk.api.insights.InsightsQueries.FindContentGaps;
import io.aidesk.api.insights.InsightsQueries.GapExample;
import io.aidesk.api.insights.InsightsQueries.GapPage;
import io.aidesk.api.privacy.PersonalData;
import io.aidesk.api.tenancy.MetadataKeys;
import io.aidesk.gateway.clustering.QuestionClusters;
import io.aidesk.gateway.embedding.EmbeddingModel;
import io.aidesk.gateway.embedding.EmbeddingModels;
import io.aidesk.gateway.language.Language;
import org.axonframework.messaging.annotation.MetaDataValue;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Content gaps: the questions a tenant's assistant answered below the threshold, or handed over for low confidence,
 * grouped by meaning ({@link QuestionClusters}, per language), ranked by how often they were asked, each with the
 * pages retrieved for it. A gap is closed once a later run answered a question like it surely. Only the words the
 * tenant's log_content kept are grouped: the figures say how many were not.
 */
@Component
class ContentGaps {
    /** The most recent unanswered questions grouped, and answered ones looked at for closing them. */
    static final int MAX_QUESTIONS = 500;
    static final int MAX_ANSWERED = 500;
    private static final int EXAMPLES = 5;
    private static final int PAGES = 3;
    private static final String LOW = "(i.handoff_reason = 'low_confidence' OR i.confidence < i.threshold)";

    private record Asked(String runId, String text, Instant at, Double confidence, String language) {
    }

    private final JdbcTemplate jdbc;
    private final EmbeddingModels models;
    private final QuestionVectors vectors;

    ContentGaps(JdbcTemplate jdbc, EmbeddingModels models, QuestionVectors vectors) {
        this.jdbc = jdbc;
        this.models = models;
        this.vectors = vectors;
    }

    @QueryHandler
    ContentGapsView handle(FindContentGaps query, @MetaDataValue(MetadataKeys.TENANT_ID) String tenant) {
        List<Asked> all = asked(tenant, "i.started_at >= ? AND i.started_at < ? AND " + LOW, MAX_QUESTIONS,
                Timestamp.from(query.from()), Timestamp.from(query.to()));
        List<Asked> unanswered = all.stream().filter(asked -> asked.text() != null).toList();
        List<Asked> answered = asked(tenant, "i.started_at >= ? AND i.outcome = 'completed' AND i.handoff_reason IS NULL "
                + "AND i.confidence >= i.threshold", MAX_ANSWERED, Timestamp.from(query.from())).stream()
                .filter(asked -> asked.text() != null).toList();
        EmbeddingModel model = models.target();
        Map<String, List<Asked>> byLanguage = new LinkedHashMap<>();
        unanswered.forEach(asked -> byLanguage.computeIfAbsent(asked.language(), l -> new ArrayList<>()).add(asked));
        List<ContentGap> gaps = new ArrayList<>();
        byLanguage.forEach((language, questions) -> {
            List<float[]> embedded = questions.stream().map(asked -> vectors.of(model, asked.text())).toList();
            double threshold = QuestionClusters.threshold(language);
            for (List<Integer> group : QuestionClusters.members(QuestionClusters.group(embedded, threshold))) {
                List<Asked> members = group.stream().map(questions::get).toList();
                List<float[]> memberVectors = group.stream().map(embedded::get).toList();
                Instant last = members.get(members.size() - 1).at();
                Asked closer = answered.stream().filter(a -> a.language().equals(language) && a.at().isAfter(last))
                        .filter(a -> QuestionClusters.closeness(vectors.of(model, a.text()), memberVectors) >= threshold)
                        .min(Comparator.comparing(Asked::at)).orElse(null);
                if (closer != null && !query.withAnswered()) {
                    continue;
                }
                List<String> runIds = members.stream().map(Asked::runId).toList();
                List<GapExample> examples = members.stream().sorted(Comparator.comparing(Asked::at).reversed())
                        .limit(EXAMPLES).map(a -> new GapExample(a.runId(), a.text(), a.at(), a.confidence())).toList();
                gaps.add(new ContentGap(runIds.get(0), language, members.size(), members.get(0).at(), last, examples,
                        pages(tenant, runIds), runIds, closer == null ? null : closer.runId(),
                        closer == null ? null : closer.at()));
            }
        });
        gaps.sort(Comparator.comparing((ContentGap gap) -> gap.answeredByRun() != null)
                .thenComparing(ContentGap::asked, Comparator.reverseOrder())
                .thenComparing(ContentGap::lastAskedAt, Comparator.reverseOrder()));
        return new ContentGapsView(query.from(), query.to(), unanswered.size(), all.size() - unanswered.size(), gaps);
    }

    /** Copilot and autopilot runs (replays are left out of insights) with the words the audit kept, oldest first. */
    private List<Asked> asked(String tenant, String condition, int limit, Object... args) {
        List<Object> all = new ArrayList<>(List.of(tenant));
        all.addAll(List.of(args));
        all.add(limit);
        List<Asked> found = jdbc.query("SELECT i.run_id, i.started_at, i.confidence, r.input FROM ai_insight_runs i "
                + "JOIN ai_runs r ON r.tenant_id = i.tenant_id AND r.id = i.run_id "
                + "WHERE i.tenant_id = ? AND i.outcome <> 'running' AND " + condition
                + " ORDER BY i.started_at DESC LIMIT ?", (rs, n) -> {
            String text = kept(rs.getString("input"));
            return new Asked(rs.getString("run_id"), text, rs.getTimestamp("started_at").toInstant(),
                    (Double) rs.getObject("confidence"), text == null ? null : Language.of(text));
        }, all.toArray());
        List<Asked> oldestFirst = new ArrayList<>(found);
        Collections.reverse(oldestFirst);
        return oldestFirst;
    }

    private static String kept(String input) {
        return input == null || input.isBlank() || PersonalData.ERASED.equals(input) ? null : input;
    }

    private List<GapPage> pages(String tenant, List<String> runIds) {
        return jdbc.query("""
                SELECT title, url, count(*) AS times FROM ai_run_citations
                WHERE tenant_id = ? AND run_id = ANY (?) AND position < ?
                GROUP BY title, url ORDER BY times DESC, title LIMIT ?
                """, (rs, n) -> new GapPage(rs.getString("title"), rs.getString("url"), rs.getInt("times")), tenant,
                runIds.toArray(String[]::new), PAGES, PAGES);
    }
}
