package io.aidesk.projections.privacy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.aidesk.api.privacy.PersonalData;
import io.aidesk.api.privacy.Redaction;
import io.aidesk.api.settings.AssistantSettingsValues;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * What the tenant's log_content lets a read model keep of a text: all of it, its identifiers masked, or (none) a
 * masked preview beside its hash and length. The mode is read as of the event, so a rebuild keeps the same.
 */
@Component
public class LogContent {
    private final JdbcTemplate jdbc;
    private final ObjectMapper json;

    public LogContent(JdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** The tenant's mode now; a tenant who never saved settings has the default. */
    public String mode(String tenant) {
        List<String> found = jdbc.queryForList("SELECT log_content FROM ai_assistant_settings WHERE tenant_id = ?",
                String.class, tenant);
        return found.isEmpty() || found.get(0) == null ? AssistantSettingsValues.defaults().logContent() : found.get(0);
    }

    public String text(String mode, String text) {
        return Redaction.apply(mode, text);
    }

    /** The text's SHA-256 beside what is kept of it; none once it is erased, as a rebuild would find it. */
    public static String hash(String text) {
        return text == null || PersonalData.ERASED.equals(text) ? null : Redaction.sha256(text);
    }

    public static Integer length(String text) {
        return text == null || PersonalData.ERASED.equals(text) ? null : text.length();
    }

    /** A JSON value written as the mode allows: every string but an id masked or previewed. */
    public String json(String mode, Object value) {
        JsonNode tree = json.valueToTree(value);
        return write(Redaction.FULL.equals(mode) ? tree : redact(mode, tree, null));
    }

    /** Text that is usually JSON (a model's raw output): redacted as JSON when it parses, as text otherwise. */
    public String jsonText(String mode, String text) {
        if (text == null || Redaction.FULL.equals(mode)) {
            return text;
        }
        try {
            return write(redact(mode, json.readTree(text), null));
        } catch (JsonProcessingException notJson) {
            return Redaction.apply(mode, text);
        }
    }

    private JsonNode redact(String mode, JsonNode node, String field) {
        if (node.isTextual()) {
            return keptAsIs(field) ? node : TextNode.valueOf(Redaction.apply(mode, node.asText()));
        }
        if (node.isArray()) {
            ArrayNode out = json.createArrayNode();
            node.forEach(element -> out.add(redact(mode, element, field)));
            return out;
        }
        if (node.isObject()) {
            ObjectNode out = json.createObjectNode();
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = fields.next();
                out.set(entry.getKey(), redact(mode, entry.getValue(), entry.getKey()));
            }
            return out;
        }
        return node;
    }

    // ids (contact_id, the chunk ids cited), tool names and intents join the audit up and quote no one
    private static boolean keptAsIs(String field) {
        return field != null && (field.equals("id") || field.endsWith("_id") || field.endsWith("Id")
                || field.equals("citations") || field.equals("tool") || field.equals("intent"));
    }

    private String write(JsonNode tree) {
        try {
            return json.writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a read model's JSON", e);
        }
    }
}
