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

/**
 * A demo tenant's help center (acme: Acme Plumbing in English, globex: Globex Seguros in Spanish), served on loopback
 * from this module's resources (demo/NAME/...) with a robots.txt, for the demo and the eval bench.
 */
public final class DemoSite implements AutoCloseable {
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

    private void serve(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        byte[] body;
        String type = "text/html; charset=utf-8";
        if (path.equals("/robots.txt")) {
            body = "User-agent: *\nDisallow: /internal/\n".getBytes(StandardCharsets.UTF_8);
            type = "text/plain";
        } else {
            String resource = path.equals("/") ? "index.html" : path.substring(1) + (path.endsWith(".html") ? "" : ".html");
            try (InputStream in = resource.contains("..") ? null
                    : DemoSite.class.getResourceAsStream("/demo/" + name + "/" + resource)) {
                body = in == null ? null : in.readAllBytes();
            }
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
