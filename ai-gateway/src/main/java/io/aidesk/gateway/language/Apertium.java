package io.aidesk.gateway.language;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Spanish put into English words by Apertium, Debian's rule-based translator (packages {@code apertium} and
 * {@code apertium-eng-spa}, installed by the launcher), so that the English-only offline embedding model reads what a
 * Spanish message means instead of its spelling. Rough English is enough for that: "quiero darme de baja" becomes "I
 * want to give me of drop". Without Apertium a text stays as it is (and the classifier reads Spanish less well).
 */
public final class Apertium {
    private static final Logger log = LoggerFactory.getLogger(Apertium.class);
    static final String PAIR = "spa-eng";
    static final Path MODE = Path.of("/usr/share/apertium/modes/" + PAIR + ".mode");
    private static final long TIMEOUT_SECONDS = 20;
    private static final int CACHED = 20_000;
    private static final Apertium SHARED = new Apertium();

    private final boolean available;
    private final Map<String, String> cache = Collections.synchronizedMap(new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > CACHED;
        }
    });

    private Apertium() {
        available = Files.isRegularFile(MODE);
        if (!available) {
            log.warn("Apertium's {} pair is not installed ({} is missing): Spanish is embedded as written; "
                    + "./aidesk installs it", PAIR, MODE);
        }
    }

    public static Apertium shared() {
        return SHARED;
    }

    public boolean available() {
        return available;
    }

    /** Each text in English words, in the same order; one Apertium run for all the texts not translated before. */
    public List<String> toEnglish(List<String> texts) {
        List<String> out = new ArrayList<>(texts);
        if (!available) {
            return out;
        }
        List<Integer> missing = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            String cached = cache.get(texts.get(i));
            if (cached != null) {
                out.set(i, cached);
            } else {
                missing.add(i);
            }
        }
        if (missing.isEmpty()) {
            return out;
        }
        // one text a line: Apertium keeps the lines of plain text as they are
        List<String> lines = missing.stream().map(i -> texts.get(i).replaceAll("[\\r\\n]+", " ")).toList();
        List<String> translated = run(lines);
        if (translated.size() != lines.size()) {
            log.warn("Apertium gave {} lines for {}: Spanish is embedded as written", translated.size(), lines.size());
            return out;
        }
        for (int k = 0; k < missing.size(); k++) {
            int i = missing.get(k);
            out.set(i, translated.get(k));
            cache.put(texts.get(i), translated.get(k));
        }
        return out;
    }

    private static List<String> run(List<String> lines) {
        try {
            // -u: unknown words as they are, without Apertium's asterisk
            Process process = new ProcessBuilder("apertium", "-u", PAIR).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            byte[] input = (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
            // written from another thread, so a long input never waits on an output nobody reads yet
            Thread writer = new Thread(() -> {
                try (OutputStream in = process.getOutputStream()) {
                    in.write(input);
                } catch (IOException e) {
                    log.warn("cannot write to Apertium: {}", e.getMessage());
                }
            }, "apertium-input");
            writer.setDaemon(true);
            writer.start();
            String text;
            try (InputStream out = process.getInputStream()) {
                text = new String(out.readAllBytes(), StandardCharsets.UTF_8);
            }
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                log.warn("Apertium took more than {} s for {} lines", TIMEOUT_SECONDS, lines.size());
                return List.of();
            }
            if (process.exitValue() != 0) {
                log.warn("Apertium failed with exit code {}", process.exitValue());
                return List.of();
            }
            List<String> translated = new ArrayList<>(List.of(text.split("\n", -1)));
            while (translated.size() > lines.size() && translated.get(translated.size() - 1).isBlank()) {
                translated.remove(translated.size() - 1);
            }
            return translated.stream().map(String::strip).toList();
        } catch (IOException e) {
            log.warn("cannot run Apertium: {}", e.getMessage());
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }
}
