package io.aidesk.bench.eval;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One labelled question: the pages that answer it (none when nothing in the knowledge does) and a pattern for the
 * fact the reply must hold (null where the set checks the page only, as the demo's does).
 */
record Question(String corpus, String split, List<String> pages, Pattern fact, String text) {
    static final String TUNE = "tune";
    static final String HELD = "held";

    boolean answerable() {
        return !pages.isEmpty();
    }

    /**
     * Answered right: a citation on a page that answers, and the reply holding the fact (a quoted table row's " | "
     * between cells reads as the space the page puts there).
     */
    boolean rightAnswer(List<String> citedPages, String reply) {
        return answerable() && citedPages.stream().anyMatch(pages::contains) && holdsFact(reply);
    }

    /** The text holds the fact (always, where the set checks the page only). */
    boolean holdsFact(String text) {
        return fact == null || fact.matcher(text.replace(" | ", " ").replaceAll("\\s+", " ")).find();
    }

    /** A corpus file: split, pages (comma-separated, "-" for none), fact pattern ("-" for none), question. */
    static List<Question> corpus(String corpus) {
        List<Question> questions = new ArrayList<>();
        for (String[] fields : rows("/eval/corpora/" + corpus + ".tsv", 4)) {
            String split = fields[0].strip();
            if (!split.equals(TUNE) && !split.equals(HELD)) {
                throw new IllegalArgumentException(corpus + ": split must be tune or held, not " + split);
            }
            questions.add(new Question(corpus, split, pages(fields[1]),
                    fields[2].strip().equals("-") ? null : Pattern.compile(fields[2].strip(),
                            Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE), fields[3].strip()));
        }
        return questions;
    }

    /** The demo's set (eval/questions.tsv): site, page ("-" for none), question; tuned on as a whole. */
    static List<Question> demo(String site) {
        return rows("/eval/questions.tsv", 3).stream().filter(fields -> fields[0].equals(site))
                .map(fields -> new Question(site, TUNE, pages(fields[1]), null, fields[2].strip())).toList();
    }

    private static List<String> pages(String field) {
        return field.strip().equals("-") ? List.of() : Arrays.stream(field.split(",")).map(String::strip).toList();
    }

    private static List<String[]> rows(String resource, int columns) {
        List<String[]> rows = new ArrayList<>();
        InputStream in = Question.class.getResourceAsStream(resource);
        if (in == null) {
            throw new IllegalArgumentException(resource + " is missing");
        }
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] fields = line.split("\t");
                if (fields.length != columns) {
                    throw new IllegalArgumentException(resource + ": " + columns + " tab-separated fields expected in: " + line);
                }
                rows.add(fields);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return rows;
    }
}
