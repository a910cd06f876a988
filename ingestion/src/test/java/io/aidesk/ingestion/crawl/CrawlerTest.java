package io.aidesk.ingestion.crawl;

import io.aidesk.api.knowledge.CrawlConfig;
import io.aidesk.ingestion.LoopbackSite;
import io.aidesk.ingestion.LoopbackSite.Response;
import io.aidesk.ingestion.TestFiles;
import io.aidesk.ingestion.parse.ParsedDocument;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Crawls a real site served on loopback. */
class CrawlerTest {
    private final LoopbackSite site = new LoopbackSite();

    private static CrawlerSettings settings(long maxPageBytes) {
        return settings(maxPageBytes, Duration.ZERO);
    }

    private static CrawlerSettings settings(long maxPageBytes, Duration politenessDelay) {
        return new CrawlerSettings(true, false, Duration.ofSeconds(2), Duration.ofSeconds(3), 2, Duration.ofMillis(10),
                politenessDelay, Duration.ofSeconds(1), maxPageBytes, 5, "AIDeskBot/0.1", Duration.ofMinutes(1), 100, 4);
    }

    @AfterEach
    void stop() {
        site.close();
    }

    private static final class Recorder implements Crawler.Listener {
        final Map<String, ParsedDocument> documents = new LinkedHashMap<>();
        final Map<String, String> errors = new LinkedHashMap<>();
        final List<Integer> expected = new ArrayList<>();

        @Override
        public boolean document(String requestedUrl, ParsedDocument document, PageMeta meta) {
            documents.put(document.url(), document);
            return true;
        }

        @Override
        public void error(String url, String reason, boolean gone) {
            errors.put(url, reason);
        }

        @Override
        public void expected(int total) {
            expected.add(total);
        }
    }

    private static String page(String title, String body) {
        return "<html><head><title>" + title + "</title></head><body>"
                + "<nav><a href=\"/\">Home</a> <a href=\"/help/a\">Help A</a></nav>"
                + "<div class=\"cookie-consent\">We use cookies</div>"
                + "<main><h1>" + title + "</h1>" + body + "</main><footer>Footer text</footer></body></html>";
    }

    private Recorder crawl(CrawlConfig config, long maxPageBytes) throws InterruptedException {
        Recorder recorder = new Recorder();
        new Crawler(settings(maxPageBytes)).crawl(site.url("/"), config, Instant.now().plusSeconds(60), recorder);
        return recorder;
    }

