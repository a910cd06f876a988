package io.aidesk.api.settings;

import io.aidesk.api.tenancy.TenantId;

/** Each tenant has exactly one AssistantSettings aggregate; its id is derived from the tenant. */
public final class AssistantSettingsId {
    private static final String PREFIX = "assistant-settings:";

    private AssistantSettingsId() {
    }

    public static String of(TenantId tenant) {
        return PREFIX + tenant.value();
    }
}
