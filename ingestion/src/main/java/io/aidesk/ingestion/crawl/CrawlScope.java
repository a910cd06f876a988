package io.aidesk.ingestion.crawl;

import io.aidesk.api.knowledge.CrawlConfig;
import org.springframework.util.AntPathMatcher;

import java.net.URI;
import java.util.Locale;

/** Which URLs a source's crawl may index: same domain when asked, include globs if any, never an exclude glob. */
final class CrawlScope {
    private static final AntPathMatcher GLOBS = new AntPathMatcher();

    private final String host;
    private final CrawlConfig config;

    CrawlScope(URI start, CrawlConfig config) {
        this.host = bareHost(start);
        this.config = config;
    }

    private static String bareHost(URI url) {
        String host = url.getHost() == null ? "" : url.getHost().toLowerCase(Locale.ROOT);
        return host.startsWith("www.") ? host.substring(4) : host;
    }

    boolean allows(URI url) {
        if (config.sameDomainOnly() && !bareHost(url).equals(host)) {
            return false;
        }
        String path = url.getPath() == null || url.getPath().isEmpty() ? "/" : url.getPath();
        if (!config.includePaths().isEmpty() && config.includePaths().stream().noneMatch(glob -> GLOBS.match(glob, path))) {
            return false;
        }
        return config.excludePaths().stream().noneMatch(glob -> GLOBS.match(glob, path));
    }
}
