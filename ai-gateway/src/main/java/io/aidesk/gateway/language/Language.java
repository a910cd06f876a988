package io.aidesk.gateway.language;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/** English or Spanish, from function words and Spanish punctuation and accents: for replies, stemming and search. */
public final class Language {
    public static final String ENGLISH = "en";
    public static final String SPANISH = "es";

    private static final Set<String> SPANISH_WORDS = Set.copyOf(List.of("el", "la", "los", "las", "de", "del", "que", "y", "en",
            "por", "para", "con", "una", "un", "mi", "es", "está", "hay", "cómo", "como", "cuánto", "cuanto", "qué",
            "cuál", "dónde", "cuándo", "hola", "gracias", "quiero", "necesito", "puedo", "tengo", "su", "se", "no",
            "sí", "al", "lo", "me", "pero", "muy", "buenos", "días", "tardes", "usted", "ustedes", "favor"));
    private static final Set<String> ENGLISH_WORDS = Set.copyOf(List.of("the", "is", "are", "what", "how", "when", "where", "do",
            "does", "can", "my", "i", "you", "to", "of", "and", "a", "for", "it", "hello", "hi", "thanks", "want",
            "need", "have", "much", "please", "your", "with", "on", "in", "at", "this", "that", "be", "will"));

    private Language() {
    }

    public static String of(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        int spanish = 0;
        int english = 0;
        for (String word : lower.split("[^\\p{L}\\p{N}]+")) {
            if (SPANISH_WORDS.contains(word)) {
                spanish++;
            }
            if (ENGLISH_WORDS.contains(word)) {
                english++;
            }
        }
        for (char c : lower.toCharArray()) {
            if ("¿¡ñáéíóú".indexOf(c) >= 0) {
                spanish++;
            }
        }
        return spanish > english ? SPANISH : ENGLISH;
    }
}
