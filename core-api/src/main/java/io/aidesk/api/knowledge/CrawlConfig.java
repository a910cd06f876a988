package io.aidesk.api.knowledge;

import java.util.List;

/** How a URL source is crawled: page cap, domain rule and path globs (Ant style: /help/**). */
public record CrawlConfig(Integer maxPages, Boolean sameDomainOnly, List<String> includePaths, List<String> excludePaths) {
    public static final int DEFAULT_MAX_PAGES = 200;
    public static final int MAX_PAGES_LIMIT = 10_000;

    public CrawlConfig {
        maxPages = maxPages == null ? DEFAULT_MAX_PAGES : maxPages;
        sameDomainOnly = sameDomainOnly == null ? Boolean.TRUE : sameDomainOnly;
        includePaths = includePaths == null ? List.of() : List.copyOf(includePaths);
        excludePaths = excludePaths == null ? List.of() : List.copyOf(excludePaths);
    }

    public static CrawlConfig defaults() {
        return new CrawlConfig(null, null, null, null);
    }
}
