package io.aidesk.gateway.openai;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces emails, card numbers, IBANs and phone numbers by placeholders before text leaves for an external model,
 * and puts them back into what comes back. One redactor per request: the mapping never leaves AI Desk.
 */
final class PiiRedactor {
    private record Kind(String label, Pattern pattern) {
    }

    // most specific first: a card number would otherwise be taken for a phone number
    private static final List<Kind> KINDS = List.of(
            new Kind("EMAIL", Pattern.compile("[\\w.+-]+@[\\w-]+(\\.[\\w-]+)+")),
            new Kind("IBAN", Pattern.compile("\\b[A-Z]{2}\\d{2}(?:\\s?[A-Z0-9]{4}){3,7}(?:\\s?[A-Z0-9]{1,4})?\\b")),
            new Kind("CARD", Pattern.compile("\\b(?:\\d[ -]?){12,18}\\d\\b")),
            new Kind("PHONE", Pattern.compile("(?<![\\w])\\+?\\d[\\d\\s().-]{6,}\\d(?![\\w])")));

    private final Map<String, String> originals = new LinkedHashMap<>();
    private final Map<String, String> placeholders = new LinkedHashMap<>();

    String redact(String text) {
        if (text == null) {
            return null;
        }
        String result = text;
        for (Kind kind : KINDS) {
            Matcher matcher = kind.pattern().matcher(result);
            StringBuilder out = new StringBuilder();
            while (matcher.find()) {
                String value = matcher.group();
                if ("CARD".equals(kind.label()) && !luhn(value)) {
                    matcher.appendReplacement(out, Matcher.quoteReplacement(value));
                    continue;
                }
                matcher.appendReplacement(out, Matcher.quoteReplacement(placeholder(kind.label(), value)));
            }
            matcher.appendTail(out);
            result = out.toString();
        }
        return result;
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

    private static boolean luhn(String candidate) {
        String digits = candidate.replaceAll("\\D", "");
        int sum = 0;
        for (int i = 0; i < digits.length(); i++) {
            int digit = digits.charAt(digits.length() - 1 - i) - '0';
            if (i % 2 == 1) {
                digit *= 2;
                if (digit > 9) {
                    digit -= 9;
                }
            }
            sum += digit;
        }
        return digits.length() >= 13 && sum % 10 == 0;
    }
}
