package io.aidesk.api.settings;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Change some of a tenant's assistant settings; the tenant and the admin travel in the metadata. */
public record ChangeAssistantSettings(@TargetAggregateIdentifier String settingsId, SettingsPatch patch) {
}
