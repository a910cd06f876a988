package io.aidesk.api.knowledge;

import java.util.List;

/**
 * How a URL source is crawled: page cap, domain rule, path globs (Ant style: /help/**), and how often it re-syncs by
 * itself ({@link SyncEvery}: "off", hours like "12h", days like "1d"; daily when not said).
 */
public record CrawlConfig(Integer maxPages, Boolean sameDomainOnly, List<String> includePaths, List<String> excludePaths,
                          String syncEvery) {
    public static final int DEFAULT_MAX_PAGES = 200;
    public static final int MAX_PAGES_LIMIT = 10_000;

    public CrawlConfig {
        maxPages = maxPages == null ? DEFAULT_MAX_PAGES : maxPages;
        sameDomainOnly = sameDomainOnly == null ? Boolean.TRUE : sameDomainOnly;
        includePaths = includePaths == null ? List.of() : List.copyOf(includePaths);
        excludePaths = excludePaths == null ? List.of() : List.copyOf(excludePaths);
        syncEvery = syncEvery == null ? SyncEvery.DEFAULT : syncEvery;
    }

    public CrawlConfig(Integer maxPages, Boolean sameDomainOnly, List<String> includePaths, List<String> excludePaths) {
        this(maxPages, sameDomainOnly, includePaths, excludePaths, null);
    }

    public static CrawlConfig defaults() {
        return new CrawlConfig(null, null, null, null, null);
    }
}
