package io.aidesk.query.knowledge;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** A query's words as full-text search takes them: lower-case letters and digits, accents kept, each once. */
final class Words {
    private Words() {
    }

    static List<String> of(String query, int max) {
        Set<String> words = new LinkedHashSet<>();
        for (String word : query.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
            if (word.length() >= 2 && words.size() < max) {
                words.add(word);
            }
        }
        return new ArrayList<>(words);
    }
}
