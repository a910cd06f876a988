package io.aidesk.gateway.decision.offline;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Words, content words and sentences, the same way for questions and passages. */
final class Text {
    private static final Set<String> STOP_WORDS = Set.copyOf(List.of(
            "the", "a", "an", "is", "are", "was", "were", "be", "to", "of", "and", "or", "in", "on", "at", "for", "with",
            "do", "does", "did", "can", "could", "would", "should", "will", "i", "you", "we", "they", "it", "my", "your",
            "our", "me", "us", "what", "how", "when", "where", "which", "who", "why", "this", "that", "there", "have",
            "has", "please", "much", "many", "any", "some", "about", "from", "by", "if", "hi", "hello", "thanks", "want",
            "need", "get", "not", "no", "yes", "just", "also", "than", "then", "so", "up", "out", "its",
            "el", "la", "los", "las", "de", "del", "que", "y", "en", "por", "para", "con", "una", "un", "mi", "es",
            "esta", "hay", "como", "cuanto", "cuantos", "cuanta", "que", "cual", "donde", "cuando", "hola", "gracias",
            "quiero", "necesito", "puedo", "tengo", "su", "se", "al", "lo", "me", "pero", "muy", "usted", "sus", "mis",
            "tiene", "son", "favor", "nos", "le", "ya", "o"));

    private Text() {
    }

    /** Lower-case words without accents. */
    static List<String> words(String text) {
        String plain = Normalizer.normalize(text.toLowerCase(Locale.ROOT), Normalizer.Form.NFD).replaceAll("\\p{M}", "");
        List<String> words = new ArrayList<>();
        for (String word : plain.split("[^\\p{L}\\p{N}$]+")) {
            if (!word.isEmpty()) {
                words.add(word);
            }
        }
        return words;
    }

    /** Words that carry meaning, cut to a crude stem so "prices" meets "price" and "precios" meets "precio". */
    static Set<String> contentWords(String text) {
        Set<String> stems = new LinkedHashSet<>();
        for (String word : words(text)) {
            if (word.length() > 2 && !STOP_WORDS.contains(word)) {
                stems.add(stem(word));
            }
        }
        return stems;
    }

    static String stem(String word) {
        String stem = word;
        for (String suffix : List.of("ing", "es", "s", "ed")) {
            if (stem.length() > suffix.length() + 3 && stem.endsWith(suffix)) {
                stem = stem.substring(0, stem.length() - suffix.length());
                break;
            }
        }
        return stem.length() > 6 ? stem.substring(0, 6) : stem;
    }

    /** Sentences of a passage, headings and list items included. */
    static List<String> sentences(String passage) {
        List<String> sentences = new ArrayList<>();
        for (String line : passage.split("\\n+")) {
            for (String sentence : line.split("(?<=[.!?])\\s+(?=[\\p{Lu}¿¡\\d])")) {
                String clean = sentence.strip();
                if (clean.length() > 2) {
                    sentences.add(clean);
                }
            }
        }
        return sentences;
    }

    /** Share of the question's content words found in the text. */
    static double coverage(Set<String> question, String text) {
        if (question.isEmpty()) {
            return 0;
        }
        Set<String> found = contentWords(text);
        return question.stream().filter(found::contains).count() / (double) question.size();
    }
}
