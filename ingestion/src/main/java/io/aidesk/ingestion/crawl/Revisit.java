package io.aidesk.ingestion.crawl;

import java.time.Instant;
import java.util.List;

/**
 * What the index kept of a page an earlier sync fetched, so a re-sync can ask the server whether it changed
 * (If-None-Match, If-Modified-Since) or skip it when the sitemap's lastmod is older than the fetch.
 *
 * @param links the links found on the page then: followed again when it did not change
 */
public record Revisit(String etag, String lastModified, Instant fetchedAt, List<String> links) {
    public Revisit {
        links = links == null ? List.of() : List.copyOf(links);
    }
}
