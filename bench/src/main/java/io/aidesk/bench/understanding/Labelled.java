package io.aidesk.bench.understanding;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A labelled customer message of bench/src/main/resources/understanding/messages-*.tsv (lang, domain, need, intent,
 * message). The split alternates within each file's (language, need) group, so both halves hold every class in both
 * languages and every domain.
 */
record Labelled(String file, String split, String lang, String domain, String need, String intent, String message) {
    static final Path FOLDER = Path.of("bench/src/main/resources/understanding");
    static final String TUNE = "tune";
    static final String HELD = "held";

    static List<Labelled> all() {
        List<Labelled> all = new ArrayList<>();
        try (Stream<Path> files = Files.list(FOLDER)) {
            for (Path file : files.filter(path -> path.getFileName().toString().matches("messages-.*\\.tsv")).sorted().toList()) {
                Map<String, Integer> seen = new LinkedHashMap<>();
                int number = 0;
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    number++;
                    if (line.isBlank()) {
                        continue;
                    }
                    String[] cells = line.split("\t");
                    if (cells.length != 5) {
                        throw new IllegalArgumentException(file + ":" + number + " has " + cells.length + " cells, not 5");
                    }
                    int index = seen.merge(cells[0] + "|" + cells[2], 1, Integer::sum);
                    all.add(new Labelled(file.getFileName().toString(), index % 2 == 1 ? TUNE : HELD, cells[0], cells[1],
                            cells[2], cells[3], cells[4].strip()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the labelled messages under " + FOLDER, e);
        }
        return all;
    }
}
