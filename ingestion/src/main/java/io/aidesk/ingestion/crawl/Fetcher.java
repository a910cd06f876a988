package io.aidesk.ingestion.crawl;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Fetches one URL the careful way: every redirect hop re-checked against the address policy, a redirect limit and
 * loop detection, a per-request timeout, retries with exponential backoff on timeouts and 5xx, a size cap, and a
 * politeness delay per host.
 */
final class Fetcher {
    sealed interface Outcome permits Page, Failure {
        URI url();
    }

    /** @param url the URL after redirects */
    record Page(URI url, int status, String contentType, byte[] body) implements Outcome {
    }

    /** @param gone the server says the page no longer exists (404, 410), so its old chunks go too */
    record Failure(URI url, String reason, boolean gone) implements Outcome {
        Failure(URI url, String reason) {
            this(url, reason, false);
        }
    }

    private final CrawlerSettings settings;
    private final AddressPolicy policy;
    private final HttpClient http;
    private final Map<String, Long> nextRequestAt = new ConcurrentHashMap<>();
    private final Map<String, Duration> crawlDelays = new ConcurrentHashMap<>();

    Fetcher(CrawlerSettings settings) {
        this.settings = settings;
        this.policy = new AddressPolicy(settings.allowLoopback(), settings.allowPrivate());
        this.http = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(settings.requestTimeout())
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    /** Politeness is per host and port. */
    static String hostKey(URI url) {
        return url.getHost() + ":" + url.getPort();
    }

    /** robots.txt may ask for a longer delay than ours; it is honoured up to maxCrawlDelay. */
    void crawlDelay(URI url, Duration delay) {
        if (delay.compareTo(settings.politenessDelay()) > 0) {
            crawlDelays.put(hostKey(url), delay.compareTo(settings.maxCrawlDelay()) > 0 ? settings.maxCrawlDelay() : delay);
        }
    }

    Outcome fetch(URI url) throws InterruptedException {
        Set<URI> hops = new HashSet<>();
        URI current = url;
        for (int hop = 0; hop <= settings.maxRedirects(); hop++) {
            if (!hops.add(current)) {
                return new Failure(url, "redirect loop at " + current);
            }
            String refusal = policy.refusal(current);
            if (refusal != null) {
                return new Failure(url, refusal);
            }
            Outcome outcome = fetchWithRetries(current);
            if (outcome instanceof Page page && page.status() >= 300 && page.status() < 400) {
                String location = new String(page.body());
                if (location.isEmpty()) {
                    return new Failure(url, "HTTP " + page.status() + " without a Location");
                }
                URI next = UrlNormalizer.normalize(location, current).orElse(null);
                if (next == null) {
                    return new Failure(url, "redirect to an unusable location: " + location);
                }
                current = next;
                continue;
            }
            if (outcome instanceof Page page && page.status() >= 400) {
                return new Failure(url, "HTTP " + page.status(), page.status() == 404 || page.status() == 410);
            }
            return outcome;
        }
        return new Failure(url, "more than " + settings.maxRedirects() + " redirects");
    }

    private Outcome fetchWithRetries(URI url) throws InterruptedException {
        String lastError = null;
        for (int attempt = 0; attempt <= settings.retries(); attempt++) {
            if (attempt > 0) {
                Thread.sleep(settings.retryBackoff().toMillis() << (attempt - 1));
            }
            waitForTurn(hostKey(url));
            try {
                Outcome outcome = fetchOnce(url);
                if (outcome instanceof Page page && page.status() >= 500) {
                    lastError = "HTTP " + page.status();
                    continue;
                }
                return outcome;
            } catch (HttpTimeoutException e) {
                lastError = "timed out after " + settings.requestTimeout().toSeconds() + " s";
            } catch (IOException e) {
                lastError = "connection failed: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
            }
        }
        return new Failure(url, lastError + " (after " + (settings.retries() + 1) + " attempts)");
    }

    private Outcome fetchOnce(URI url) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(url)
                .timeout(settings.requestTimeout())
                .header("User-Agent", settings.userAgent())
                .header("Accept", "text/html,application/xhtml+xml,application/pdf;q=0.9,text/plain;q=0.8,*/*;q=0.5")
                .GET().build();
        HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
            int status = response.statusCode();
            if (status >= 300 && status < 400) {
                return new Page(url, status, null, response.headers().firstValue("Location").orElse("").getBytes());
            }
            long declared = response.headers().firstValueAsLong("Content-Length").orElse(-1);
            if (declared > settings.maxPageBytes()) {
                return new Failure(url, "skipped: " + declared + " bytes is over the " + settings.maxPageBytes() + "-byte limit");
            }
            byte[] bytes = body.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, settings.maxPageBytes() + 1));
            if (bytes.length > settings.maxPageBytes()) {
                return new Failure(url, "skipped: over the " + settings.maxPageBytes() + "-byte limit");
            }
            return new Page(url, status, response.headers().firstValue("Content-Type").orElse(""), bytes);
        }
    }

    private void waitForTurn(String host) throws InterruptedException {
        Duration delay = crawlDelays.getOrDefault(host, settings.politenessDelay());
        long wait;
        synchronized (nextRequestAt) {
            long now = System.nanoTime();
            long at = Math.max(now, nextRequestAt.getOrDefault(host, now));
            nextRequestAt.put(host, at + delay.toNanos());
            wait = at - now;
        }
        if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
    }
}
