package io.aidesk.query.settings;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aidesk.api.settings.AssistantSettingsValues;
import io.aidesk.api.settings.AssistantSettingsView;
import io.aidesk.api.settings.EscalationRule;
import io.aidesk.api.settings.FindAssistantSettings;
import io.aidesk.api.tenancy.MetadataKeys;
import org.axonframework.messaging.annotation.MetaDataValue;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/** Answers settings queries from ai_assistant_settings; a tenant without a row runs on the defaults. */
@Component
class AssistantSettingsQueries {

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;

    AssistantSettingsQueries(JdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    @QueryHandler
    AssistantSettingsView handle(FindAssistantSettings query, @MetaDataValue(MetadataKeys.TENANT_ID) String tenant) {
        // row-level security already limits rows to the tenant; the WHERE keeps the index in use
        List<AssistantSettingsView> rows = jdbc.query("""
                SELECT copilot_enabled, autopilot_enabled, confidence_threshold, allowed_tools, escalation_rules,
                       log_content, required_fields, approval_timeout_minutes, revision, updated_at, updated_by
                FROM ai_assistant_settings WHERE tenant_id = ?
                """, (rs, n) -> view(rs), tenant);
        return rows.isEmpty()
                ? new AssistantSettingsView(AssistantSettingsValues.defaults(), 0, null, null)
                : rows.get(0);
    }

    private AssistantSettingsView view(ResultSet rs) throws SQLException {
        AssistantSettingsValues settings = new AssistantSettingsValues(
                rs.getBoolean("copilot_enabled"),
                rs.getBoolean("autopilot_enabled"),
                rs.getDouble("confidence_threshold"),
                read(rs.getString("allowed_tools"), new TypeReference<List<String>>() { }),
                read(rs.getString("escalation_rules"), new TypeReference<List<EscalationRule>>() { }),
                rs.getString("log_content"),
                read(rs.getString("required_fields"), new TypeReference<Map<String, List<String>>>() { }),
                (Integer) rs.getObject("approval_timeout_minutes"));
        return new AssistantSettingsView(settings, rs.getLong("revision"),
                rs.getTimestamp("updated_at").toInstant(), rs.getString("updated_by"));
    }

    private <T> T read(String value, TypeReference<T> type) {
        try {
            return json.readValue(value, type);
        } catch (IOException e) {
            throw new UncheckedIOException("ai_assistant_settings holds JSON it cannot read back", e);
        }
    }
}
