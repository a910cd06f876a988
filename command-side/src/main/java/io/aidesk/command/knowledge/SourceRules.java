package io.aidesk.command.knowledge;

import io.aidesk.api.InvalidCommandException;
import io.aidesk.api.knowledge.CrawlConfig;
import io.aidesk.api.knowledge.SyncEvery;
import io.aidesk.api.knowledge.UrlCredentials;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/** What a knowledge source's URL and crawl settings must look like. */
final class SourceRules {
    static final int MAX_URL_LENGTH = 2048;
    static final int MAX_GLOBS = 50;
    static final int MAX_GLOB_LENGTH = 200;

    private SourceRules() {
    }

    /** The URL a source keeps: valid, http(s), and without userinfo (credentials are the source's secret). */
    static String url(String url) {
        if (url == null || url.isBlank()) {
            throw new InvalidCommandException("url", "a URL source needs a url");
        }
        if (url.length() > MAX_URL_LENGTH) {
            throw new InvalidCommandException("url", "a url is at most " + MAX_URL_LENGTH + " characters");
        }
        try {
            URI uri = new URI(url.strip());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                throw new InvalidCommandException("url", "only http and https URLs can be crawled, not '"
                        + UrlCredentials.masked(url) + "'");
            }
            if (uri.getHost() == null || uri.getHost().isBlank()) {
                throw new InvalidCommandException("url", "the url has no host: '" + UrlCredentials.masked(url) + "'");
            }
            return UrlCredentials.withoutUserInfo(uri.toString());
        } catch (URISyntaxException e) {
            // the reason and position, not the exception's message: it quotes the input, which may hold a password
            throw new InvalidCommandException("url", "not a valid URL: " + e.getReason()
                    + (e.getIndex() >= 0 ? " at index " + e.getIndex() : ""));
        }
    }

    /** @param shortestInterval the least sync_every this deployment allows (an hour; a minute in tests) */
    static CrawlConfig config(CrawlConfig config, Duration shortestInterval) {
        CrawlConfig c = config == null ? CrawlConfig.defaults() : config;
        try {
            SyncEvery.parse(c.syncEvery()).filter(every -> every.compareTo(shortestInterval) < 0).ifPresent(every -> {
                throw new InvalidCommandException("config.sync_every", "sync_every is at least "
                        + shortestInterval.toMinutes() + " minutes here, got '" + c.syncEvery() + "'");
            });
        } catch (IllegalArgumentException e) {
            throw new InvalidCommandException("config.sync_every", e.getMessage());
        }
        if (c.maxPages() < 1 || c.maxPages() > CrawlConfig.MAX_PAGES_LIMIT) {
            throw new InvalidCommandException("config.max_pages",
                    "max_pages is between 1 and " + CrawlConfig.MAX_PAGES_LIMIT + ", got " + c.maxPages());
        }
        globs("config.include_paths", c.includePaths());
        globs("config.exclude_paths", c.excludePaths());
        return c;
    }

    private static void globs(String field, List<String> globs) {
        if (globs.size() > MAX_GLOBS) {
            throw new InvalidCommandException(field, "at most " + MAX_GLOBS + " path patterns");
        }
        for (int i = 0; i < globs.size(); i++) {
            String glob = globs.get(i);
            if (glob == null || !glob.startsWith("/") || glob.length() > MAX_GLOB_LENGTH || glob.contains(" ")) {
                throw new InvalidCommandException(field + "[" + i + "]",
                        "a path pattern starts with '/' and has no spaces, like /help/**; got '" + glob + "'");
            }
        }
    }
}
