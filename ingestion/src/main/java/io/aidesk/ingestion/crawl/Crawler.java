package io.aidesk.ingestion.crawl;

import crawlercommons.robots.BaseRobotRules;
import crawlercommons.robots.SimpleRobotRulesParser;
import crawlercommons.sitemaps.AbstractSiteMap;
import crawlercommons.sitemaps.SiteMap;
import crawlercommons.sitemaps.SiteMapIndex;
import crawlercommons.sitemaps.SiteMapParser;
import crawlercommons.sitemaps.SiteMapURL;
import io.aidesk.api.knowledge.CrawlConfig;
import io.aidesk.api.knowledge.UrlCredentials;
import io.aidesk.ingestion.parse.DocumentParser;
import io.aidesk.ingestion.parse.HtmlCleaner;
import io.aidesk.ingestion.parse.ParsedDocument;
import io.aidesk.ingestion.parse.UnreadableDocumentException;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Breadth-first crawl of one source: robots.txt obeyed, sitemaps used as extra seeds, links and linked PDFs followed
 * within the source's scope, at most max_pages requests for pages.
 */
public final class Crawler {

    /** What the crawl reports as it goes. */
    public interface Listener {
        /**
         * @param meta the page's validators and links, kept for the next re-sync
         * @return false to stop the crawl (the source was deleted, say)
         */
        boolean document(ParsedDocument document, PageMeta meta);

        /** What an earlier sync kept of the page at this URL, to ask whether it changed; null for none. */
        default Revisit revisit(String url) {
            return null;
        }

        /**
         * The page did not change since the earlier sync (the server said 304, or the sitemap's lastmod is older than
         * that fetch): it keeps what was indexed, and its links are followed again.
         *
         * @return false to stop the crawl
         */
        default boolean unchanged(String url) {
            return true;
        }

        /** @param gone the page no longer exists, so what was indexed from it goes too; otherwise it stays */
        void error(String url, String reason, boolean gone);

        /** How many pages the crawl now expects to fetch, for progress. */
        void expected(int total);
    }

    /** The links of a page kept for its next re-sync: a page of thousands keeps its first ones. */
    static final int MAX_LINKS_KEPT = 500;

    private final CrawlerSettings settings;

    public Crawler(CrawlerSettings settings) {
        this.settings = settings;
    }

    /** @return how many pages were fetched (successfully or not) */
    public int crawl(String startUrl, CrawlConfig config, Instant deadline, Listener listener) throws InterruptedException {
        return crawl(startUrl, null, config, deadline, listener, new Frontier.InMemory(), new Crawl());
    }

    /**
     * @param credentials the source's secret, sent as HTTP Basic auth to the start URL's origin only; null for none
     * @param frontier    where the crawl keeps the URLs it found; one that holds an earlier crawl's goes on from there
     * @param handle      stops the crawl from another thread
     * @return how many pages were fetched (successfully or not), those of the crawl it resumes included
     */
    public int crawl(String startUrl, UrlCredentials credentials, CrawlConfig config, Instant deadline, Listener listener,
                     Frontier frontier, Crawl handle) throws InterruptedException {
        URI start = UrlNormalizer.normalize(startUrl, null)
                .orElseThrow(() -> new IllegalArgumentException("not a crawlable URL: " + UrlCredentials.masked(startUrl)));
        Fetcher fetcher = new Fetcher(settings, credentials == null ? null
                : new Fetcher.BasicAuth(start, credentials.username(), credentials.password()), deadline);
        handle.attach(fetcher);
        try {
            return new Run(start, config, deadline, listener, fetcher, frontier, handle).crawl();
        } finally {
            fetcher.close();
        }
    }

    private final class Run {
        private final URI start;
        private final CrawlConfig config;
        private final CrawlScope scope;
        private final Instant deadline;
        private final Listener listener;
        private final Fetcher fetcher;
        private final Frontier frontier;
        private final Crawl handle;
        private final Map<String, BaseRobotRules> robots = new HashMap<>();
        /** the sitemaps' lastmod of each URL that has one */
        private final Map<String, Instant> lastmods = new HashMap<>();
        private final SimpleRobotRulesParser robotsParser = new SimpleRobotRulesParser();

