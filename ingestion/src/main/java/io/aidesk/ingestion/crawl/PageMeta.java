package io.aidesk.ingestion.crawl;

import java.util.List;

/** What a fetched page said besides its text: its validators and the links on it, kept for the next re-sync. */
public record PageMeta(String etag, String lastModified, List<String> links) {
    /** A file's, or a page whose server gave no validators. */
    public static final PageMeta NONE = new PageMeta(null, null, List.of());

    public PageMeta {
        etag = etag == null || etag.isBlank() ? null : etag;
        lastModified = lastModified == null || lastModified.isBlank() ? null : lastModified;
        links = links == null ? List.of() : List.copyOf(links);
    }
}
