package io.aidesk.query.agentrun;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aidesk.api.agentrun.RunQueries.ActionView;
import io.aidesk.api.agentrun.RunQueries.CitationView;
import io.aidesk.api.agentrun.RunQueries.FindRunDetail;
import io.aidesk.api.agentrun.RunQueries.ListConversationRuns;
import io.aidesk.api.agentrun.RunQueries.ListRuns;
import io.aidesk.api.agentrun.RunQueries.RunViewList;
import io.aidesk.api.agentrun.RunModes;
import io.aidesk.api.agentrun.RunQueries.DraftFeedback;
import io.aidesk.api.agentrun.RunQueries.RunDetail;
import io.aidesk.api.agentrun.RunQueries.RunPage;
import io.aidesk.api.agentrun.RunQueries.RunSummary;
import io.aidesk.api.agentrun.RunQueries.RunUsage;
import io.aidesk.api.agentrun.RunQueries.ApprovalList;
import io.aidesk.api.agentrun.RunQueries.ApprovalView;
import io.aidesk.api.agentrun.RunQueries.FindRun;
import io.aidesk.api.agentrun.RunQueries.FindRunEvents;
import io.aidesk.api.agentrun.RunQueries.RunEvent;
import io.aidesk.api.agentrun.RunQueries.RunEventList;
import io.aidesk.api.agentrun.RunQueries.FindToolCall;
import io.aidesk.api.agentrun.RunQueries.ListApprovals;
import io.aidesk.api.agentrun.RunQueries.RunView;
import io.aidesk.api.agentrun.RunStatus;
import io.aidesk.api.tenancy.MetadataKeys;
import io.aidesk.api.tenancy.NotFoundException;
import org.axonframework.messaging.annotation.MetaDataValue;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import io.aidesk.query.audit.StoredEvents;
import io.aidesk.query.audit.StoredEvents.StoredEvent;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Runs with their tool calls, and the approvals inbox, from ai_runs and ai_actions_log; the working views take texts
 * from the run's events ({@link RunTexts}), the audit's views show what log_content kept.
 */
@Component
class RunReader {
    /** The approvals filter as the API spells it, and the call states each one means. */
    private static final Map<String, String> APPROVAL_STATUSES = Map.of(
            "pending", RunStatus.CALL_AWAITING_APPROVAL, "rejected", RunStatus.CALL_REJECTED,
            "expired", RunStatus.CALL_EXPIRED);
    private static final int MAX_APPROVALS = 200;

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;
    private final StoredEvents events;

    RunReader(JdbcTemplate jdbc, ObjectMapper json, StoredEvents events) {
        this.jdbc = jdbc;
        this.json = json;
        this.events = events;
    }

    @QueryHandler
    RunView handle(FindRun query, @MetaDataValue(MetadataKeys.TENANT_ID) String tenant) {
        if (jdbc.queryForList("SELECT id FROM ai_runs WHERE tenant_id = ? AND id = ?", String.class, tenant,
                query.runId()).isEmpty()) {
            throw new NotFoundException("agent run");
        }
        return view(tenant, query.runId());
    }

    /** The conversation must be the tenant's; its autopilot runs come as handle-message answers them. */
    @QueryHandler
    RunViewList handle(ListConversationRuns query, @MetaDataValue(MetadataKeys.TENANT_ID) String tenant) {
        if (jdbc.queryForList("SELECT id FROM ai_conversations WHERE tenant_id = ? AND id = ?", String.class, tenant,
                query.conversationId()).isEmpty()) {
            throw new NotFoundException("conversation");
        }
        return new RunViewList(jdbc.queryForList("""
                SELECT id FROM ai_runs WHERE tenant_id = ? AND conversation_id = ? AND mode = ?
                ORDER BY started_at DESC, id DESC LIMIT ?
                """, String.class, tenant, query.conversationId(), RunModes.AUTOPILOT, ListConversationRuns.MAX_RUNS)
                .stream().map(runId -> view(tenant, runId)).toList());
    }

