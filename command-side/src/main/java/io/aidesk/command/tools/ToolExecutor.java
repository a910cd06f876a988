package io.aidesk.command.tools;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aidesk.command.crm.CrmActions;
import io.aidesk.command.crm.CrmStore;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.Map;

/**
 * Runs a checked tool call through the CRM adapter exactly once: the call's idempotency key is taken in the same
 * transaction as the action, so a retry, a redelivery, a restart or a second node gets the first result back. (With
 * the HTTP adapter the key also travels as Idempotency-Key, for the host CRM to honour if the answer was lost.)
 */
@Component
public class ToolExecutor {
    /** @param replayed true when the call had already run and this is its recorded result */
    public record Execution(Map<String, Object> result, boolean replayed) {
    }

    private final ToolRegistry registry;
    private final CrmStore crm;
    private final CrmActions actions;
    private final JdbcTemplate jdbc;
    private final ObjectMapper json;

    public ToolExecutor(ToolRegistry registry, CrmStore crm, CrmActions actions, JdbcTemplate jdbc,
                        ObjectMapper json) {
        this.registry = registry;
        this.crm = crm;
        this.actions = actions;
        this.jdbc = jdbc;
        this.json = json;
    }

    /** @throws InvalidToolCallException when the call may not run; nothing is changed then */
    public Execution execute(ToolCall call) {
        registry.check(call.tool(), call.args());
        return crm.inOwnTransaction(call.tenantId(), () -> {
            int claimed = jdbc.update("""
                    INSERT INTO crm_tool_executions (tenant_id, idempotency_key, tool, result) VALUES (?, ?, ?, '{}'::jsonb)
                    ON CONFLICT (tenant_id, idempotency_key) DO NOTHING
                    """, call.tenantId(), call.idempotencyKey(), call.tool());
            if (claimed == 0) {
                String recorded = jdbc.queryForObject("SELECT result::text FROM crm_tool_executions "
                        + "WHERE tenant_id = ? AND idempotency_key = ?", String.class, call.tenantId(), call.idempotencyKey());
                return new Execution(read(recorded), true);
            }
            Map<String, Object> result = actions.perform(call);
            jdbc.update("UPDATE crm_tool_executions SET result = ?::jsonb WHERE tenant_id = ? AND idempotency_key = ?",
                    write(result), call.tenantId(), call.idempotencyKey());
            return new Execution(result, false);
        });
    }

    private String write(Map<String, Object> result) {
        try {
            return json.writeValueAsString(result);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot record a tool's result", e);
        }
    }

    private Map<String, Object> read(String recorded) {
        try {
            return json.readValue(recorded, new TypeReference<Map<String, Object>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a recorded tool result is not JSON", e);
        }
    }
}
