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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Breadth-first crawl of one source: robots.txt obeyed, sitemaps used as extra seeds, links and linked PDFs followed
 * within the source's scope, at most max_pages requests for pages. A few pages are fetched ahead at once (each host's
 * politeness delay kept between its requests), and handled one by one in crawl order on the caller's thread.
 */
public final class Crawler {

    /** What the crawl reports as it goes. */
    public interface Listener {
        /**
         * @param requestedUrl the URL the crawl asked for (the document's own may be where a redirect led)
         * @param meta         the page's validators and links, kept for the next re-sync
         * @return false to stop the crawl (the source was deleted, say)
         */
        boolean document(String requestedUrl, ParsedDocument document, PageMeta meta);

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

    /** Fetching threads are daemons: a crawl that ends never waits for one still reading a page nobody needs. */
    private static final ThreadFactory FETCHING_THREADS = new ThreadFactory() {
        private final AtomicInteger count = new AtomicInteger();

        @Override
        public Thread newThread(Runnable task) {
            Thread thread = new Thread(task, "crawl-fetch-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        }
    };

    /** A page being fetched ahead of the crawl's handling. */
    private record Ahead(URI url, Revisit revisit, Future<Fetcher.Outcome> fetch) {
        Fetcher.Outcome outcome() throws InterruptedException {
            try {
                return fetch.get();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException runtime) {
                    throw runtime; // the sync's deadline passed while fetching, say
                }
                if (e.getCause() instanceof InterruptedException interrupted) {
                    throw interrupted;
                }
                throw new IllegalStateException(e.getCause());
            }
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
            Deque<Ahead> window = new ArrayDeque<>();
            ExecutorService fetching = Executors.newFixedThreadPool(settings.fetchAhead(), FETCHING_THREADS);
            try {
                while (!handle.stopped()) {
                    if (Instant.now().isAfter(deadline)) {
                        throw new SyncTimeoutException(frontier.fetched());
                    }
                    fetchAhead(window, fetching);
                    Ahead next = window.poll();
                    if (next == null) {
                        break;
                    }
                    Fetcher.Outcome outcome = next.outcome();
                    if (handle.stopped() || !handle(next.url(), next.revisit(), outcome)) {
                        break; // a page cut off by the stop was not failed: a resumed crawl fetches it again
                    }
                }
            } finally {
                if (!window.isEmpty()) {
                    fetcher.abort(); // stopped or failed: the pages fetched ahead are not needed
                }
                fetching.shutdownNow();
            }
            listener.expected(frontier.fetched());
            return frontier.fetched();
        }

        /**
         * Starts fetching the next pages in crawl order until fetchAhead are on their way (or max_pages would be
         * passed); they are handled in that order as they arrive.
         */
        private void fetchAhead(Deque<Ahead> window, ExecutorService fetching) throws InterruptedException {
            while (window.size() < settings.fetchAhead() && frontier.queued() > 0
                    && frontier.fetched() + window.size() < config.maxPages()) {
                URI url = frontier.next();
                if (!rulesFor(url).isAllowed(url.toString())) {
                    frontier.finished(url, false);
                    continue;
                }
                int known = frontier.fetched() + window.size() + 1 + frontier.queued();
                listener.expected(Math.min(config.maxPages(), known));
                Revisit revisit = listener.revisit(url.toString());
                Instant lastmod = lastmods.get(url.toString());
                // the sitemap says the page has not changed since it was fetched: not even a conditional request
                boolean unchanged = revisit != null && lastmod != null && revisit.fetchedAt() != null
                        && !lastmod.isAfter(revisit.fetchedAt());
                window.add(new Ahead(url, revisit, unchanged
                        ? CompletableFuture.completedFuture(new Fetcher.NotModified(url))
                        : fetching.submit(() -> fetcher.fetch(url, revisit))));
            }
        }

        /** @return false when the listener asks to stop */
        private boolean handle(URI url, Revisit revisit, Fetcher.Outcome outcome) {
            if (outcome instanceof Fetcher.NotModified) {
                revisit.links().forEach(link -> UrlNormalizer.normalize(link, null).ifPresent(u -> enqueue(u, false)));
                boolean go = listener.unchanged(url.toString());
                frontier.finished(url, true);
                return go;
            }
            if (outcome instanceof Fetcher.Failure failure) {
                listener.error(url.toString(), failure.reason(), failure.gone());
                frontier.finished(url, true);
                return true;
            }
            Fetcher.Page page = (Fetcher.Page) outcome;
            // a redirect to a page already crawled is not indexed twice
            boolean go = !page.url().equals(url) && !frontier.claim(page.url()) || handle(url, page);
            frontier.finished(url, true);
            return go;
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
                    ParsedDocument document = DocumentParser.parse(page.body(), DocumentParser.Kind.PDF,
                            page.url().toString(), fileName(page.url()));
                    return listener.document(requested.toString(), document,
                            new PageMeta(page.etag(), page.lastModified(), List.of()));
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
            return listener.document(requested.toString(), document,
                    new PageMeta(page.etag(), page.lastModified(), List.copyOf(links)));
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
