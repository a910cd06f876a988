package io.aidesk.api.settings;

import io.aidesk.api.tools.ToolNames;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How a tenant's assistant behaves: the whole state of its settings at one revision.
 *
 * @param approvalTimeoutMinutes how long a sensitive call waits for an admin; null keeps the platform's default (24 h)
 */
public record AssistantSettingsValues(
        boolean copilotEnabled,
        boolean autopilotEnabled,
        double confidenceThreshold,
        List<String> allowedTools,
        List<EscalationRule> escalationRules,
        String logContent,
        Map<String, List<String>> requiredFields,
        Integer approvalTimeoutMinutes) {

    public static final double DEFAULT_CONFIDENCE_THRESHOLD = 0.75;
    public static final Set<String> INTENTS = Set.of("support", "sales", "billing", "other");
    public static final Set<String> LOG_CONTENT_MODES = Set.of("full", "redacted", "none");
    /** An approval may wait from a minute to 30 days. */
    public static final int MAX_APPROVAL_TIMEOUT_MINUTES = 30 * 24 * 60;

    public AssistantSettingsValues {
        allowedTools = List.copyOf(allowedTools);
        escalationRules = List.copyOf(escalationRules);
        requiredFields = Map.copyOf(requiredFields);
    }

    public AssistantSettingsValues(boolean copilotEnabled, boolean autopilotEnabled, double confidenceThreshold,
                                   List<String> allowedTools, List<EscalationRule> escalationRules, String logContent,
                                   Map<String, List<String>> requiredFields) {
        this(copilotEnabled, autopilotEnabled, confidenceThreshold, allowedTools, escalationRules, logContent,
                requiredFields, null);
    }

    /** What a tenant gets before its admin changes anything: copilot on, autopilot off, no sensitive tool. */
    public static AssistantSettingsValues defaults() {
        return new AssistantSettingsValues(
                true,
                false,
                DEFAULT_CONFIDENCE_THRESHOLD,
                List.of(ToolNames.CREATE_TICKET, ToolNames.ADD_INTERNAL_NOTE, ToolNames.SET_CONTACT_FIELD,
                        ToolNames.CREATE_TASK, ToolNames.HANDOFF_TO_HUMAN),
                List.of(EscalationRule.onIntents("billing"),
                        EscalationRule.onKeywords("legal", "lawyer", "lawsuit", "sue"),
                        EscalationRule.onKeywords("cancel", "cancellation")),
                "redacted",
                Map.of());
    }
}
