package io.aidesk.api.settings;

import java.time.Instant;

/** The settings read model: revision 0 and no updater means the tenant still runs on the defaults. */
public record AssistantSettingsView(AssistantSettingsValues settings, long revision, Instant updatedAt, String updatedBy) {
}
