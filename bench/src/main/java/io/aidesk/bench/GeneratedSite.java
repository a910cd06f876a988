package io.aidesk.bench;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * A help center of N articles on loopback, generated from a fixed seed: a home page, 20 section pages and the
 * articles, each with headings, paragraphs and a list, about 350 words.
 */
final class GeneratedSite implements AutoCloseable {
    static final int SECTIONS = 20;
    private static final String[] TOPICS = {"water heater", "drain cleaning", "leak repair", "pipe replacement",
            "sewer line", "garbage disposal", "toilet repair", "faucet install", "sump pump", "gas line", "boiler",
            "radiator", "shower valve", "backflow test", "water softener", "frozen pipes", "septic tank", "hydro jetting",
            "emergency visit", "bathroom remodel"};
    private static final String[] WORDS = ("service customer technician appointment estimate price warranty permit "
            + "inspection replacement install repair visit hour weekend evening insurance invoice deposit schedule area "
            + "town county pressure valve tank pipe copper pex fitting seal leak flow heat noise smell clog camera").split(" ");

    private final HttpServer server;
    private final int pages;
    private final int sections;
    private final java.time.Duration drip;
    private final java.util.concurrent.atomic.AtomicInteger conditional = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.Map<String, java.util.concurrent.atomic.AtomicInteger> hits =
            new java.util.concurrent.ConcurrentHashMap<>();

    GeneratedSite(int pages) throws IOException {
        this(pages, SECTIONS, java.time.Duration.ZERO);
    }

    /**
     * @param sections how many section pages link the articles (at most {@link #SECTIONS})
     * @param drip     each page sends its body one byte per this long (a site that drips); zero sends it at once
     */
    GeneratedSite(int pages, int sections, java.time.Duration drip) throws IOException {
        this.pages = pages;
        this.sections = sections;
        this.drip = drip;
        // without it the JDK server waits out delayed ACKs: ~40 ms per keep-alive request on loopback
        System.setProperty("sun.net.httpserver.nodelay", "true");
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            hits.computeIfAbsent(path, key -> new java.util.concurrent.atomic.AtomicInteger()).incrementAndGet();
            String html = render(path);
            byte[] body = (html == null ? "not found" : html).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", html == null ? "text/plain" : "text/html; charset=utf-8");
            // a page names its version, as real servers do, and answers 304 to a request that holds it
            String etag = "\"" + Integer.toHexString(java.util.Arrays.hashCode(body)) + "\"";
            if (html != null) {
                exchange.getResponseHeaders().add("ETag", etag);
                if (etag.equals(exchange.getRequestHeaders().getFirst("If-None-Match"))) {
                    conditional.incrementAndGet();
                    exchange.sendResponseHeaders(304, -1);
                    exchange.close();
                    return;
                }
            }
            exchange.sendResponseHeaders(html == null ? 404 : 200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                if (drip.isZero() || html == null) {
                    out.write(body);
                    return;
                }
                for (byte b : body) {
                    out.write(b);
                    out.flush();
                    Thread.sleep(drip.toMillis());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException clientGone) {
                // the crawler cut the page off
            }
        });
        server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
        server.start();
    }

    /** Requests answered 304 Not Modified. */
    int notModified() {
        return conditional.get();
    }

    /** Pages (robots.txt and sitemap.xml aside) requested more than once. */
    int refetched() {
        return (int) hits.entrySet().stream().filter(hit -> hit.getKey().equals("/") || hit.getKey().startsWith("/s/")
                || hit.getKey().startsWith("/a/")).filter(hit -> hit.getValue().get() > 1).count();
    }

    /** Pages served, sections and home included: the site's size as a crawl sees it. */
    int size() {
        return 1 + sections + pages;
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    private String render(String path) {
        if (path.equals("/")) {
            StringBuilder links = new StringBuilder("<h1>Help center</h1><ul>");
            for (int s = 0; s < sections; s++) {
                links.append("<li><a href=\"/s/").append(s).append("\">").append(TOPICS[s]).append("</a></li>");
            }
            return page("Help center", links + "</ul>");
        }
        if (path.startsWith("/s/")) {
            int section = Integer.parseInt(path.substring(3));
            StringBuilder links = new StringBuilder("<h1>" + TOPICS[section] + "</h1><ul>");
            for (int a = section; a < pages; a += sections) {
                links.append("<li><a href=\"/a/").append(a).append("\">Article ").append(a).append("</a></li>");
            }
            return page(TOPICS[section], links + "</ul>");
        }
        if (path.startsWith("/a/")) {
            int article = Integer.parseInt(path.substring(3));
            if (article >= pages) {
                return null;
            }
            return page("Article " + article, article(article));
        }
        return null;
    }

    private static String article(int n) {
        Random random = new Random(n);
        String topic = TOPICS[n % SECTIONS];
        StringBuilder html = new StringBuilder("<h1>" + topic + " guide " + n + "</h1>");
        for (String heading : new String[]{"What to expect", "Prices and timing", "Before we arrive"}) {
            html.append("<h2>").append(heading).append("</h2>");
            for (int p = 0; p < 2; p++) {
                html.append("<p>").append(sentence(random, topic, 45)).append("</p>");
            }
        }
        html.append("<ul>");
        for (int i = 0; i < 3; i++) {
            html.append("<li>").append(sentence(random, topic, 8)).append("</li>");
        }
        return html.append("</ul>").toString();
    }

    private static String sentence(Random random, String topic, int words) {
        StringBuilder text = new StringBuilder("Our " + topic);
        for (int i = 0; i < words; i++) {
            text.append(' ').append(WORDS[random.nextInt(WORDS.length)]);
            if (i % 12 == 11) {
                text.append('.').append(" The ").append(topic);
            }
        }
        return text.append('.').toString();
    }

    private static String page(String title, String main) {
        return "<html><head><title>" + title + "</title></head><body><nav><a href=\"/\">Home</a></nav><main>" + main
                + "</main><footer>Generated help center</footer></body></html>";
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
