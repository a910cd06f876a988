package io.aidesk.api.settings;

import java.util.List;

/** The answer to ChangeAssistantSettings: the state after the command and what it changed (maybe nothing). */
public record AssistantSettingsUpdate(AssistantSettingsValues settings, long revision, List<SettingChange> changes) {
}
