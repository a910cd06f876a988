package io.aidesk.ingestion.parse;

import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.select.Elements;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Keeps what a reader of a help page reads: drops navigation, headers, footers, scripts, styles and cookie banners,
 * keeps every paragraph with its heading path, renders lists as "- item", tables as "cell | cell" rows and a definition
 * list's terms in front of their definition ("--amend: Replace the tip…"), so a definition never loses what it defines.
 */
public final class HtmlCleaner {
    private static final String NOISE = "script, style, noscript, template, nav, footer, aside, form, iframe, "
            + "svg, button, select, [role=navigation], [role=banner], [role=contentinfo], [aria-hidden=true], [hidden]";
    private static final Pattern NOISE_NAMES = Pattern.compile(
            "(^|[-_ ])(cookie|cookies|consent|gdpr|banner|navbar|nav|menu|breadcrumbs?|sidebar|site-header|"
                    + "site-footer|footer|skip-link|popup|modal|newsletter)($|[-_ ])", Pattern.CASE_INSENSITIVE);
    private static final Set<String> BLOCKS = Set.of("p", "div", "section", "article", "main", "li", "ul", "ol",
            "pre", "blockquote", "dd", "dl", "figcaption", "figure", "address", "details", "summary", "caption");

    private HtmlCleaner() {
    }

    public static ParsedDocument clean(Document html, String url) {
        Element main = html.selectFirst("main, article, [role=main]");
        Element root = (main == null ? html.body() : main).clone();
        root.select(NOISE).remove();
        if (main == null) {
            // a site-wide header; inside <main> or <article> a <header> holds the page's own title
            root.select("header").remove();
        }
        for (Element element : root.getAllElements()) {
            if (element != root && (NOISE_NAMES.matcher(element.className()).find()
                    || NOISE_NAMES.matcher(element.id()).find())) {
                element.remove();
            }
        }
        Walker walker = new Walker();
        walker.walk(root);
        walker.flush();
        walker.flushTerm();
        String title = html.title().isBlank()
                ? (html.selectFirst("h1") == null ? url : html.selectFirst("h1").text())
                : html.title().strip();
        return new ParsedDocument(url, title, walker.blocks);
    }

    /** Renders a table row by row, so a price list stays readable as text. */
    static String table(Element table) {
        List<String> rows = new ArrayList<>();
        for (Element row : table.select("tr")) {
            Elements cells = row.select("> th, > td");
            List<String> texts = cells.stream().map(Element::text).map(String::strip).toList();
            if (texts.stream().anyMatch(text -> !text.isEmpty())) {
                rows.add(String.join(" | ", texts));
            }
        }
        return String.join("\n", rows);
    }

    private static final class Walker {
        private final List<ParsedDocument.Block> blocks = new ArrayList<>();
        private final String[] headings = new String[6];
        private final StringBuilder buffer = new StringBuilder();
        /** The terms of a definition list waiting for their definition. */
        private String term;

        void walk(Element element) {
            for (Node child : element.childNodes()) {
                if (child instanceof TextNode text) {
                    buffer.append(text.text());
                } else if (child instanceof Element e) {
                    String tag = e.normalName();
                    if (tag.length() == 2 && tag.charAt(0) == 'h' && Character.isDigit(tag.charAt(1))) {
                        flush();
                        flushTerm();
                        heading(tag.charAt(1) - '1', e.text().strip());
                    } else if (tag.equals("dt")) {
                        flush();
                        String text = e.text().replaceAll("\\s+", " ").strip();
                        if (!text.isEmpty()) {
                            term = term == null ? text : term + ", " + text;
                        }
                    } else if (tag.equals("table")) {
                        flush();
                        emit(table(e));
                    } else if (tag.equals("br")) {
                        buffer.append(' ');
                    } else if (BLOCKS.contains(tag)) {
                        flush();
                        if (tag.equals("li")) {
                            buffer.append("- ");
                        }
                        walk(e);
                        flush();
                    } else {
                        walk(e);
                    }
                }
            }
        }

        private void heading(int level, String text) {
            if (level < 0 || level > 5 || text.isEmpty()) {
                return;
            }
            headings[level] = text;
            for (int i = level + 1; i < headings.length; i++) {
                headings[i] = null;
            }
        }

        void flush() {
            String text = buffer.toString().replaceAll("\\s+", " ").strip();
            buffer.setLength(0);
            if (!text.isEmpty() && !text.equals("-")) {
                emit(text);
            }
        }

        /** A term with no definition after it stands alone. */
        void flushTerm() {
            if (term != null) {
                String alone = term;
                term = null;
                emit(alone);
            }
        }

        private void emit(String text) {
            if (text.isBlank()) {
                return;
            }
            if (term != null) {
                text = term + ": " + text;
                term = null;
            }
            List<String> path = new ArrayList<>();
            for (String heading : headings) {
                if (heading != null) {
                    path.add(heading);
                }
            }
            blocks.add(new ParsedDocument.Block(text, path, null));
        }
    }
}
