package io.aidesk.ingestion;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/** A real web site on 127.0.0.1 for crawl tests; pages can be changed or removed while it runs. */
public final class LoopbackSite implements AutoCloseable {
    /** @param dripEvery sends the body one byte per this long (a server that drips); zero sends it at once */
    public record Response(int status, String contentType, byte[] body, Map<String, String> headers, Duration dripEvery) {
        public Response(int status, String contentType, byte[] body, Map<String, String> headers) {
            this(status, contentType, body, headers, Duration.ZERO);
        }

        /** The page, one byte per interval. */
        public static Response dripping(String html, Duration every) {
            return new Response(200, "text/html; charset=utf-8", html.getBytes(StandardCharsets.UTF_8), Map.of(), every);
        }

        public static Response html(String html) {
            return new Response(200, "text/html; charset=utf-8", html.getBytes(StandardCharsets.UTF_8), Map.of());
        }

        public static Response of(String contentType, byte[] body) {
            return new Response(200, contentType, body, Map.of());
        }

        public static Response status(int status) {
            return new Response(status, "text/plain", ("status " + status).getBytes(StandardCharsets.UTF_8), Map.of());
        }

        public static Response redirect(String location) {
            return new Response(302, "text/plain", new byte[0], Map.of("Location", location));
        }
    }

    private final HttpServer server;
    private final Map<String, Function<Integer, Response>> pages = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private final List<String> conditionals = new CopyOnWriteArrayList<>();
    private volatile String requiredAuthorization;
    private volatile Duration latency = Duration.ZERO;
    private final AtomicInteger atOnce = new AtomicInteger();
    private final AtomicInteger mostAtOnce = new AtomicInteger();
    private final List<Long> arrivals = new CopyOnWriteArrayList<>();

    public LoopbackSite() {
        try {
            // without it the JDK server waits out delayed ACKs: ~40 ms per keep-alive request on loopback
            System.setProperty("sun.net.httpserver.nodelay", "true");
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/", this::serve);
        // a slow page holds its own thread, not the whole site
        server.setExecutor(Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "loopback-site");
            thread.setDaemon(true);
            return thread;
        }));
        server.start();
    }

    /** A help-center page with the navigation and footer a cleaner must drop. */
    public static String helpPage(String title, String body) {
        return "<html><head><title>" + title + "</title></head><body><nav><a href=\"/\">Home</a></nav>"
                + "<main><h1>" + title + "</h1>" + body + "</main><footer>© Acme</footer></body></html>";
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    public LoopbackSite page(String path, Response response) {
        pages.put(path, hit -> response);
        return this;
    }

    /** A page whose answer depends on how often it was requested (1 for the first request). */
    public LoopbackSite page(String path, Function<Integer, Response> byHit) {
        pages.put(path, byHit);
        return this;
    }

    public LoopbackSite remove(String path) {
        pages.remove(path);
        return this;
    }

    /** Every page answers 401 unless the request carries these HTTP Basic credentials. */
    public LoopbackSite requireBasicAuth(String username, String password) {
        requiredAuthorization = "Basic " + Base64.getEncoder()
                .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
        return this;
    }

    /** The Authorization header of every request, in order ("" for a request without one). */
    public List<String> authorizations() {
        return List.copyOf(authorizations);
    }

    /** The paths requested with If-None-Match or If-Modified-Since, in order. */
    public List<String> conditionalRequests() {
        return conditionals.stream().filter(path -> !path.isEmpty()).toList();
    }

    /** Every request waits this long before its answer starts: a server far away, or one slow to render. */
    public LoopbackSite answerAfter(Duration latency) {
        this.latency = latency;
        return this;
    }

    /** The most requests the site was answering at one moment. */
    public int mostAtOnce() {
        return mostAtOnce.get();
    }

    /** When each request arrived (System.nanoTime), in order. */
    public List<Long> arrivals() {
        return List.copyOf(arrivals);
    }

    public int hits(String path) {
        AtomicInteger count = hits.get(path);
        return count == null ? 0 : count.get();
    }

    private void serve(HttpExchange exchange) throws IOException {
        arrivals.add(System.nanoTime());
        mostAtOnce.accumulateAndGet(atOnce.incrementAndGet(), Math::max);
        try {
            if (!latency.isZero()) {
                Thread.sleep(latency.toMillis());
            }
            answer(exchange);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            atOnce.decrementAndGet();
        }
    }

    private void answer(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getRawPath()
                + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery());
        int hit = hits.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
        Function<Integer, Response> page = pages.getOrDefault(path, pages.get(exchange.getRequestURI().getRawPath()));
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        authorizations.add(authorization == null ? "" : authorization);
        Response response = requiredAuthorization != null && !requiredAuthorization.equals(authorization)
                ? new Response(401, "text/plain", "who are you?".getBytes(StandardCharsets.UTF_8),
                        Map.of("WWW-Authenticate", "Basic realm=\"help\""))
                : page == null ? Response.status(404) : page.apply(hit);
        exchange.getResponseHeaders().add("Content-Type", response.contentType());
        response.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
        conditionals.add(exchange.getRequestHeaders().getFirst("If-None-Match") != null
                || exchange.getRequestHeaders().getFirst("If-Modified-Since") != null ? path : "");
        // a page that names its validators answers a request that holds them as a real server does
        String etag = response.headers().get("ETag");
        String lastModified = response.headers().get("Last-Modified");
        if (response.status() == 200 && (etag != null && etag.equals(exchange.getRequestHeaders().getFirst("If-None-Match"))
                || lastModified != null && lastModified.equals(exchange.getRequestHeaders().getFirst("If-Modified-Since")))) {
            exchange.sendResponseHeaders(304, -1);
            exchange.close();
            return;
        }
        exchange.sendResponseHeaders(response.status(), response.body().length == 0 ? -1 : response.body().length);
        try (OutputStream out = exchange.getResponseBody()) {
            if (response.dripEvery().isZero()) {
                out.write(response.body());
                return;
            }
            for (byte b : response.body()) {
                out.write(b);
                out.flush();
                Thread.sleep(response.dripEvery().toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException clientGone) {
            // the crawler cut the page off
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
