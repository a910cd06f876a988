package io.aidesk.projections.settings;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aidesk.api.settings.AssistantSettingsChanged;
import io.aidesk.api.settings.AssistantSettingsValues;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.time.Instant;

/** Keeps ai_assistant_settings at the newest revision of each tenant's settings. */
@Component
@ProcessingGroup(AssistantSettingsProjection.PROCESSING_GROUP)
class AssistantSettingsProjection {
    static final String PROCESSING_GROUP = "assistant-settings";

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;

    AssistantSettingsProjection(JdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    @EventHandler
    void on(AssistantSettingsChanged event, @org.axonframework.eventhandling.Timestamp Instant at) {
        AssistantSettingsValues s = event.settings();
        // an older revision never overwrites a newer one, so a replay or a redelivery is harmless
        jdbc.update("""
                INSERT INTO ai_assistant_settings (tenant_id, copilot_enabled, autopilot_enabled, confidence_threshold,
                    allowed_tools, escalation_rules, log_content, required_fields, approval_timeout_minutes, revision,
                    updated_at, updated_by)
                VALUES (?, ?, ?, ?, ?::jsonb, ?::jsonb, ?, ?::jsonb, ?, ?, ?, ?)
                ON CONFLICT (tenant_id) DO UPDATE SET
                    copilot_enabled = EXCLUDED.copilot_enabled, autopilot_enabled = EXCLUDED.autopilot_enabled,
                    confidence_threshold = EXCLUDED.confidence_threshold, allowed_tools = EXCLUDED.allowed_tools,
                    escalation_rules = EXCLUDED.escalation_rules, log_content = EXCLUDED.log_content,
                    required_fields = EXCLUDED.required_fields,
                    approval_timeout_minutes = EXCLUDED.approval_timeout_minutes, revision = EXCLUDED.revision,
                    updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by
                WHERE ai_assistant_settings.revision < EXCLUDED.revision
                """,
                event.tenantId(), s.copilotEnabled(), s.autopilotEnabled(), s.confidenceThreshold(),
                write(s.allowedTools()), write(s.escalationRules()), s.logContent(), write(s.requiredFields()),
                s.approvalTimeoutMinutes(), event.revision(), Timestamp.from(at), event.changedBy());
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("settings value cannot be written as JSON", e);
        }
    }
}
