package io.aidesk.ingestion.crawl;

import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.util.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Fetches URLs the careful way, for several fetching threads of one crawl at once: every redirect hop re-checked
 * against the address policy, a redirect limit and loop detection, a per-request timeout, a deadline for the whole page
 * (body included), retries with exponential backoff on timeouts and 5xx, a size cap, and a politeness delay per host
 * between the starts of two requests. Connections go only to the addresses the policy vetted when it resolved the
 * host, and a source's credentials are sent to the source's own origin only.
 */
final class Fetcher {
    sealed interface Outcome permits Page, NotModified, Failure {
        URI url();
    }

    /** @param url the URL after redirects; etag and lastModified as the server sent them, "" when it did not */
    record Page(URI url, int status, String contentType, byte[] body, String etag, String lastModified)
            implements Outcome {
        Page(URI url, int status, String contentType, byte[] body) {
            this(url, status, contentType, body, "", "");
        }
    }

    /** The server says the page did not change since the revisit's fetch (304). */
    record NotModified(URI url) implements Outcome {
    }

    /** @param gone the server says the page no longer exists (404, 410), so its old chunks go too */
    record Failure(URI url, String reason, boolean gone) implements Outcome {
        Failure(URI url, String reason) {
            this(url, reason, false);
        }
    }

    /** HTTP Basic credentials for one origin (scheme, host and port): never sent anywhere else. */
    record BasicAuth(URI origin, String username, String password) {
        BasicAuth {
            Objects.requireNonNull(origin, "origin");
            Objects.requireNonNull(username, "username");
            password = password == null ? "" : password;
        }

        boolean appliesTo(URI url) {
            return scheme(url).equals(scheme(origin)) && host(url).equals(host(origin)) && port(url) == port(origin);
        }

        String header() {
            return "Basic " + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String toString() {
            return "BasicAuth[" + origin + ", " + username + ":***]";
        }

        private static String scheme(URI url) {
            return url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        }

        private static String host(URI url) {
            return url.getHost() == null ? "" : url.getHost().toLowerCase(Locale.ROOT);
        }

        private static int port(URI url) {
            return url.getPort() != -1 ? url.getPort() : "https".equals(scheme(url)) ? 443 : 80;
        }
    }

