package io.aidesk.gateway.openai;

import io.aidesk.api.privacy.Redaction;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Replaces emails, card numbers, IBANs and phone numbers by placeholders before text leaves for an external model,
 * and puts them back into what comes back. One redactor per request: the mapping never leaves AI Desk.
 */
final class PiiRedactor {
    private final Map<String, String> originals = new LinkedHashMap<>();
    private final Map<String, String> placeholders = new LinkedHashMap<>();

    /** Short national numbers (eight digits, as in Denmark or Singapore) count too: a false placeholder costs little. */
    private static final int PHONE_DIGITS = 7;

    String redact(String text) {
        return Redaction.replace(text, PHONE_DIGITS, kind -> value -> placeholder(kind.label(), value));
    }

    String restore(String text) {
        if (text == null) {
            return null;
        }
        String result = text;
        for (Map.Entry<String, String> entry : originals.entrySet()) {
            result = result.replace(entry.getKey(), entry.getValue());
        }
        return result;
    }

    private String placeholder(String label, String value) {
        return placeholders.computeIfAbsent(value, v -> {
            long same = originals.keySet().stream().filter(key -> key.startsWith("[" + label + "_")).count();
            String placeholder = "[" + label + "_" + (same + 1) + "]";
            originals.put(placeholder, v);
            return placeholder;
        });
    }
}
