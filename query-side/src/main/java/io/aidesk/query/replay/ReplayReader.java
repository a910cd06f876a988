package io.aidesk.query.replay;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aidesk.api.agentrun.RunModes;
import io.aidesk.api.conversation.Channels;
import io.aidesk.api.replay.ReplayItem;
import io.aidesk.api.replay.ReplayOutcome;
import io.aidesk.api.replay.ReplayQueries.FindReplay;
import io.aidesk.api.replay.ReplayQueries.FindReplayCandidates;
import io.aidesk.api.replay.ReplayQueries.FindReplayWork;
import io.aidesk.api.replay.ReplayQueries.IndexedItem;
import io.aidesk.api.replay.ReplayQueries.ListReplays;
import io.aidesk.api.replay.ReplayQueries.ReplayCandidates;
import io.aidesk.api.replay.ReplayQueries.ReplayItemView;
import io.aidesk.api.replay.ReplayQueries.ReplayList;
import io.aidesk.api.replay.ReplayQueries.ReplaySummary;
import io.aidesk.api.replay.ReplayQueries.ReplayTotals;
import io.aidesk.api.replay.ReplayQueries.ReplayView;
import io.aidesk.api.replay.ReplayQueries.ReplayWork;
import io.aidesk.api.settings.AssistantSettingsValues;
import io.aidesk.api.settings.SettingChange;
import io.aidesk.api.tenancy.MetadataKeys;
import io.aidesk.api.tenancy.NotFoundException;
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
import java.util.Objects;
import java.util.TreeMap;

/** Replays from ai_replays and ai_replay_items, and the customer messages a new replay would decide again. */
@Component
class ReplayReader {
    private static final String SUMMARY = """
            SELECT r.*, (SELECT count(*) FROM ai_replay_items i WHERE i.replay_id = r.replay_id
                         AND i.replayed_at IS NOT NULL) AS replayed,
                   (SELECT count(*) FROM ai_replay_items i WHERE i.replay_id = r.replay_id AND i.outcome_changed)
                       AS outcome_changed
            FROM ai_replays r WHERE r.tenant_id = ?
            """;
    private static final int MAX_LISTED = 100;

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;

