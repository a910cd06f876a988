package io.aidesk.ingestion.crawl;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * How politely and how safely AI Desk crawls (aidesk.crawler.*).
 *
 * @param allowLoopback   crawl 127.0.0.0/8 and ::1 (the demo serves its help centers there)
 * @param allowPrivate    crawl private, link-local and other non-public addresses
 * @param politenessDelay the least time between two requests to one host (robots.txt Crawl-delay may ask more)
 * @param maxCrawlDelay   the most a robots.txt Crawl-delay is honoured
 * @param requestTimeout  connecting, and each wait for bytes, take at most this long (retried)
 * @param pageTimeout     a page arrives in full within this, body included, or is skipped (not retried)
 * @param syncTimeout     a sync that runs longer fails, keeping what it indexed; it cuts off the page in flight
 * @param fetchAhead      pages one crawl fetches at once, so a slow server's latency overlaps; one host still gets
 *                        its requests no closer together than its politeness delay
 */
@ConfigurationProperties("aidesk.crawler")
public record CrawlerSettings(
        @DefaultValue("false") boolean allowLoopback,
        @DefaultValue("false") boolean allowPrivate,
        @DefaultValue("10s") Duration requestTimeout,
        @DefaultValue("30s") Duration pageTimeout,
        @DefaultValue("2") int retries,
        @DefaultValue("500ms") Duration retryBackoff,
        @DefaultValue("500ms") Duration politenessDelay,
        @DefaultValue("5s") Duration maxCrawlDelay,
        @DefaultValue("5242880") long maxPageBytes,
        @DefaultValue("5") int maxRedirects,
        @DefaultValue("AIDeskBot/0.1") String userAgent,
        @DefaultValue("30m") Duration syncTimeout,
        @DefaultValue("2000") int maxSitemapUrls,
        @DefaultValue("4") int fetchAhead) {
    public CrawlerSettings {
        if (fetchAhead < 1) {
            throw new IllegalArgumentException("aidesk.crawler.fetch-ahead must be at least 1, not " + fetchAhead);
        }
    }
}
