package io.aidesk.gateway.decision.offline;

import java.text.Normalizer;
import java.util.Locale;

/**
 * What the classifier reads of a message: its embedding (what it means, in any wording the embedding model knows)
 * beside hashed words and character n-grams of its plain form (what it says, typos and Spanish included, which an
 * English-only embedding model reads poorly). Each half is scaled to unit length.
 */
public final class MessageFeatures {
    /** Hash buckets for words, word pairs, character 3- and 4-grams, the opening word and the question mark. */
    public static final int BUCKETS = 8192;

    private MessageFeatures() {
    }

    public static int size(int embeddingDimension) {
        return embeddingDimension + BUCKETS;
    }

    public static double[] of(String text, float[] embedding) {
        double[] features = new double[size(embedding.length)];
        double norm = 0;
        for (float value : embedding) {
            norm += value * value;
        }
        norm = Math.sqrt(norm);
        for (int i = 0; i < embedding.length; i++) {
            features[i] = norm == 0 ? 0 : embedding[i] / norm;
        }
        double[] grams = new double[BUCKETS];
        String plain = plain(text);
        String[] words = plain.split(" ");
        // the word it opens with (how, please, cancel, hola…) and whether it asks or exclaims, among the words
        if (text.indexOf('?') >= 0 || text.indexOf('¿') >= 0) {
            grams[bucket("p:?")] += 2;
        }
        if (text.indexOf('!') >= 0 || text.indexOf('¡') >= 0) {
            grams[bucket("p:!")] += 1;
        }
        if (words.length > 0 && !words[0].isEmpty()) {
            grams[bucket("f:" + words[0])] += 2;
        }
        for (int w = 0; w + 1 < words.length; w++) {
            grams[bucket("b:" + words[w] + " " + words[w + 1])] += 1;
        }
        for (String word : words) {
            if (!word.isEmpty()) {
                grams[bucket("w:" + word)] += 1;
                String bounded = " " + word + " ";
                for (int n = 3; n <= 4; n++) {
                    for (int i = 0; i + n <= bounded.length(); i++) {
                        grams[bucket(bounded.substring(i, i + n))] += 1;
                    }
                }
            }
        }
        double gramNorm = 0;
        for (int i = 0; i < BUCKETS; i++) {
            grams[i] = grams[i] == 0 ? 0 : 1 + Math.log(grams[i]);
            gramNorm += grams[i] * grams[i];
        }
        gramNorm = Math.sqrt(gramNorm);
        for (int i = 0; i < BUCKETS; i++) {
            features[embedding.length + i] = gramNorm == 0 ? 0 : grams[i] / gramNorm;
        }
        return features;
    }

    /** Lower case without accents, digits as 0, anything else a space: "¿Cuánto cuesta el Plan 300?" → "cuanto cuesta el plan 000". */
    static String plain(String text) {
        String lower = Normalizer.normalize(text.toLowerCase(Locale.ROOT), Normalizer.Form.NFD).replaceAll("\\p{M}", "");
        return lower.replaceAll("\\d", "0").replaceAll("[^\\p{L}0]+", " ").strip();
    }

    /** String.hashCode is specified by the language, so buckets are the same in every JVM and in the fitted file. */
    private static int bucket(String gram) {
        return Math.floorMod(gram.hashCode() * 0x9E3779B1, BUCKETS);
    }
}
