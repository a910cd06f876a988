package io.aidesk.ingestion.chunk;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.Normalizer;
import java.util.HexFormat;

/** SHA-256 over text normalised for comparison: Unicode NFC, collapsed whitespace. */
public final class TextHash {
    private TextHash() {
    }

    public static String of(String text) {
        String normal = Normalizer.normalize(text, Normalizer.Form.NFC).replaceAll("\\s+", " ").strip();
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(normal.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
