package io.aidesk.bench.scenarios;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A conversation with the outcome a support lead expects of its last message (scenarios/scenarios.tsv: split, tenant,
 * language, expected outcome, its check, the customer's messages separated by " || ").
 *
 * @param check the reply's fact (a regex) for an answer, the field asked for, or the tool (with "plan~regex")
 */
record Scenario(int line, String split, String tenant, String lang, String expected, String check,
                List<String> messages) {
    static final String RESOURCE = "/scenarios/scenarios.tsv";

    static List<Scenario> all() {
        List<Scenario> all = new ArrayList<>();
        try (InputStream in = Scenario.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the bench");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String row;
            int line = 0;
            while ((row = reader.readLine()) != null) {
                line++;
                if (row.isBlank()) {
                    continue;
                }
                String[] cells = row.split("\t");
                if (cells.length != 6) {
                    throw new IllegalArgumentException(RESOURCE + ":" + line + " has " + cells.length + " cells, not 6");
                }
                all.add(new Scenario(line, cells[0], cells[1], cells[2], cells[3], cells[4],
                        Arrays.stream(cells[5].split("\\s\\|\\|\\s")).map(String::strip).toList()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return all;
    }
}
