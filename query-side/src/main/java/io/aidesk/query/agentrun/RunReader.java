package io.aidesk.query.agentrun;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aidesk.api.agentrun.RunQueries.ActionView;
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
import io.aidesk.api.tenancy.MissingTenantException;
import io.aidesk.api.tenancy.NotFoundException;
import org.axonframework.messaging.annotation.MetaDataValue;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Runs with their tool calls, and the approvals inbox, from ai_runs and ai_actions_log. */
@Component
class RunReader {
    /** The approvals filter as the API spells it, and the call states each one means. */
    private static final Map<String, String> APPROVAL_STATUSES = Map.of(
            "pending", RunStatus.CALL_AWAITING_APPROVAL, "rejected", RunStatus.CALL_REJECTED,
            "expired", RunStatus.CALL_EXPIRED);
    private static final int MAX_APPROVALS = 200;

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;

    RunReader(JdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    @QueryHandler
    RunView handle(FindRun query, @MetaDataValue(MetadataKeys.TENANT_ID) String tenant) {
        requireTenant(tenant, query);
        List<RunView> found = jdbc.query("SELECT * FROM ai_runs WHERE tenant_id = ? AND id = ?",
                (rs, n) -> run(rs, actions(tenant, query.runId())), tenant, query.runId());
        if (found.isEmpty()) {
            throw new NotFoundException("agent run");
        }
        return found.get(0);
    }

    @QueryHandler
    ActionView handle(FindToolCall query, @MetaDataValue(MetadataKeys.TENANT_ID) String tenant) {
        requireTenant(tenant, query);
        return jdbc.query("SELECT * FROM ai_actions_log WHERE tenant_id = ? AND call_id = ?", (rs, n) -> action(rs),
                tenant, query.callId()).stream().findFirst().orElseThrow(() -> new NotFoundException("tool call"));
    }

    /**
     * The run's stream from the event store, in order. The run must be the tenant's (its read-model row is under
     * row-level security); every event's own tenant is checked again.
     */
    @QueryHandler
    RunEventList handle(FindRunEvents query, @MetaDataValue(MetadataKeys.TENANT_ID) String tenant) {
        requireTenant(tenant, query);
        if (jdbc.queryForList("SELECT id FROM ai_runs WHERE tenant_id = ? AND id = ?", String.class, tenant,
                query.runId()).isEmpty()) {
            throw new NotFoundException("agent run");
        }
        List<RunEvent> events = jdbc.query("""
                SELECT sequence_number, payload_type, time_stamp, convert_from(payload, 'UTF8') AS payload,
                       convert_from(meta_data, 'UTF8') AS meta_data
                FROM domain_event_entry WHERE aggregate_identifier = ? ORDER BY sequence_number
                """, (rs, n) -> new RunEvent(rs.getLong("sequence_number"),
                rs.getString("payload_type").replaceFirst(".*[.$]", ""), Instant.parse(rs.getString("time_stamp")),
                read(rs.getString("payload"), new TypeReference<Map<String, Object>>() { }),
                rs.getString("meta_data") == null ? Map.of()
                        : read(rs.getString("meta_data"), new TypeReference<Map<String, Object>>() { })),
                query.runId());
        return new RunEventList(query.runId(), events.stream()
                .filter(event -> tenant.equals(event.metadata().get(MetadataKeys.TENANT_ID))).toList());
    }

    /** approved covers calls approved and then executed or failed: what matters is that an admin said yes. */
    @QueryHandler
    ApprovalList handle(ListApprovals query, @MetaDataValue(MetadataKeys.TENANT_ID) String tenant) {
        requireTenant(tenant, query);
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
        return new ApprovalList(jdbc.query("""
                SELECT a.*, r.conversation_id, r.input, c.contact_id FROM ai_actions_log a
                JOIN ai_runs r ON r.id = a.run_id AND r.tenant_id = a.tenant_id
                LEFT JOIN ai_conversations c ON c.id = r.conversation_id AND c.tenant_id = r.tenant_id
                WHERE a.tenant_id = ? AND a.requires_approval""" + filter + " ORDER BY a.requested_at DESC LIMIT "
                + MAX_APPROVALS, (rs, n) -> new ApprovalView(rs.getString("call_id"), rs.getString("run_id"),
                rs.getString("conversation_id"), rs.getString("contact_id"), rs.getString("input"), action(rs)), args));
    }

    static boolean knownApprovalStatus(String status) {
        return status == null || "approved".equals(status) || APPROVAL_STATUSES.containsKey(status);
    }

    private List<ActionView> actions(String tenant, String runId) {
        return jdbc.query("SELECT * FROM ai_actions_log WHERE tenant_id = ? AND run_id = ? ORDER BY position",
                (rs, n) -> action(rs), tenant, runId);
    }

    private RunView run(ResultSet rs, List<ActionView> actions) throws SQLException {
        return new RunView(rs.getString("id"), rs.getString("conversation_id"), rs.getString("message_id"),
                rs.getString("mode"), rs.getString("status"), rs.getString("intent"),
                (Double) rs.getObject("confidence"), (Boolean) rs.getObject("needs_human"),
                read(rs.getString("missing_fields"), new TypeReference<List<String>>() { }), rs.getString("reply"),
                rs.getString("handoff_reason"), actions, rs.getString("model"), (Long) rs.getObject("latency_ms"),
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

    private static void requireTenant(String tenant, Object query) {
        if (tenant == null) {
            throw new MissingTenantException(query.getClass().getSimpleName());
        }
    }

    private <T> T read(String value, TypeReference<T> type) {
        try {
            return json.readValue(value, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a run's read model holds data that is not JSON", e);
        }
    }
}