    private RunView view(String tenant, String runId) {
        RunTexts texts = RunTexts.of(events.ofAggregate(tenant, runId));
        List<ActionView> actions = actions(tenant, runId).stream().map(texts::open).toList();
        return jdbc.queryForObject("SELECT * FROM ai_runs WHERE tenant_id = ? AND id = ?",
                (rs, n) -> run(rs, texts, actions), tenant, runId);
    }

    @QueryHandler
    ActionView handle(FindToolCall query, @MetaDataValue(MetadataKeys.TENANT_ID) String tenant) {
        ActionView kept = jdbc.query("SELECT * FROM ai_actions_log WHERE tenant_id = ? AND call_id = ?",
                (rs, n) -> action(rs), tenant, query.callId()).stream().findFirst()
                .orElseThrow(() -> new NotFoundException("tool call"));
        return RunTexts.of(events.ofAggregate(tenant, kept.runId())).open(kept);
    }

    /**
     * The run's stream from the event store, in order, personal data opened (or erased). The run must be the
     * tenant's (its read-model row is under row-level security); every event's own tenant is checked again.
     */
    @QueryHandler
    RunEventList handle(FindRunEvents query, @MetaDataValue(MetadataKeys.TENANT_ID) String tenant) {
        events.requirePostgres();
        if (jdbc.queryForList("SELECT id FROM ai_runs WHERE tenant_id = ? AND id = ?", String.class, tenant,
                query.runId()).isEmpty()) {
            throw new NotFoundException("agent run");
        }
        return new RunEventList(query.runId(), events.ofAggregate(tenant, query.runId()).stream()
                .map(event -> new RunEvent(event.sequence(), event.type(), event.timestamp(),
                        json.convertValue(event.payload(), new TypeReference<Map<String, Object>>() { }),
                        event.metadata()))
                .toList());
    }

    /** Newest first, keyset-paged on (started_at, id) so a page never repeats or skips a run. */
    @QueryHandler
    RunPage handle(ListRuns query, @MetaDataValue(MetadataKeys.TENANT_ID) String tenant) {
        StringBuilder sql = new StringBuilder("""
                SELECT r.*, (SELECT coalesce(json_agg(a.tool_name ORDER BY a.position), '[]') FROM ai_actions_log a
                             WHERE a.tenant_id = r.tenant_id AND a.run_id = r.id) AS tools,
                            (SELECT count(*) FROM ai_actions_log a WHERE a.tenant_id = r.tenant_id AND a.run_id = r.id
                             AND a.status = ?) AS executed
                FROM ai_runs r WHERE r.tenant_id = ?""");
        List<Object> args = new ArrayList<>(List.of(RunStatus.CALL_EXECUTED, tenant));
        filter(sql, args, query.from(), " AND r.started_at >= ?", Timestamp::from);
        filter(sql, args, query.to(), " AND r.started_at < ?", Timestamp::from);
        filter(sql, args, query.mode(), " AND r.mode = ?", v -> v);
        // a replay's rehearsals are listed when asked for (mode=replay), never among the work done
        filter(sql, args, query.mode() == null ? RunModes.REPLAY : null, " AND r.mode <> ?", v -> v);
        filter(sql, args, query.intent(), " AND r.intent = ?", v -> v);
        filter(sql, args, query.status(), " AND r.status = ?", v -> v);
        filter(sql, args, query.minConfidence(), " AND r.confidence >= ?", v -> v);
        filter(sql, args, query.maxConfidence(), " AND r.confidence <= ?", v -> v);
        filter(sql, args, query.conversationId(), " AND r.conversation_id = ?", v -> v);
        filter(sql, args, query.tool(), " AND EXISTS (SELECT 1 FROM ai_actions_log a WHERE a.tenant_id = r.tenant_id "
                + "AND a.run_id = r.id AND a.tool_name = ?)", v -> v);
        RunCursor after = RunCursor.parse(query.cursor());
        if (after != null) {
            sql.append(" AND (r.started_at, r.id) < (?, ?)");
            args.add(Timestamp.from(after.startedAt()));
            args.add(after.runId());
        }
        sql.append(" ORDER BY r.started_at DESC, r.id DESC LIMIT ?");
        args.add(query.limit() + 1);
        List<RunSummary> found = jdbc.query(sql.toString(), (rs, n) -> new RunSummary(rs.getString("id"),
                rs.getString("conversation_id"), rs.getString("mode"), rs.getString("status"), rs.getString("intent"),
                (Double) rs.getObject("confidence"), (Boolean) rs.getObject("needs_human"),
                rs.getString("handoff_reason"), read(rs.getString("tools"), new TypeReference<List<String>>() { }),
                rs.getInt("executed"), rs.getString("model"), instant(rs.getTimestamp("started_at")),
                instant(rs.getTimestamp("ended_at"))), args.toArray());
        if (found.size() <= query.limit()) {
            return new RunPage(found, null);
        }
        RunSummary last = found.get(query.limit() - 1);
        return new RunPage(found.subList(0, query.limit()), new RunCursor(last.startedAt(), last.runId()).encode());
    }

