package io.aidesk.ingestion.parse;

import java.util.List;

/**
 * A page or file reduced to its readable text: blocks in reading order, each with the heading path above it.
 *
 * @param url    the page's URL, or file:NAME for uploads
 * @param title  the page or document title
 * @param blocks paragraphs, list items and table rows
 */
public record ParsedDocument(String url, String title, List<Block> blocks) {
    public ParsedDocument {
        blocks = List.copyOf(blocks);
    }

    /** @param page the PDF page the text is on, null elsewhere */
    public record Block(String text, List<String> headings, Integer page) {
        public Block {
            headings = List.copyOf(headings);
        }
    }

    public boolean isEmpty() {
        return blocks.stream().allMatch(block -> block.text().isBlank());
    }
}
