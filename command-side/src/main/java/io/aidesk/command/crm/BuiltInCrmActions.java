package io.aidesk.command.crm;

import com.fasterxml.jackson.databind.JsonNode;
import io.aidesk.api.tools.ToolNames;
import io.aidesk.command.tools.InvalidToolCallException;
import io.aidesk.command.tools.ToolCall;
import io.aidesk.command.tools.ToolSettings;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What each tool does to the built-in CRM. Runs inside the caller's tenant-scoped transaction, so row-level security
 * makes another tenant's contact or conversation simply not exist.
 */
@Component
@ConditionalOnProperty(name = "aidesk.crm.adapter", havingValue = "builtin", matchIfMissing = true)
public class BuiltInCrmActions implements CrmActions {
    private final JdbcTemplate jdbc;
    private final ToolSettings settings;

    public BuiltInCrmActions(JdbcTemplate jdbc, ToolSettings settings) {
        this.jdbc = jdbc;
        this.settings = settings;
    }

    @Override
    public Map<String, Object> perform(ToolCall call) {
        JsonNode args = call.args();
        String tenant = call.tenantId();
        return switch (call.tool()) {
            case ToolNames.CREATE_TICKET -> {
                contact(tenant, args);
                String id = UUID.randomUUID().toString();
                jdbc.update("""
                        INSERT INTO crm_tickets (id, tenant_id, contact_id, subject, priority, summary, tags, created_by)
                        VALUES (?, ?, ?, ?, ?, ?, ?::jsonb, ?)
                        """, id, tenant, text(args, "contact_id"), text(args, "subject"), text(args, "priority"),
                        text(args, "summary"), args.path("tags").toString(), call.actor());
                yield Map.of("ticket_id", id);
            }
            case ToolNames.ADD_INTERNAL_NOTE -> {
                conversation(tenant, args);
                String id = UUID.randomUUID().toString();
                jdbc.update("INSERT INTO crm_notes (id, tenant_id, conversation_id, note, created_by) VALUES (?, ?, ?, ?, ?)",
                        id, tenant, text(args, "conversation_id"), text(args, "note"), call.actor());
                yield Map.of("note_id", id);
            }
            case ToolNames.HANDOFF_TO_HUMAN -> {
                conversation(tenant, args);
                String id = UUID.randomUUID().toString();
                jdbc.update("INSERT INTO crm_notes (id, tenant_id, conversation_id, note, created_by) VALUES (?, ?, ?, ?, ?)",
                        id, tenant, text(args, "conversation_id"), "Handed over to a person: " + text(args, "reason"),
                        call.actor());
                yield Map.of("handed_off", true, "note_id", id);
            }
            case ToolNames.SET_CONTACT_FIELD -> {
                contact(tenant, args);
                String field = text(args, "field");
                if (!settings.contactFields().contains(field)) {
                    throw new InvalidToolCallException("args.field", "set_contact_field may set " + settings.contactFields()
                            + ", not '" + field + "'");
                }
                String previous = jdbc.queryForObject("SELECT fields ->> ? FROM crm_contacts WHERE tenant_id = ? AND id = ?",
                        String.class, field, tenant, text(args, "contact_id"));
                jdbc.update("""
                        UPDATE crm_contacts SET fields = fields || jsonb_build_object(?::text, ?::text), updated_at = now()
                        WHERE tenant_id = ? AND id = ?
                        """, field, text(args, "value"), tenant, text(args, "contact_id"));
                Map<String, Object> result = new LinkedHashMap<>();
                result.put("contact_id", text(args, "contact_id"));
                result.put("field", field);
                result.put("previous", previous);
                yield result;
            }
            case ToolNames.CREATE_TASK -> {
                OffsetDateTime due;
                try {
                    due = OffsetDateTime.parse(text(args, "due_at"));
                } catch (DateTimeParseException e) {
                    throw new InvalidToolCallException("args.due_at", "due_at is an ISO-8601 date-time with an offset");
                }
                String id = UUID.randomUUID().toString();
                jdbc.update("INSERT INTO crm_tasks (id, tenant_id, assignee_id, due_at, note, created_by) VALUES (?, ?, ?, ?, ?, ?)",
                        id, tenant, text(args, "assignee_id"), Timestamp.from(due.toInstant()), text(args, "note"), call.actor());
                yield Map.of("task_id", id);
            }
            case ToolNames.CHANGE_PLAN -> {
                String previous = subscription(tenant, args, "plan");
                jdbc.update("UPDATE crm_subscriptions SET plan = ?, updated_at = now() WHERE tenant_id = ? AND contact_id = ?",
                        text(args, "plan"), tenant, text(args, "contact_id"));
                yield Map.of("previous_plan", previous, "plan", text(args, "plan"));
            }
            case ToolNames.ISSUE_CREDIT -> {
                double amount = args.path("amount").asDouble();
                if (amount <= 0 || amount > settings.maxCredit()) {
                    throw new InvalidToolCallException("args.amount", "a credit is more than 0 and at most "
                            + settings.maxCredit());
                }
                subscription(tenant, args, "plan");
                Double balance = jdbc.queryForObject("""
                        UPDATE crm_subscriptions SET credit_balance = credit_balance + ?, updated_at = now()
                        WHERE tenant_id = ? AND contact_id = ? RETURNING credit_balance
                        """, Double.class, amount, tenant, text(args, "contact_id"));
                yield Map.of("credit_balance", balance == null ? 0 : balance, "currency", text(args, "currency"));
            }
            case ToolNames.CANCEL_SUBSCRIPTION -> {
                String previous = subscription(tenant, args, "status");
                jdbc.update("UPDATE crm_subscriptions SET status = 'cancelled', updated_at = now() "
                        + "WHERE tenant_id = ? AND contact_id = ?", tenant, text(args, "contact_id"));
                yield Map.of("previous_status", previous, "status", "cancelled");
            }
            default -> throw new InvalidToolCallException("tool", "the built-in CRM has no action for " + call.tool());
        };
    }

    private void contact(String tenant, JsonNode args) {
        List<String> found = jdbc.queryForList("SELECT id FROM crm_contacts WHERE tenant_id = ? AND id = ?", String.class,
                tenant, text(args, "contact_id"));
        if (found.isEmpty()) {
            throw new InvalidToolCallException("args.contact_id", "no contact " + text(args, "contact_id"));
        }
    }

    private void conversation(String tenant, JsonNode args) {
        List<String> found = jdbc.queryForList("SELECT id FROM ai_conversations WHERE tenant_id = ? AND id = ?",
                String.class, tenant, text(args, "conversation_id"));
        if (found.isEmpty()) {
            throw new InvalidToolCallException("args.conversation_id", "no conversation " + text(args, "conversation_id"));
        }
    }

    /** @return the subscription's column before the change */
    private String subscription(String tenant, JsonNode args, String column) {
        contact(tenant, args);
        List<String> found = jdbc.queryForList("SELECT " + column + " FROM crm_subscriptions WHERE tenant_id = ? "
                + "AND contact_id = ?", String.class, tenant, text(args, "contact_id"));
        if (found.isEmpty()) {
            throw new InvalidToolCallException("args.contact_id", "contact " + text(args, "contact_id")
                    + " has no subscription");
        }
        return found.get(0);
    }

    private static String text(JsonNode args, String name) {
        return args.path(name).asText();
    }
}
