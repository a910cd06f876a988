package io.aidesk.api.settings;

import java.util.List;
import java.util.Map;

/** The fields an admin sends to change; a null field keeps its current value. */
public record SettingsPatch(
        Boolean copilotEnabled,
        Boolean autopilotEnabled,
        Double confidenceThreshold,
        List<String> allowedTools,
        List<EscalationRule> escalationRules,
        String logContent,
        Map<String, List<String>> requiredFields,
        Integer approvalTimeoutMinutes) {

    public SettingsPatch(Boolean copilotEnabled, Boolean autopilotEnabled, Double confidenceThreshold,
                         List<String> allowedTools, List<EscalationRule> escalationRules, String logContent,
                         Map<String, List<String>> requiredFields) {
        this(copilotEnabled, autopilotEnabled, confidenceThreshold, allowedTools, escalationRules, logContent,
                requiredFields, null);
    }
}
