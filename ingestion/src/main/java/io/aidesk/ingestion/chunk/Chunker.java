package io.aidesk.ingestion.chunk;

import io.aidesk.ingestion.parse.ParsedDocument;
import io.aidesk.ingestion.parse.ParsedDocument.Block;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.ToIntFunction;

/**
 * Heading-aware chunking bounded by the embedding model's own token count: a chunk never spans two sections (heading
 * path or PDF page), holds at most {@code targetTokens}, and repeats up to {@code overlapTokens} of the previous chunk
 * of its section so an answer split across the boundary is still found.
 */
public final class Chunker {
    private final ToIntFunction<String> tokens;
    private final int targetTokens;
    private final int overlapTokens;

    /**
     * @param tokens        the embedding model's token counter
     * @param targetTokens  the most a chunk's passage holds; leave room for the title and headings within the window
     * @param overlapTokens how much of the previous chunk a chunk repeats
     */
    public Chunker(ToIntFunction<String> tokens, int targetTokens, int overlapTokens) {
        this.tokens = tokens;
        this.targetTokens = targetTokens;
        this.overlapTokens = overlapTokens;
    }

    public List<Chunk> chunk(ParsedDocument document) {
        List<Chunk> chunks = new ArrayList<>();
        Set<String> hashes = new LinkedHashSet<>();
        List<Block> section = new ArrayList<>();
        for (Block block : document.blocks()) {
            if (!section.isEmpty() && !sameSection(section.get(0), block)) {
                chunkSection(document, section, chunks, hashes);
                section.clear();
            }
            section.add(block);
        }
        if (!section.isEmpty()) {
            chunkSection(document, section, chunks, hashes);
        }
        return chunks;
    }

    private static boolean sameSection(Block a, Block b) {
        return a.headings().equals(b.headings()) && Objects.equals(a.page(), b.page());
    }

    private void chunkSection(ParsedDocument document, List<Block> section, List<Chunk> chunks, Set<String> hashes) {
        List<Piece> pieces = new ArrayList<>();
        for (Block block : section) {
            int count = tokens.applyAsInt(block.text());
            if (count <= targetTokens) {
                pieces.add(new Piece(block.text(), count));
            } else {
                pieces.addAll(split(block.text()));
            }
        }
        Block first = section.get(0);
        List<Piece> current = new ArrayList<>();
        int size = 0;
        for (Piece piece : pieces) {
            if (!current.isEmpty() && size + piece.tokens() > targetTokens) {
                emit(document, first, current, chunks, hashes);
                List<Piece> overlap = overlap(current);
                current = new ArrayList<>(overlap);
                size = overlap.stream().mapToInt(Piece::tokens).sum();
                if (size + piece.tokens() > targetTokens) {
                    current.clear();
                    size = 0;
                }
            }
            current.add(piece);
            size += piece.tokens();
        }
        if (!current.isEmpty()) {
            emit(document, first, current, chunks, hashes);
        }
    }

    /** The tail of a chunk, whole pieces only, that fits the overlap budget. */
    private List<Piece> overlap(List<Piece> chunk) {
        List<Piece> tail = new ArrayList<>();
        int size = 0;
        for (int i = chunk.size() - 1; i > 0; i--) {
            Piece piece = chunk.get(i);
            if (size + piece.tokens() > overlapTokens) {
                break;
            }
            tail.add(0, piece);
            size += piece.tokens();
        }
        return tail;
    }

    /** A paragraph too long for one chunk, cut at sentence ends, and at word boundaries when a sentence is too long. */
    private List<Piece> split(String text) {
        List<Piece> pieces = new ArrayList<>();
        for (String sentence : text.split("(?<=[.!?;:])\\s+")) {
            int count = tokens.applyAsInt(sentence);
            if (count <= targetTokens) {
                pieces.add(new Piece(sentence, count));
                continue;
            }
            StringBuilder part = new StringBuilder();
            for (String word : sentence.split("\\s+")) {
                String candidate = part.isEmpty() ? word : part + " " + word;
                if (!part.isEmpty() && tokens.applyAsInt(candidate) > targetTokens) {
                    pieces.add(new Piece(part.toString(), tokens.applyAsInt(part.toString())));
                    part.setLength(0);
                    part.append(word);
                } else {
                    part.setLength(0);
                    part.append(candidate);
                }
            }
            if (!part.isEmpty()) {
                pieces.add(new Piece(part.toString(), tokens.applyAsInt(part.toString())));
            }
        }
        return pieces;
    }

    private void emit(ParsedDocument document, Block first, List<Piece> pieces, List<Chunk> chunks, Set<String> hashes) {
        String content = String.join("\n", pieces.stream().map(Piece::text).toList());
        String embedText = embedText(document.title(), first.headings(), content);
        String hash = TextHash.of(embedText);
        // the same passage twice on one page is indexed once
        if (hashes.add(hash)) {
            chunks.add(new Chunk(chunks.size(), content, embedText, hash, pieces.stream().mapToInt(Piece::tokens).sum(),
                    document.title(), first.headings(), first.page()));
        }
    }

    /** What a passage is embedded as: its title and heading path, then the passage. */
    public static String embedText(String title, List<String> headings, String content) {
        List<String> context = new ArrayList<>();
        if (title != null && !title.isBlank() && (headings.isEmpty() || !headings.get(0).equals(title))) {
            context.add(title);
        }
        context.addAll(headings);
        return context.isEmpty() ? content : String.join(" > ", context) + "\n" + content;
    }

    private record Piece(String text, int tokens) {
    }
}
