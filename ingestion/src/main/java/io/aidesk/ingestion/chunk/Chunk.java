package io.aidesk.ingestion.chunk;

import java.util.List;

/**
 * A passage small enough for the embedding model's window.
 *
 * @param content   the passage as shown in citations
 * @param embedText what is embedded: the title and heading path, then the passage
 * @param hash      SHA-256 of the normalised embed text: equal hash, equal vector, so it is never embedded twice
 */
public record Chunk(int index, String content, String embedText, String hash, int tokens, String title,
                    List<String> headings, Integer page) {
}
