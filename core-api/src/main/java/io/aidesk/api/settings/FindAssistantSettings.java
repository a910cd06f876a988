package io.aidesk.api.settings;

/** The calling tenant's current settings; the tenant travels in the query's metadata. */
public record FindAssistantSettings() {
}