    @Test
    void crawlsAHelpCenterTheWayItsOwnerWants() throws InterruptedException {
        site.page("/robots.txt", Response.of("text/plain", ("User-agent: *\nDisallow: /private\nSitemap: "
                        + site.url("/sitemap.xml") + "\n").getBytes()))
                .page("/sitemap.xml", Response.of("application/xml", ("<?xml version=\"1.0\"?><urlset xmlns=\""
                        + "http://www.sitemaps.org/schemas/sitemap/0.9\"><url><loc>" + site.url("/help/orphan")
                        + "</loc></url></urlset>").getBytes()))
                .page("/", Response.html(page("Acme help", """
                        <p>Welcome to Acme's help center.</p>
                        <a href="/help/a#prices">A</a> <a href="/help/a?utm_source=mail">A again</a>
                        <a href="/help/b/">B</a> <a href="/private/secret">secret</a>
                        <a href="/help/internal/notes">internal</a> <a href="/broken">broken</a>
                        <a href="/loop1">loop</a> <a href="/moved">moved</a> <a href="/docs/prices.pdf">prices</a>
                        <a href="/flaky">flaky</a> <a href="/big">big</a> <a href="mailto:help@acme.test">mail</a>
                        <a href="http://other.invalid/page">elsewhere</a>
                        """)))
                .page("/help/a", Response.html(page("Water heaters", "<h2>Prices</h2><p>Replacement costs $900.</p>")))
                .page("/help/b", Response.html(page("Drains", "<p>Drain cleaning from $150.</p>")))
                .page("/help/orphan", Response.html(page("Orphan", "<p>Only the sitemap links here.</p>")))
                .page("/private/secret", Response.html(page("Secret", "<p>Never crawl me.</p>")))
                .page("/help/internal/notes", Response.html(page("Internal", "<p>Staff only.</p>")))
                .page("/loop1", Response.redirect("/loop2"))
                .page("/loop2", Response.redirect("/loop1"))
                .page("/moved", Response.redirect("/help/b"))
                .page("/docs/prices.pdf", Response.of("application/pdf", TestFiles.pdf(List.of(
                        List.of("Price list"), List.of("Emergency call-out fee: $95.")))))
                .page("/flaky", hit -> hit == 1 ? Response.status(503) : Response.html(page("Flaky", "<p>Second try works.</p>")))
                .page("/big", Response.html(page("Big", "<p>" + "x".repeat(300_000) + "</p>")));

        Recorder crawl = crawl(new CrawlConfig(50, true, List.of(), List.of("/help/internal/**")), 200_000);

        assertThat(crawl.documents.keySet()).containsExactlyInAnyOrder(site.url("/"), site.url("/help/a"),
                site.url("/help/b"), site.url("/help/orphan"), site.url("/docs/prices.pdf"), site.url("/flaky"));
        assertThat(site.hits("/private/secret")).as("robots.txt").isZero();
        assertThat(site.hits("/help/internal/notes")).as("exclude_paths").isZero();
        assertThat(site.hits("/help/a")).as("fragment and tracking parameter normalised away").isEqualTo(1);
        assertThat(site.hits("/help/b")).as("the redirect to B is not indexed twice").isEqualTo(2);
        assertThat(crawl.errors).containsEntry(site.url("/broken"), "HTTP 404");
        assertThat(crawl.errors.get(site.url("/loop1"))).startsWith("redirect loop");
        assertThat(crawl.errors.get(site.url("/big"))).contains("limit");
        assertThat(crawl.errors).doesNotContainKey(site.url("/flaky"));

        ParsedDocument a = crawl.documents.get(site.url("/help/a"));
        String text = String.join(" ", a.blocks().stream().map(ParsedDocument.Block::text).toList());
        assertThat(text).contains("Replacement costs $900.").doesNotContain("Help A", "cookies", "Footer text");
        assertThat(a.blocks()).anySatisfy(block -> assertThat(block.headings()).containsExactly("Water heaters", "Prices"));
        assertThat(crawl.documents.get(site.url("/docs/prices.pdf")).blocks()).anySatisfy(block -> {
            assertThat(block.text()).contains("Emergency call-out fee");
            assertThat(block.page()).isEqualTo(2);
        });
    }

    @Test
    void maxPagesIsAHardCapAndIncludePathsLimitWhatIsIndexed() throws InterruptedException {
        StringBuilder links = new StringBuilder();
        for (int i = 0; i < 30; i++) {
            site.page("/help/p" + i, Response.html(page("Page " + i, "<p>Article " + i + "</p>")));
            links.append("<a href=\"/help/p").append(i).append("\">p").append(i).append("</a> ");
        }
        site.page("/", Response.html(page("Home", links + "<a href=\"/blog/post\">blog</a>")))
                .page("/blog/post", Response.html(page("Blog", "<p>Not help.</p>")));

        Recorder capped = crawl(new CrawlConfig(5, true, List.of(), List.of()), 1_000_000);
        assertThat(capped.documents.size() + capped.errors.size()).as("pages requested, the nav's dead link included")
                .isEqualTo(5);
        int requested = 0;
        for (int i = 0; i < 30; i++) {
            requested += site.hits("/help/p" + i);
        }
        assertThat(requested).isLessThanOrEqualTo(4);

        Recorder included = crawl(new CrawlConfig(100, true, List.of("/help/**"), List.of()), 1_000_000);
        assertThat(included.documents).hasSize(30);
        assertThat(included.documents.keySet()).allSatisfy(url -> assertThat(url).contains("/help/p"));
        assertThat(site.hits("/blog/post")).as("outside the include paths, and past the cap").isZero();
    }

