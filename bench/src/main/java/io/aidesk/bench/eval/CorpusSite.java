package io.aidesk.bench.eval;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** A directory of real documentation (a Debian documentation package) served on a loopback port as a help site. */
final class CorpusSite implements AutoCloseable {
    private final Path root;
    private final HttpServer server;
    private final AtomicInteger notModified = new AtomicInteger();

    CorpusSite(Path root) {
        this.root = root.toAbsolutePath().normalize();
        try {
            System.setProperty("sun.net.httpserver.nodelay", "true");
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::serve);
        server.start();
    }

    /** The requests answered 304 Not Modified. */
    int notModified() {
        return notModified.get();
    }

    String url(String page) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + page;
    }

    private void serve(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        Path file = root.resolve(path.substring(1)).normalize();
        if (!file.startsWith(root) || !Files.isRegularFile(file)) {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
            return;
        }
        // as a static file server answers: the file's time as Last-Modified, 304 when it has not changed since
        String modified = DateTimeFormatter.RFC_1123_DATE_TIME.format(
                Files.getLastModifiedTime(file).toInstant().truncatedTo(ChronoUnit.SECONDS).atZone(ZoneOffset.UTC));
        exchange.getResponseHeaders().add("Last-Modified", modified);
        if (modified.equals(exchange.getRequestHeaders().getFirst("If-Modified-Since"))) {
            notModified.incrementAndGet();
            exchange.sendResponseHeaders(304, -1);
            exchange.close();
            return;
        }
        byte[] body = Files.readAllBytes(file);
        String name = file.getFileName().toString();
        String type = name.endsWith(".html") ? "text/html; charset=utf-8"
                : name.endsWith(".css") ? "text/css" : name.endsWith(".txt") ? "text/plain; charset=utf-8"
                : name.endsWith(".pdf") ? "application/pdf" : "application/octet-stream";
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
