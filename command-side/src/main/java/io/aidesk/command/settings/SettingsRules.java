package io.aidesk.command.settings;

import io.aidesk.api.InvalidCommandException;
import io.aidesk.api.settings.AssistantSettingsValues;
import io.aidesk.api.settings.EscalationRule;
import io.aidesk.api.settings.SettingChange;
import io.aidesk.api.settings.SettingsPatch;
import io.aidesk.api.tools.ToolNames;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;

/** The rules a tenant's settings must keep; field names in errors are the API's snake_case names. */
public final class SettingsRules {
    static final int MAX_RULES = 50;
    static final int MAX_KEYWORD_LENGTH = 100;
    static final int MAX_FIELDS_PER_INTENT = 20;
    private static final Pattern FIELD_NAME = Pattern.compile("[a-z][a-z0-9_]{0,63}");

    private SettingsRules() {
    }

    /** The settings after applying the patch, or InvalidCommandException naming the first bad field. */
    public static AssistantSettingsValues apply(AssistantSettingsValues before, SettingsPatch patch) {
        if (patch == null) {
            return before;
        }
        return new AssistantSettingsValues(
                patch.copilotEnabled() != null ? patch.copilotEnabled() : before.copilotEnabled(),
                patch.autopilotEnabled() != null ? patch.autopilotEnabled() : before.autopilotEnabled(),
                patch.confidenceThreshold() != null ? threshold(patch.confidenceThreshold()) : before.confidenceThreshold(),
                patch.allowedTools() != null ? sameSetKeepsItsOrder(before.allowedTools(), tools(patch.allowedTools()))
                        : before.allowedTools(),
                patch.escalationRules() != null ? rules(patch.escalationRules()) : before.escalationRules(),
                patch.logContent() != null ? logContent(patch.logContent()) : before.logContent(),
                patch.requiredFields() != null ? requiredFields(patch.requiredFields()) : before.requiredFields(),
                patch.approvalTimeoutMinutes() != null ? approvalTimeout(patch.approvalTimeoutMinutes())
                        : before.approvalTimeoutMinutes());
    }

    /** What differs between two states, one entry per changed field. */
    public static List<SettingChange> diff(AssistantSettingsValues before, AssistantSettingsValues after) {
        List<SettingChange> changes = new ArrayList<>();
        compare(changes, "copilot_enabled", before.copilotEnabled(), after.copilotEnabled());
        compare(changes, "autopilot_enabled", before.autopilotEnabled(), after.autopilotEnabled());
        compare(changes, "confidence_threshold", before.confidenceThreshold(), after.confidenceThreshold());
        compare(changes, "allowed_tools", before.allowedTools(), after.allowedTools());
        compare(changes, "escalation_rules", before.escalationRules(), after.escalationRules());
        compare(changes, "log_content", before.logContent(), after.logContent());
        compare(changes, "required_fields", new TreeMap<>(before.requiredFields()), new TreeMap<>(after.requiredFields()));
        compare(changes, "approval_timeout_minutes", before.approvalTimeoutMinutes(), after.approvalTimeoutMinutes());
        return changes;
    }

    private static void compare(List<SettingChange> changes, String field, Object from, Object to) {
        if (!Objects.equals(from, to)) {
            changes.add(new SettingChange(field, from, to));
        }
    }

    private static double threshold(double value) {
        if (!Double.isFinite(value) || value < 0.0 || value > 1.0) {
            throw new InvalidCommandException("confidence_threshold", "confidence_threshold must be between 0 and 1, got " + value);
        }
        return value;
    }

    private static Integer approvalTimeout(int minutes) {
        if (minutes < 1 || minutes > AssistantSettingsValues.MAX_APPROVAL_TIMEOUT_MINUTES) {
            throw new InvalidCommandException("approval_timeout_minutes", "approval_timeout_minutes is 1 to "
                    + AssistantSettingsValues.MAX_APPROVAL_TIMEOUT_MINUTES + " (30 days), got " + minutes);
        }
        return minutes;
    }

    /** The tools are a set: the same ones in another order are no change (a screen that re-sorts them saves nothing). */
    private static List<String> sameSetKeepsItsOrder(List<String> before, List<String> after) {
        return new HashSet<>(before).equals(new HashSet<>(after)) ? before : after;
    }

