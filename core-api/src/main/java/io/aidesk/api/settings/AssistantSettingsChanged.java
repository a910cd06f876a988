package io.aidesk.api.settings;

import java.util.List;

/** A tenant's settings changed: the new whole state, what changed, and who changed it. */
public record AssistantSettingsChanged(
        String settingsId,
        String tenantId,
        long revision,
        AssistantSettingsValues settings,
        List<SettingChange> changes,
        String changedBy) {
}