        Run(URI start, CrawlConfig config, Instant deadline, Listener listener, Fetcher fetcher, Frontier frontier,
            Crawl handle) {
            this.start = start;
            this.config = config;
            this.scope = new CrawlScope(start, config);
            this.deadline = deadline;
            this.listener = listener;
            this.fetcher = fetcher;
            this.frontier = frontier;
            this.handle = handle;
        }

        int crawl() throws InterruptedException {
            enqueue(start, true);
            for (URI url : sitemapUrls()) {
                enqueue(url, false);
            }
            while (!handle.stopped() && frontier.queued() > 0 && frontier.fetched() < config.maxPages()) {
                if (Instant.now().isAfter(deadline)) {
                    throw new SyncTimeoutException(frontier.fetched());
                }
                URI url = frontier.next();
                if (!rulesFor(url).isAllowed(url.toString())) {
                    frontier.finished(url, false);
                    continue;
                }
                listener.expected(Math.min(config.maxPages(), frontier.fetched() + 1 + frontier.queued()));
                Revisit revisit = listener.revisit(url.toString());
                Instant lastmod = lastmods.get(url.toString());
                // the sitemap says the page has not changed since it was fetched: not even a conditional request
                Fetcher.Outcome outcome = revisit != null && lastmod != null && revisit.fetchedAt() != null
                        && !lastmod.isAfter(revisit.fetchedAt()) ? new Fetcher.NotModified(url)
                        : fetcher.fetch(url, revisit);
                if (handle.stopped()) {
                    break; // the page was cut off, not failed: a resumed crawl fetches it again
                }
                if (outcome instanceof Fetcher.NotModified) {
                    revisit.links().forEach(link -> UrlNormalizer.normalize(link, null).ifPresent(u -> enqueue(u, false)));
                    boolean go = listener.unchanged(url.toString());
                    frontier.finished(url, true);
                    if (!go) {
                        break;
                    }
                    continue;
                }
                if (outcome instanceof Fetcher.Failure failure) {
                    listener.error(url.toString(), failure.reason(), failure.gone());
                    frontier.finished(url, true);
                    continue;
                }
                Fetcher.Page page = (Fetcher.Page) outcome;
                URI finalUrl = page.url();
                // a redirect to a page already crawled is not indexed twice
                boolean go = !finalUrl.equals(url) && !frontier.claim(finalUrl) || handle(url, page);
                frontier.finished(url, true);
                if (!go) {
                    break;
                }
            }
            listener.expected(frontier.fetched());
            return frontier.fetched();
        }

        /** @return false when the listener asks to stop */
        private boolean handle(URI requested, Fetcher.Page page) {
            String type = page.contentType().toLowerCase(Locale.ROOT);
            boolean pdf = type.startsWith("application/pdf") || page.url().getPath().toLowerCase(Locale.ROOT).endsWith(".pdf");
            if (pdf) {
                if (!scope.allows(page.url())) {
                    return true;
                }
                try {
                    return listener.document(DocumentParser.parse(page.body(), DocumentParser.Kind.PDF,
                            page.url().toString(), fileName(page.url())), new PageMeta(page.etag(), page.lastModified(),
                            List.of()));
                } catch (UnreadableDocumentException e) {
                    listener.error(requested.toString(), e.getMessage(), false);
                    return true;
                }
            }
            if (!type.isEmpty() && !type.contains("html")) {
                listener.error(requested.toString(), "skipped: not an HTML page or PDF (" + type + ")", false);
                return true;
            }
            Document html;
            try {
                html = Jsoup.parse(new ByteArrayInputStream(page.body()), charset(type), page.url().toString());
            } catch (IOException e) {
                listener.error(requested.toString(), "unreadable HTML: " + e.getMessage(), false);
                return true;
            }
            String robotsMeta = html.select("meta[name=robots]").attr("content").toLowerCase(Locale.ROOT);
            Set<String> links = new LinkedHashSet<>();
            if (!robotsMeta.contains("nofollow")) {
                for (Element link : html.select("a[href]")) {
                    UrlNormalizer.normalize(link.attr("abs:href"), null).ifPresent(url -> {
                        enqueue(url, false);
                        if (links.size() < MAX_LINKS_KEPT) {
                            links.add(url.toString());
                        }
                    });
                }
            }
            if (robotsMeta.contains("noindex") || !scope.allows(page.url())) {
                return true;
            }
            ParsedDocument document = HtmlCleaner.clean(html, page.url().toString());
            if (document.isEmpty()) {
                listener.error(requested.toString(), "skipped: the page has no readable text", false);
                return true;
            }
            return listener.document(document, new PageMeta(page.etag(), page.lastModified(), List.copyOf(links)));
        }