    /** The whole run for the audit: input, chunks read, the model's JSON, every call and who decided it, usage. */
    @QueryHandler
    RunDetail handle(FindRunDetail query, @MetaDataValue(MetadataKeys.TENANT_ID) String tenant) {
        List<CitationView> citations = jdbc.query("""
                SELECT * FROM ai_run_citations WHERE tenant_id = ? AND run_id = ? ORDER BY position
                """, (rs, n) -> new CitationView(rs.getInt("position"), rs.getString("chunk_id"),
                rs.getString("document_id"), rs.getString("source_id"), rs.getString("title"), rs.getString("url"),
                rs.getDouble("score"), rs.getString("content_hash"), (Integer) rs.getObject("document_version"),
                rs.getString("text"), (Integer) rs.getObject("text_length"), rs.getBoolean("cited")),
                tenant, query.runId());
        List<RunDetail> found = jdbc.query("SELECT * FROM ai_runs WHERE tenant_id = ? AND id = ?", (rs, n) -> {
            Instant started = instant(rs.getTimestamp("started_at"));
            Instant ended = instant(rs.getTimestamp("ended_at"));
            BigDecimal cost = rs.getBigDecimal("cost_estimate");
            return new RunDetail(rs.getString("id"), rs.getString("conversation_id"), rs.getString("message_id"),
                    rs.getString("mode"), rs.getString("status"), rs.getString("started_by"), rs.getString("input"),
                    rs.getString("input_hash"), (Integer) rs.getObject("input_length"), rs.getString("intent"),
                    (Double) rs.getObject("confidence"), (Boolean) rs.getObject("needs_human"),
                    read(rs.getString("missing_fields"), new TypeReference<List<String>>() { }), rs.getString("reply"),
                    rs.getString("reply_hash"), (Integer) rs.getObject("reply_length"), rs.getString("handoff_reason"),
                    rs.getString("failure_kind"), citations,
                    read(rs.getString("dropped_citations"), new TypeReference<List<String>>() { }),
                    output(rs.getString("output_json")), actions(tenant, query.runId()),
                    new RunUsage(rs.getString("model"), (Integer) rs.getObject("tokens_in"),
                            (Integer) rs.getObject("tokens_out"), (Long) rs.getObject("latency_ms"),
                            cost == null ? null : cost.doubleValue()),
                    rs.getString("log_content"), started, ended,
                    ended == null ? null : Duration.between(started, ended).toMillis(), draftFeedback(rs));
        }, tenant, query.runId());
        if (found.isEmpty()) {
            throw new NotFoundException("agent run");
        }
        return found.get(0);
    }

    private static DraftFeedback draftFeedback(ResultSet rs) throws SQLException {
        if (rs.getString("draft_outcome") == null && rs.getObject("draft_helpful") == null) {
            return null;
        }
        return new DraftFeedback(rs.getString("draft_outcome"), rs.getString("draft_reviewed_by"),
                instant(rs.getTimestamp("draft_reviewed_at")), (Boolean) rs.getObject("draft_helpful"),
                rs.getString("draft_rated_by"), instant(rs.getTimestamp("draft_rated_at")),
                rs.getString("draft_feedback"));
    }

    private static <T> void filter(StringBuilder sql, List<Object> args, T value, String clause,
                                   Function<T, Object> bind) {
        if (value != null) {
            sql.append(clause);
            args.add(bind.apply(value));
        }
    }

