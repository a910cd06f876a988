package io.aidesk.api.privacy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the identifiers a log must not keep (emails, IBANs, card numbers that pass Luhn, phone numbers) and masks
 * them, keeping the last four characters so a reviewer can still tell two apart.
 */
public final class Redaction {
    /** What the tenant's log_content keeps: everything, identifiers masked, or only hashes, lengths and previews. */
    public static final String FULL = "full";
    public static final String REDACTED = "redacted";
    public static final String NONE = "none";

    public static final int PREVIEW_LENGTH = 40;
    private static final int KEEP = 4;

    /** The fewest digits a phone number has for the logs; text leaving for a model is stricter (its own minimum). */
    public static final int PHONE_DIGITS = 9;
    private static final int MAX_PHONE_DIGITS = 15;

    /** A kind of identifier and how to find it. */
    public record Kind(String label, Pattern pattern) {
        /** Whether a match really is one (a card number must pass Luhn, a phone number has enough digits). */
        boolean accepts(String match, int phoneDigits) {
            return switch (label) {
                case "CARD" -> luhn(match);
                case "PHONE" -> {
                    long digits = match.chars().filter(Character::isDigit).count();
                    yield digits >= phoneDigits && digits <= MAX_PHONE_DIGITS;
                }
                default -> true;
            };
        }
    }

    /** Most specific first: a card number would otherwise be taken for a phone number. */
    public static final List<Kind> KINDS = List.of(
            new Kind("EMAIL", Pattern.compile("[\\w.+-]+@[\\w-]+(\\.[\\w-]+)+")),
            new Kind("IBAN", Pattern.compile("\\b[A-Z]{2}\\d{2}(?:\\s?[A-Z0-9]{4}){3,7}(?:\\s?[A-Z0-9]{1,4})?\\b")),
            new Kind("CARD", Pattern.compile("\\b(?:\\d[ -]?){12,18}\\d\\b")),
            new Kind("PHONE", Pattern.compile("(?<![\\w])\\+?\\d[\\d\\s().-]{6,}\\d(?![\\w])")));

    private Redaction() {
    }

    /** Replaces every identifier found in the text by what {@code replacement} makes of it. */
    public static String replace(String text, Function<Kind, Function<String, String>> replacement) {
        return replace(text, PHONE_DIGITS, replacement);
    }

    /** @param phoneDigits the fewest digits taken for a phone number (7 takes short national numbers too) */
    public static String replace(String text, int phoneDigits, Function<Kind, Function<String, String>> replacement) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String result = text;
        for (Kind kind : KINDS) {
            Matcher matcher = kind.pattern().matcher(result);
            StringBuilder out = new StringBuilder();
            boolean changed = false;
            while (matcher.find()) {
                String value = matcher.group();
                String replaced = kind.accepts(value, phoneDigits) ? replacement.apply(kind).apply(value) : value;
                changed |= !replaced.equals(value);
                matcher.appendReplacement(out, Matcher.quoteReplacement(replaced));
            }
            if (changed) {
                matcher.appendTail(out);
                result = out.toString();
            }
        }
        return result;
    }

    /** Every identifier masked but its last four characters: {@code ana@example.com} becomes {@code ***********.com}. */
    public static String mask(String text) {
        return replace(text, kind -> Redaction::maskValue);
    }

    /** The text as the tenant's log_content mode lets a read model keep it. */
    public static String apply(String mode, String text) {
        if (text == null || FULL.equals(mode)) {
            return text;
        }
        return NONE.equals(mode) ? preview(text) : mask(text);
    }

    /** The first characters, masked: all a read model keeps of a text when the tenant logs no content. */
    public static String preview(String text) {
        if (text == null) {
            return null;
        }
        String masked = mask(text);
        return masked.length() <= PREVIEW_LENGTH ? masked : masked.substring(0, PREVIEW_LENGTH) + "…";
    }

    public static String sha256(String text) {
        if (text == null) {
            return null;
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }

    private static String maskValue(String value) {
        int keep = Math.min(KEEP, value.length() / 2);
        return "*".repeat(value.length() - keep) + value.substring(value.length() - keep);
    }

    static boolean luhn(String candidate) {
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