        /** The start URL is always fetched to find links; other URLs only when in scope. */
        private void enqueue(URI url, boolean seed) {
            if (seed || scope.allows(url)) {
                frontier.add(url);
            }
        }

        private BaseRobotRules rulesFor(URI url) throws InterruptedException {
            String key = url.getScheme() + "://" + url.getRawAuthority();
            BaseRobotRules rules = robots.get(key);
            if (rules != null) {
                return rules;
            }
            URI robotsUrl = URI.create(key + "/robots.txt");
            Fetcher.Outcome outcome = fetcher.fetch(robotsUrl);
            if (outcome instanceof Fetcher.Page page) {
                rules = robotsParser.parseContent(robotsUrl.toString(), page.body(), "text/plain",
                        List.of(settings.userAgent().split("/")[0].toLowerCase(Locale.ROOT)));
            } else {
                String reason = ((Fetcher.Failure) outcome).reason();
                // a missing robots.txt allows everything; a server error means "come back later"
                int status = reason.startsWith("HTTP ") ? Integer.parseInt(reason.substring(5, 8)) : 404;
                rules = robotsParser.failedFetch(status);
            }
            if (rules.getCrawlDelay() > 0) {
                fetcher.crawlDelay(url, Duration.ofMillis(rules.getCrawlDelay()));
            }
            robots.put(key, rules);
            return rules;
        }

        private List<URI> sitemapUrls() throws InterruptedException {
            BaseRobotRules rules = rulesFor(start);
            List<String> sitemaps = rules.getSitemaps().isEmpty()
                    ? List.of(start.getScheme() + "://" + start.getRawAuthority() + "/sitemap.xml")
                    : rules.getSitemaps();
            SiteMapParser parser = new SiteMapParser(false);
            Set<URI> urls = new LinkedHashSet<>();
            Deque<String> pending = new ArrayDeque<>(sitemaps);
            int sitemapsRead = 0;
            while (!pending.isEmpty() && sitemapsRead < 20 && urls.size() < settings.maxSitemapUrls()) {
                String sitemap = pending.poll();
                URI sitemapUri = UrlNormalizer.normalize(sitemap, start).orElse(null);
                if (sitemapUri == null) {
                    continue;
                }
                sitemapsRead++;
                Fetcher.Outcome outcome = fetcher.fetch(sitemapUri);
                if (!(outcome instanceof Fetcher.Page page)) {
                    continue;
                }
                try {
                    AbstractSiteMap parsed = parser.parseSiteMap(page.contentType().isEmpty() ? "text/xml" : page.contentType(),
                            page.body(), sitemapUri.toURL());
                    if (parsed instanceof SiteMapIndex index) {
                        index.getSitemaps().forEach(child -> pending.add(child.getUrl().toString()));
                    } else if (parsed instanceof SiteMap map) {
                        for (SiteMapURL entry : map.getSiteMapUrls()) {
                            UrlNormalizer.normalize(entry.getUrl().toString(), null).ifPresent(url -> {
                                urls.add(url);
                                if (entry.getLastModified() != null) {
                                    lastmods.put(url.toString(), entry.getLastModified().toInstant());
                                }
                            });
                        }
                    }
                } catch (Exception e) {
                    listener.error(sitemapUri.toString(), "unreadable sitemap: " + e.getMessage(), false);
                }
            }
            return urls.stream().limit(settings.maxSitemapUrls()).toList();
        }

        private static String charset(String contentType) {
            int at = contentType.indexOf("charset=");
            return at < 0 ? null : contentType.substring(at + 8).replace("\"", "").strip();
        }

        private static String fileName(URI url) {
            String path = url.getPath();
            return path == null || path.isEmpty() ? url.toString() : path.substring(path.lastIndexOf('/') + 1);
        }
    }
}