    @Test
    void aPageThatDripsItsBodyIsCutOffAtItsDeadlineAndTheCrawlGoesOn() throws InterruptedException {
        site.page("/", Response.html(page("Home", "<a href=\"/help/drip\">drip</a> <a href=\"/help/b\">b</a>")))
                .page("/help/drip", Response.dripping(page("Drip", "<p>" + "slow ".repeat(200) + "</p>"),
                        Duration.ofMillis(100)))
                .page("/help/b", Response.html(page("B", "<p>Article B.</p>")));

        long started = System.nanoTime();
        Recorder recorder = crawl(new CrawlConfig(10, true, List.of(), List.of()), 1_000_000);
        long tookMs = (System.nanoTime() - started) / 1_000_000;

        assertThat(recorder.errors.get(site.url("/help/drip"))).isEqualTo("the page did not arrive in full within 3 s");
        assertThat(site.hits("/help/drip")).as("a page that drips is not asked for again").isEqualTo(1);
        assertThat(recorder.documents).containsKey(site.url("/help/b"));
        // the page's body takes over 100 s at this pace: the deadline, not the body, ended it
        assertThat(tookMs).isLessThan(20_000);
    }

    @Test
    void theSyncsDeadlineCutsOffThePageInFlight() {
        site.page("/", Response.dripping(page("Home", "<p>" + "slow ".repeat(200) + "</p>"), Duration.ofMillis(100)));

        long started = System.nanoTime();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Crawler(settings(1_000_000)).crawl(site.url("/"),
                        new CrawlConfig(10, true, List.of(), List.of()), Instant.now().plusSeconds(1), new Recorder()))
                .isInstanceOf(SyncTimeoutException.class)
                .hasMessageContaining("time limit while fetching a page");
        assertThat((System.nanoTime() - started) / 1_000_000).as("one second, not the page's 3 s").isLessThan(2_900);
    }

    @Test
    void aStoppedCrawlEndsAtOnceEvenInTheMiddleOfAPage() throws Exception {
        site.page("/", Response.html(page("Home", "<a href=\"/help/drip\">drip</a> <a href=\"/help/b\">b</a>")))
                .page("/help/drip", Response.dripping(page("Drip", "<p>" + "slow ".repeat(200) + "</p>"),
                        Duration.ofMillis(100)))
                .page("/help/b", Response.html(page("B", "<p>Article B.</p>")));
        Crawl handle = new Crawl();
        Recorder recorder = new Recorder();
        Thread crawling = new Thread(() -> {
            try {
                new Crawler(settings(1_000_000)).crawl(site.url("/"), null, new CrawlConfig(10, true, List.of(), List.of()),
                        Instant.now().plusSeconds(60), recorder, new Frontier.InMemory(), handle);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        crawling.start();
        long deadline = System.currentTimeMillis() + 10_000;
        while (site.hits("/help/drip") == 0 && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        Thread.sleep(300);

        long stopped = System.nanoTime();
        handle.stop();
        crawling.join(5_000);

        assertThat(crawling.isAlive()).isFalse();
        assertThat((System.nanoTime() - stopped) / 1_000_000).as("well before the page's 3 s deadline").isLessThan(1_500);
        assertThat(recorder.errors).as("a page cut off by a stop is no error of the site's")
                .doesNotContainKey(site.url("/help/drip"));
        assertThat(recorder.documents).as("a page fetched ahead is not handled after the stop")
                .doesNotContainKey(site.url("/help/b"));
    }

    @Test
    void aSlowServerGetsAFewRequestsAtOnceStillSpacedByThePolitenessDelayAndPagesAreHandledInCrawlOrder()
            throws InterruptedException {
        StringBuilder links = new StringBuilder();
        List<String> inOrder = new ArrayList<>(List.of(site.url("/")));
        for (int i = 0; i < 10; i++) {
            site.page("/help/p" + i, Response.html(page("Page " + i, "<p>Article " + i + "</p>")));
            links.append("<a href=\"/help/p").append(i).append("\">p").append(i).append("</a> ");
            inOrder.add(site.url("/help/p" + i));
        }
        site.page("/", Response.html(page("Home", links.toString()))).answerAfter(Duration.ofMillis(400));
        Duration delay = Duration.ofMillis(100);

        Recorder recorder = new Recorder();
        new Crawler(settings(1_000_000, delay)).crawl(site.url("/"), new CrawlConfig(20, true, List.of(), List.of()),
                Instant.now().plusSeconds(60), recorder);

        assertThat(recorder.documents.keySet()).as("handled in the order they were found").containsExactlyElementsOf(inOrder);
        assertThat(site.mostAtOnce()).as("the next pages wait on the server together, at most fetch-ahead of them")
                .isBetween(2, 4);
        List<Long> arrivals = site.arrivals();
        int bunched = 0;
        for (int i = 1; i < arrivals.size(); i++) {
            bunched += arrivals.get(i) - arrivals.get(i - 1) < delay.toNanos() / 2 ? 1 : 0;
        }
        // each start is booked a delay after the one before; a pause of this JVM may bunch one pair, not more
        assertThat(bunched).as("requests closer together than half the politeness delay").isLessThanOrEqualTo(1);
    }

    @Test
    void refusesPrivateAndLoopbackAddressesUnlessAllowed() {
        AddressPolicy strict = new AddressPolicy(false, false);
        assertThat(strict.refusal(java.net.URI.create("http://127.0.0.1:8080/"))).contains("loopback");
        assertThat(strict.refusal(java.net.URI.create("http://10.1.2.3/"))).contains("private");
        assertThat(strict.refusal(java.net.URI.create("http://169.254.169.254/latest/meta-data"))).contains("private");
        assertThat(strict.refusal(java.net.URI.create("http://[::1]/"))).contains("loopback");
        assertThat(strict.refusal(java.net.URI.create("file:///etc/passwd"))).contains("only http and https");
        assertThat(new AddressPolicy(true, false).refusal(java.net.URI.create("http://127.0.0.1/"))).isNull();
    }

    /** Every hop is judged by the policy: a public start that redirects to the metadata address in IPv6 dress is refused. */
    @Test
    void aRedirectToAnEmbeddedMetadataAddressIsRefused() throws InterruptedException {
        site.page("/", Response.html(page("Home", "<a href=\"/to-compatible\">a</a> <a href=\"/to-nat64\">b</a> "
                        + "<a href=\"/to-mapped\">c</a>")))
                .page("/to-compatible", Response.redirect("http://[::169.254.169.254]/latest/meta-data"))
                .page("/to-nat64", Response.redirect("http://[64:ff9b::a9fe:a9fe]/latest/meta-data"))
                .page("/to-mapped", Response.redirect("http://[::ffff:169.254.169.254]/latest/meta-data"));

        Recorder crawl = crawl(new CrawlConfig(10, false, List.of(), List.of()), 1_000_000);

        assertThat(crawl.documents).containsOnlyKeys(site.url("/"));
        for (String path : List.of("/to-compatible", "/to-nat64", "/to-mapped")) {
            assertThat(crawl.errors.get(site.url(path))).as(path).startsWith("refused: ")
                    .contains("private or reserved").contains("169.254.169.254");
        }
    }

    @Test
    void aServerThatIsNotThereIsSaidInWords() throws Exception {
        int closed;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        Recorder recorder = new Recorder();
        String url = "http://127.0.0.1:" + closed + "/";

        new Crawler(settings(1_000_000)).crawl(url, CrawlConfig.defaults(), Instant.now().plusSeconds(60), recorder);

        assertThat(recorder.errors.get(url)).isEqualTo("the server refused the connection (after 3 attempts)");
        assertThat(Fetcher.inWords(new java.net.UnknownHostException("help.acme.invalid")))
                .isEqualTo("the host name does not resolve: help.acme.invalid");
    }

    @Test
    void aSourcesCredentialsApplyToItsOwnOriginOnly() {
        Fetcher.BasicAuth auth = new Fetcher.BasicAuth(java.net.URI.create("https://help.acme.test/"), "ana", "pw");

        for (String same : List.of("https://help.acme.test/a", "https://HELP.acme.test:443/b?c=d")) {
            assertThat(auth.appliesTo(java.net.URI.create(same))).as(same).isTrue();
        }
        for (String other : List.of("http://help.acme.test/", "https://help.acme.test:8443/", "https://docs.acme.test/",
                "https://help.acme.test.evil.test/", "https://acme.test/")) {
            assertThat(auth.appliesTo(java.net.URI.create(other))).as(other).isFalse();
        }
        assertThat(auth.toString()).doesNotContain("pw");
    }

    @Test
    void normalisesUrls() {
        java.net.URI base = java.net.URI.create("https://Acme.test/help/");
        assertThat(UrlNormalizer.normalize("a/../b/?utm_source=x&id=3#top", base)).hasValue(java.net.URI.create("https://acme.test/help/b?id=3"));
        assertThat(UrlNormalizer.normalize("HTTPS://acme.test:443", null)).hasValue(java.net.URI.create("https://acme.test/"));
        assertThat(UrlNormalizer.normalize("javascript:alert(1)", base)).isEmpty();
    }
}
