package io.aidesk.api;

import java.util.Optional;

/** What text from outside may hold: no NUL, no half of a surrogate pair, and (for a message) something to read. */
public final class Text {
    private Text() {
    }

    /** Why the text cannot be stored or read as text, or empty when it can. */
    public static Optional<String> unsafe(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\u0000') {
                return Optional.of("contains a NUL character (U+0000) at position " + i);
            }
            if (Character.isHighSurrogate(c) && (i + 1 == text.length() || !Character.isLowSurrogate(text.charAt(i + 1)))
                    || Character.isLowSurrogate(c) && (i == 0 || !Character.isHighSurrogate(text.charAt(i - 1)))) {
                return Optional.of(String.format("contains an unpaired surrogate (U+%04X) at position %d", (int) c, i));
            }
        }
        return Optional.empty();
    }

    /** True when the text has a letter, digit, mark, symbol or punctuation: not only spaces and control or format characters. */
    public static boolean readable(String text) {
        return text != null && text.codePoints().anyMatch(cp -> switch (Character.getType(cp)) {
            case Character.CONTROL, Character.FORMAT, Character.SURROGATE, Character.UNASSIGNED, Character.PRIVATE_USE,
                 Character.SPACE_SEPARATOR, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> false;
            default -> true;
        });
    }
}