    private static List<String> tools(List<String> tools) {
        LinkedHashSet<String> unique = new LinkedHashSet<>();
        for (int i = 0; i < tools.size(); i++) {
            String tool = tools.get(i);
            if (tool == null || !ToolNames.ALL.contains(tool)) {
                throw new InvalidCommandException("allowed_tools[" + i + "]",
                        "unknown tool '" + tool + "'; known tools are " + String.join(", ", ToolNames.ALL));
            }
            unique.add(tool);
        }
        return List.copyOf(unique);
    }

    private static List<EscalationRule> rules(List<EscalationRule> rules) {
        if (rules.size() > MAX_RULES) {
            throw new InvalidCommandException("escalation_rules", "at most " + MAX_RULES + " escalation rules");
        }
        List<EscalationRule> clean = new ArrayList<>();
        for (int i = 0; i < rules.size(); i++) {
            String at = "escalation_rules[" + i + "]";
            EscalationRule rule = rules.get(i);
            if (rule == null || rule.match() == null) {
                throw new InvalidCommandException(at + ".match", "a rule needs a match with intents or keywords");
            }
            if (!EscalationRule.HANDOFF.equals(rule.action())) {
                throw new InvalidCommandException(at + ".action", "the only action is 'handoff', got '" + rule.action() + "'");
            }
            List<String> intents = rule.match().intents();
            for (int j = 0; j < intents.size(); j++) {
                if (!AssistantSettingsValues.INTENTS.contains(intents.get(j))) {
                    throw new InvalidCommandException(at + ".match.intents[" + j + "]",
                            "unknown intent '" + intents.get(j) + "'; intents are support, sales, billing, other");
                }
            }
            List<String> keywords = new ArrayList<>();
            for (int j = 0; j < rule.match().keywords().size(); j++) {
                String keyword = rule.match().keywords().get(j);
                if (keyword == null || keyword.isBlank() || keyword.length() > MAX_KEYWORD_LENGTH) {
                    throw new InvalidCommandException(at + ".match.keywords[" + j + "]",
                            "a keyword is 1 to " + MAX_KEYWORD_LENGTH + " characters");
                }
                keywords.add(keyword.strip().toLowerCase(Locale.ROOT));
            }
            if (intents.isEmpty() && keywords.isEmpty()) {
                throw new InvalidCommandException(at + ".match", "a rule needs at least one intent or keyword");
            }
            clean.add(new EscalationRule(new EscalationRule.Match(intents, keywords), EscalationRule.HANDOFF));
        }
        return clean;
    }

    private static String logContent(String mode) {
        if (!AssistantSettingsValues.LOG_CONTENT_MODES.contains(mode)) {
            throw new InvalidCommandException("log_content", "log_content is one of full, redacted, none; got '" + mode + "'");
        }
        return mode;
    }

    private static Map<String, List<String>> requiredFields(Map<String, List<String>> byIntent) {
        Map<String, List<String>> clean = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> entry : byIntent.entrySet()) {
            String intent = entry.getKey();
            String at = "required_fields." + intent;
            if (!AssistantSettingsValues.INTENTS.contains(intent)) {
                throw new InvalidCommandException(at, "unknown intent '" + intent + "'; intents are support, sales, billing, other");
            }
            List<String> fields = entry.getValue() == null ? List.of() : entry.getValue();
            if (fields.size() > MAX_FIELDS_PER_INTENT) {
                throw new InvalidCommandException(at, "at most " + MAX_FIELDS_PER_INTENT + " required fields per intent");
            }
            for (int j = 0; j < fields.size(); j++) {
                if (fields.get(j) == null || !FIELD_NAME.matcher(fields.get(j)).matches()) {
                    throw new InvalidCommandException(at + "[" + j + "]",
                            "a field name is lower snake_case, like policy_number; got '" + fields.get(j) + "'");
                }
            }
            if (!fields.isEmpty()) {
                clean.put(intent, List.copyOf(new LinkedHashSet<>(fields)));
            }
        }
        return clean;
    }
}
