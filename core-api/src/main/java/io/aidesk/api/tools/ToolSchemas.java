package io.aidesk.api.tools;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What each tool does and the JSON schema of its arguments (DESIGN §4), as models are told and as calls are checked.
 * Every property is required and nothing else is allowed, as OpenAI's strict structured output demands.
 */
public final class ToolSchemas {
    public record Tool(String name, String description, Map<String, Object> parameters) {
    }

    private static final Map<String, Tool> TOOLS = new LinkedHashMap<>();

    static {
        add(ToolNames.CREATE_TICKET, "Open a ticket for the contact's problem",
                Map.of("contact_id", string(), "subject", string(), "priority", enumOf("low", "normal", "high"),
                        "summary", string(), "tags", Map.of("type", "array", "items", string())));
        add(ToolNames.ADD_INTERNAL_NOTE, "Add a note for the team to the conversation",
                Map.of("conversation_id", string(), "note", string()));
        add(ToolNames.SET_CONTACT_FIELD, "Set a field of the contact's CRM record",
                Map.of("contact_id", string(), "field", string(), "value", string()));
        add(ToolNames.CREATE_TASK, "Create a follow-up task for a teammate",
                Map.of("assignee_id", string(), "due_at", Map.of("type", "string", "description", "ISO-8601 date-time"),
                        "note", string()));
        add(ToolNames.HANDOFF_TO_HUMAN, "Hand the conversation over to a person",
                Map.of("conversation_id", string(), "reason", string()));
        add(ToolNames.CHANGE_PLAN, "Change the contact's subscription plan (needs an admin's approval)",
                Map.of("contact_id", string(), "plan", string()));
        add(ToolNames.ISSUE_CREDIT, "Credit the contact's account (needs an admin's approval)",
                Map.of("contact_id", string(), "amount", Map.of("type", "number"), "currency", string(), "reason", string()));
        add(ToolNames.CANCEL_SUBSCRIPTION, "Cancel the contact's subscription (needs an admin's approval)",
                Map.of("contact_id", string(), "reason", string()));
    }

    private ToolSchemas() {
    }

    public static Tool of(String name) {
        Tool tool = TOOLS.get(name);
        if (tool == null) {
            throw new IllegalArgumentException("no tool named " + name);
        }
        return tool;
    }

    private static void add(String name, String description, Map<String, Object> properties) {
        Map<String, Object> sorted = new LinkedHashMap<>();
        properties.keySet().stream().sorted().forEach(key -> sorted.put(key, properties.get(key)));
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("type", "object");
        schema.put("properties", sorted);
        schema.put("required", List.copyOf(sorted.keySet()));
        schema.put("additionalProperties", false);
        TOOLS.put(name, new Tool(name, description, schema));
    }

    private static Map<String, Object> string() {
        return Map.of("type", "string");
    }

    private static Map<String, Object> enumOf(String... values) {
        return Map.of("type", "string", "enum", List.of(values));
    }
}