    /** Cuts off requests at their deadline: one daemon thread serves every crawl. */
    private static final ScheduledExecutorService DEADLINES = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "crawler-deadlines");
        thread.setDaemon(true);
        return thread;
    });

    /** A page that did not arrive in full before its deadline (a server that drips its body, say). */
    private static final class CutOff extends IOException {
        CutOff() {
            super("cut off at its deadline");
        }
    }

    private final CrawlerSettings settings;
    private final AddressPolicy policy;
    private final BasicAuth auth;
    private final Instant syncDeadline;
    private final CloseableHttpClient http;
    /** the requests in flight: a crawl fetches several pages at once */
    private final Set<HttpGet> inFlight = ConcurrentHashMap.newKeySet();
    private volatile boolean aborted;
    private final Map<String, Long> nextRequestAt = new ConcurrentHashMap<>();
    private final Map<String, Duration> crawlDelays = new ConcurrentHashMap<>();

    Fetcher(CrawlerSettings settings) {
        this(settings, null, Instant.MAX);
    }

    /**
     * @param auth         the source's credentials; null when it has none
     * @param syncDeadline no request outlives it: one still running then is cut off and the sync times out
     */
    Fetcher(CrawlerSettings settings, BasicAuth auth, Instant syncDeadline) {
        this.settings = settings;
        this.policy = new AddressPolicy(settings.allowLoopback(), settings.allowPrivate());
        this.auth = auth;
        this.syncDeadline = syncDeadline;
        Timeout timeout = Timeout.of(settings.requestTimeout());
        this.http = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setDnsResolver(new VettedDns(policy))
                        .setMaxConnPerRoute(settings.fetchAhead())
                        .setMaxConnTotal(settings.fetchAhead())
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(timeout).setSocketTimeout(timeout).build())
                        .build())
                .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(timeout).build())
                .disableRedirectHandling()
                .disableAutomaticRetries()
                .disableCookieManagement()
                .disableAuthCaching()
                .disableContentCompression()
                .build();
    }

    /** The resolver the connections use: the policy's vetted answers, so what was checked is what is connected to. */
    private record VettedDns(AddressPolicy policy) implements DnsResolver {
        @Override
        public InetAddress[] resolve(String host) throws UnknownHostException {
            return policy.resolve(host);
        }

        @Override
        public String resolveCanonicalHostname(String host) throws UnknownHostException {
            return resolve(host)[0].getCanonicalHostName();
        }
    }

    /** Cuts off the requests in flight, and every later one: the crawl is being stopped. */
    void abort() {
        aborted = true;
        inFlight.forEach(HttpGet::cancel);
    }

    /** Closes the connections the crawl kept open. */
    void close() {
        try {
            http.close();
        } catch (IOException ignored) {
            // nothing is left to release
        }
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
        return fetch(url, null);
    }

    /** @param revisit what an earlier sync kept of the page: the first request asks whether it changed; null for none */
    Outcome fetch(URI url, Revisit revisit) throws InterruptedException {
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
            Outcome outcome = fetchWithRetries(current, hop == 0 ? revisit : null);
            if (outcome instanceof Page page && page.status() == 304) {
                return new NotModified(url);
            }
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

    private Outcome fetchWithRetries(URI url, Revisit revisit) throws InterruptedException {
        String lastError = null;
        for (int attempt = 0; attempt <= settings.retries(); attempt++) {
            if (attempt > 0) {
                Thread.sleep(settings.retryBackoff().toMillis() << (attempt - 1));
            }
            waitForTurn(hostKey(url));
            try {
                Outcome outcome = fetchOnce(url, revisit);
                if (outcome instanceof Page page && page.status() >= 500) {
                    lastError = "HTTP " + page.status();
                    continue;
                }
                return outcome;
            } catch (CutOff e) {
                // a server that took this long will take as long again: not retried
                return new Failure(url, "the page did not arrive in full within " + settings.pageTimeout().toSeconds()
                        + " s");
            } catch (SocketTimeoutException e) {
                lastError = "timed out after " + settings.requestTimeout().toSeconds() + " s";
            } catch (AddressPolicy.RefusedAddressException e) {
                // the host's answer changed since it was checked: refused, and not worth a retry
                return new Failure(url, e.getMessage());
            } catch (IOException e) {
                lastError = inWords(e);
            }
        }
        return new Failure(url, lastError + " (after " + (settings.retries() + 1) + " attempts)");
    }

    /** Why a connection failed, for the person reading the sync's errors (not the exception's class name). */
    static String inWords(IOException e) {
        if (e instanceof ConnectException) {
            return "the server refused the connection";
        }
        if (e instanceof NoRouteToHostException) {
            return "the host cannot be reached";
        }
        if (e instanceof UnknownHostException) {
            return "the host name does not resolve" + (e.getMessage() == null ? "" : ": " + e.getMessage());
        }
        if (e instanceof javax.net.ssl.SSLException) {
            return "the secure connection failed" + (e.getMessage() == null ? "" : ": " + e.getMessage());
        }
        if (e instanceof SocketException || e instanceof org.apache.hc.core5.http.ConnectionClosedException) {
            return "the server closed the connection";
        }
        return "the connection failed" + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    private Outcome fetchOnce(URI url, Revisit revisit) throws IOException {
        HttpGet request = new HttpGet(url);
        if (revisit != null && revisit.etag() != null) {
            request.setHeader(HttpHeaders.IF_NONE_MATCH, revisit.etag());
        }
        if (revisit != null && revisit.lastModified() != null) {
            request.setHeader(HttpHeaders.IF_MODIFIED_SINCE, revisit.lastModified());
        }
        request.setHeader(HttpHeaders.USER_AGENT, settings.userAgent());
        request.setHeader(HttpHeaders.ACCEPT, "text/html,application/xhtml+xml,application/pdf;q=0.9,text/plain;q=0.8,*/*;q=0.5");
        if (auth != null && auth.appliesTo(url)) {
            request.setHeader(HttpHeaders.AUTHORIZATION, auth.header());
        }
        // one deadline covers connecting, the headers and the whole body; the sync's own may come first
        Instant pageDeadline = Instant.now().plus(settings.pageTimeout());
        boolean syncEndsFirst = syncDeadline.isBefore(pageDeadline);
        AtomicBoolean cut = new AtomicBoolean();
        ScheduledFuture<?> timer = DEADLINES.schedule(() -> {
            cut.set(true);
            request.cancel();
        }, Math.max(0, Duration.between(Instant.now(), syncEndsFirst ? syncDeadline : pageDeadline).toMillis()),
                TimeUnit.MILLISECONDS);
        inFlight.add(request);
        if (aborted) {
            request.cancel();
        }
        // closing the response unread drops the connection: an oversized body is never downloaded in full
        try (ClassicHttpResponse response = http.executeOpen(null, request, null)) {
            return read(url, response);
        } catch (IOException e) {
            if (cut.get()) {
                if (syncEndsFirst) {
                    throw new SyncTimeoutException();
                }
                throw new CutOff();
            }
            if (aborted) {
                return new Failure(url, "stopped");
            }
            throw e;
        } finally {
            timer.cancel(false);
            inFlight.remove(request);
        }
    }

    private Outcome read(URI url, ClassicHttpResponse response) throws IOException {
        int status = response.getCode();
        if (status == 304) {
            return new Page(url, status, null, new byte[0]);
        }
        if (status >= 300 && status < 400) {
            return new Page(url, status, null, header(response, HttpHeaders.LOCATION).getBytes(StandardCharsets.UTF_8));
        }
        HttpEntity entity = response.getEntity();
        long declared = entity == null ? -1 : entity.getContentLength();
        if (declared > settings.maxPageBytes()) {
            return new Failure(url, "skipped: " + declared + " bytes is over the " + settings.maxPageBytes() + "-byte limit");
        }
        byte[] bytes = new byte[0];
        if (entity != null) {
            try (InputStream body = entity.getContent()) {
                bytes = body.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, settings.maxPageBytes() + 1));
            }
        }
        if (bytes.length > settings.maxPageBytes()) {
            return new Failure(url, "skipped: over the " + settings.maxPageBytes() + "-byte limit");
        }
        return new Page(url, status, header(response, HttpHeaders.CONTENT_TYPE), bytes, header(response, HttpHeaders.ETAG),
                header(response, HttpHeaders.LAST_MODIFIED));
    }

    private static String header(ClassicHttpResponse response, String name) {
        Header header = response.getFirstHeader(name);
        return header == null || header.getValue() == null ? "" : header.getValue();
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
