package io.aidesk.api.settings;

/** One field an admin changed, with its value before and after (snake_case field name). */
public record SettingChange(String field, Object from, Object to) {
}