    ReplayReader(JdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** A customer message's run: the autopilot's answer to it, else the latest copilot draft of the same words. */
    @QueryHandler
    ReplayCandidates handle(FindReplayCandidates query, @MetaDataValue(MetadataKeys.TENANT_ID) String tenant) {
        StringBuilder where = new StringBuilder(" FROM ai_messages m WHERE m.tenant_id = ? AND m.sender = ?");
        List<Object> args = new ArrayList<>(List.of(tenant, Channels.CUSTOMER));
        if (query.from() != null) {
            where.append(" AND m.created_at >= ?");
            args.add(Timestamp.from(query.from()));
        }
        if (query.to() != null) {
            where.append(" AND m.created_at < ?");
            args.add(Timestamp.from(query.to()));
        }
        if (query.conversationIds() != null && !query.conversationIds().isEmpty()) {
            where.append(" AND m.conversation_id IN (").append(String.join(", ",
                    query.conversationIds().stream().map(id -> "?").toList())).append(")");
            args.addAll(query.conversationIds());
        }
        List<Object> itemArgs = new ArrayList<>(List.of(RunModes.AUTOPILOT, RunModes.COPILOT));
        itemArgs.addAll(args);
        itemArgs.add(query.limit());
        List<ReplayItem> items = jdbc.query("""
                SELECT m.conversation_id, m.id,
                       COALESCE((SELECT r.id FROM ai_runs r WHERE r.tenant_id = m.tenant_id AND r.message_id = m.id
                                 AND r.mode = ? ORDER BY r.started_at DESC LIMIT 1),
                                (SELECT r.id FROM ai_runs r WHERE r.tenant_id = m.tenant_id
                                 AND r.conversation_id = m.conversation_id AND r.mode = ?
                                 AND r.input_hash = m.text_hash ORDER BY r.started_at DESC LIMIT 1)) AS run_id
                """ + where + " ORDER BY m.created_at, m.conversation_id, m.position LIMIT ?",
                (rs, n) -> new ReplayItem(rs.getString("conversation_id"), rs.getString("id"), rs.getString("run_id"),
                        null), itemArgs.toArray());
        Integer all = jdbc.queryForObject("SELECT count(*)" + where, Integer.class, args.toArray());
        return new ReplayCandidates(items, Math.max(0, Objects.requireNonNull(all) - items.size()));
    }

    @QueryHandler
    ReplayWork handle(FindReplayWork query, @MetaDataValue(MetadataKeys.TENANT_ID) String tenant) {
        List<ReplayWork> found = jdbc.query("SELECT status, proposed, model FROM ai_replays WHERE tenant_id = ? "
                + "AND replay_id = ?", (rs, n) -> new ReplayWork(rs.getString("status"),
                read(rs.getString("proposed"), new TypeReference<AssistantSettingsValues>() { }), rs.getString("model"),
                List.of()), tenant, query.replayId());
        if (found.isEmpty()) {
            throw new NotFoundException("replay");
        }
        List<IndexedItem> pending = jdbc.query("""
                SELECT idx, conversation_id, message_id, original_run_id, question FROM ai_replay_items
                WHERE tenant_id = ? AND replay_id = ? AND replayed_at IS NULL ORDER BY idx LIMIT ?
                """, (rs, n) -> new IndexedItem(rs.getInt("idx"), new ReplayItem(rs.getString("conversation_id"),
                rs.getString("message_id"), rs.getString("original_run_id"), rs.getString("question"))),
                tenant, query.replayId(), query.limit());
        ReplayWork work = found.get(0);
        return new ReplayWork(work.status(), work.proposed(), work.model(), pending);
    }

    @QueryHandler
    ReplayList handle(ListReplays query, @MetaDataValue(MetadataKeys.TENANT_ID) String tenant) {
        return new ReplayList(jdbc.query(SUMMARY + " ORDER BY r.started_at DESC, r.replay_id LIMIT ?",
                (rs, n) -> summary(rs), tenant, MAX_LISTED));
    }

    @QueryHandler
    ReplayView handle(FindReplay query, @MetaDataValue(MetadataKeys.TENANT_ID) String tenant) {
        List<ReplayView> found = jdbc.query(SUMMARY + " AND r.replay_id = ?", (rs, n) -> new ReplayView(summary(rs),
                changes(read(rs.getString("current"), new TypeReference<Map<String, Object>>() { }),
                        read(rs.getString("proposed"), new TypeReference<Map<String, Object>>() { })), null, null),
                tenant, query.replayId());
        if (found.isEmpty()) {
            throw new NotFoundException("replay");
        }
        List<ReplayItemView> items = jdbc.query("""
                SELECT i.*, m.text AS message FROM ai_replay_items i
                LEFT JOIN ai_messages m ON m.tenant_id = i.tenant_id AND m.id = i.message_id
                WHERE i.tenant_id = ? AND i.replay_id = ? ORDER BY i.idx
                """, (rs, n) -> new ReplayItemView(rs.getInt("idx"), rs.getString("conversation_id"),
                rs.getString("message_id"), rs.getString("message"), rs.getString("question"),
                rs.getString("original_run_id"), rs.getString("replay_run_id"), outcome(rs.getString("original")), outcome(rs.getString("replayed")),
                rs.getString("differences") == null ? List.of()
                        : read(rs.getString("differences"), new TypeReference<List<String>>() { }),
                rs.getBoolean("outcome_changed")), tenant, query.replayId());
        ReplayView view = found.get(0);
        return new ReplayView(view.replay(), view.changes(), totals(items), query.changedOnly()
                ? items.stream().filter(ReplayItemView::outcomeChanged).toList() : items);
    }

    /** Before and after, over the items replayed so far. */
    private static ReplayTotals totals(List<ReplayItemView> items) {
        List<ReplayItemView> replayed = items.stream().filter(item -> item.replayed() != null).toList();
        int resolvedBefore = 0;
        int resolvedAfter = 0;
        int handoversBefore = 0;
        int handoversAfter = 0;
        int askedBefore = 0;
        int askedAfter = 0;
        int changed = 0;
        Map<String, Integer> toolsBefore = new TreeMap<>();
        Map<String, Integer> toolsAfter = new TreeMap<>();
        for (ReplayItemView item : replayed) {
            resolvedBefore += "answer".equals(item.original().outcome()) ? 1 : 0;
            resolvedAfter += "answer".equals(item.replayed().outcome()) ? 1 : 0;
            handoversBefore += "handoff".equals(item.original().outcome()) ? 1 : 0;
            handoversAfter += "handoff".equals(item.replayed().outcome()) ? 1 : 0;
            askedBefore += "ask_for_data".equals(item.original().outcome()) ? 1 : 0;
            askedAfter += "ask_for_data".equals(item.replayed().outcome()) ? 1 : 0;
            changed += item.differences().isEmpty() ? 0 : 1;
            item.original().tools().forEach(tool -> toolsBefore.merge(tool, 1, Integer::sum));
            item.replayed().tools().forEach(tool -> toolsAfter.merge(tool, 1, Integer::sum));
        }
        int n = replayed.size();
        return new ReplayTotals(n, (int) replayed.stream().filter(ReplayItemView::outcomeChanged).count(), changed,
                n == 0 ? null : (double) resolvedBefore / n, n == 0 ? null : (double) resolvedAfter / n,
                handoversBefore, handoversAfter, askedBefore, askedAfter, toolsBefore, toolsAfter);
    }

    private static List<SettingChange> changes(Map<String, Object> current, Map<String, Object> proposed) {
        List<SettingChange> changes = new ArrayList<>();
        new TreeMap<>(proposed).forEach((field, to) -> {
            Object from = current.get(field);
            if (!Objects.equals(from, to)) {
                changes.add(new SettingChange(field, from, to));
            }
        });
        return changes;
    }

    private ReplaySummary summary(ResultSet rs) throws SQLException {
        Timestamp ended = rs.getTimestamp("ended_at");
        return new ReplaySummary(rs.getString("replay_id"), rs.getString("status"), rs.getString("description"),
                rs.getString("selection"), rs.getString("model"), rs.getString("requested_by"), rs.getInt("items"),
                rs.getInt("replayed"), rs.getInt("outcome_changed"), rs.getTimestamp("started_at").toInstant(),
                ended == null ? null : ended.toInstant());
    }

    private ReplayOutcome outcome(String value) {
        return value == null ? null : read(value, new TypeReference<ReplayOutcome>() { });
    }

    private <T> T read(String value, TypeReference<T> type) {
        try {
            return json.readValue(value, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot read a replay's JSON", e);
        }
    }
}
