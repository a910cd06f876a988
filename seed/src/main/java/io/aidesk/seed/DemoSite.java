package io.aidesk.seed;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * A demo tenant's help center (acme: Acme Plumbing in English, globex: Globex Seguros in Spanish) from this module's
 * resources (demo/NAME/...). The app serves it under {@link #PATH}NAME/ in the demo; the eval bench serves it here, on
 * a loopback port of its own, at the root with a robots.txt.
 */
public final class DemoSite implements AutoCloseable {
    /** Where the app serves the help centers in the demo (DemoTenant#sitePath). */
    public static final String PATH = "/demo-sites/";

    private final String name;
    private final HttpServer server;

    public DemoSite(String name) {
        this.name = name;
        try {
            System.setProperty("sun.net.httpserver.nodelay", "true");
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::serve);
        server.start();
    }

    /** The help center's home page. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    /**
     * The page at path (relative to the site: "", "help/hours"), its site-absolute links rebased onto base ("/" at the
     * root, "/demo-sites/acme/" in the app), or empty when the site has no such page.
     */
    public static Optional<byte[]> page(String site, String path, String base) {
        if (!site.matches("[a-z]+") || path.contains("..") || path.contains("//")) {
            return Optional.empty();
        }
        String resource = path.isEmpty() || path.equals("/") ? "index.html" : path + (path.endsWith(".html") ? "" : ".html");
        try (InputStream in = DemoSite.class.getResourceAsStream("/demo/" + site + "/" + resource)) {
            if (in == null) {
                return Optional.empty();
            }
            String html = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return Optional.of((base.equals("/") ? html : html.replace("href=\"/", "href=\"" + base))
                    .getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void serve(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        byte[] body;
        String type = "text/html; charset=utf-8";
        if (path.equals("/robots.txt")) {
            body = "User-agent: *\nDisallow: /internal/\n".getBytes(StandardCharsets.UTF_8);
            type = "text/plain";
        } else {
            body = page(name, path.substring(1), "/").orElse(null);
        }
        if (body == null) {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
            return;
        }
        exchange.getResponseHeaders().add("Content-Type", type);
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