    /** The model's raw output, as JSON when it is JSON (it is, unless the model broke its contract). */
    private Object output(String raw) {
        if (raw == null) {
            return null;
        }
        try {
            return json.readValue(raw, Object.class);
        } catch (JsonProcessingException notJson) {
            return raw;
        }
    }

    /** approved covers calls approved and then executed or failed: what matters is that an admin said yes. */
    @QueryHandler
    ApprovalList handle(ListApprovals query, @MetaDataValue(MetadataKeys.TENANT_ID) String tenant) {
        String filter;
        Object[] args;
        if (query.status() == null) {
            filter = "";
            args = new Object[]{tenant};
        } else if ("approved".equals(query.status())) {
            filter = " AND a.approved_by_user_id IS NOT NULL";
            args = new Object[]{tenant};
        } else {
            filter = " AND a.status = ?";
            args = new Object[]{tenant, APPROVAL_STATUSES.get(query.status())};
        }
        List<ApprovalView> kept = jdbc.query("""
                SELECT a.*, r.conversation_id, r.input, c.contact_id FROM ai_actions_log a
                JOIN ai_runs r ON r.id = a.run_id AND r.tenant_id = a.tenant_id
                LEFT JOIN ai_conversations c ON c.id = r.conversation_id AND c.tenant_id = r.tenant_id
                WHERE a.tenant_id = ? AND a.requires_approval""" + filter + " ORDER BY a.requested_at DESC LIMIT "
                + MAX_APPROVALS, (rs, n) -> new ApprovalView(rs.getString("call_id"), rs.getString("run_id"),
                rs.getString("conversation_id"), rs.getString("contact_id"), rs.getString("input"), action(rs)), args);
        Map<String, List<StoredEvent>> runs = events.ofAggregates(tenant,
                kept.stream().map(ApprovalView::runId).collect(Collectors.toSet()));
        return new ApprovalList(kept.stream().map(approval -> {
            RunTexts texts = RunTexts.of(runs.getOrDefault(approval.runId(), List.of()));
            return new ApprovalView(approval.callId(), approval.runId(), approval.conversationId(),
                    approval.contactId(), texts.inputOr(approval.input()), texts.open(approval.action()));
        }).toList());
    }

    static boolean knownApprovalStatus(String status) {
        return status == null || "approved".equals(status) || APPROVAL_STATUSES.containsKey(status);
    }

    private List<ActionView> actions(String tenant, String runId) {
        return jdbc.query("SELECT * FROM ai_actions_log WHERE tenant_id = ? AND run_id = ? ORDER BY position",
                (rs, n) -> action(rs), tenant, runId);
    }

    private RunView run(ResultSet rs, RunTexts texts, List<ActionView> actions) throws SQLException {
        return new RunView(rs.getString("id"), rs.getString("conversation_id"), rs.getString("message_id"),
                rs.getString("mode"), rs.getString("status"), rs.getString("intent"),
                (Double) rs.getObject("confidence"), (Boolean) rs.getObject("needs_human"),
                read(rs.getString("missing_fields"), new TypeReference<List<String>>() { }),
                texts.replyOr(rs.getString("reply")),
                rs.getString("handoff_reason"), rs.getString("failure_kind"), actions, rs.getString("model"),
                (Long) rs.getObject("latency_ms"),
                instant(rs.getTimestamp("started_at")),
                instant(rs.getTimestamp("updated_at")));
    }

    private ActionView action(ResultSet rs) throws SQLException {
        return new ActionView(rs.getString("call_id"), rs.getString("run_id"), rs.getString("tool_name"),
                read(rs.getString("args"), new TypeReference<Map<String, Object>>() { }), rs.getString("args_hash"),
                rs.getString("status"), rs.getBoolean("requires_approval"), rs.getString("reason"),
                rs.getString("result") == null ? null
                        : read(rs.getString("result"), new TypeReference<Map<String, Object>>() { }),
                rs.getString("error"), instant(rs.getTimestamp("requested_at")), instant(rs.getTimestamp("deadline")),
                rs.getString("decided_by"), instant(rs.getTimestamp("decided_at")));
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

    private <T> T read(String value, TypeReference<T> type) {
        try {
            return json.readValue(value, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a run's read model holds data that is not JSON", e);
        }
    }
}
