package io.aidesk.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.File;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Syncs under load. Fairness (in-process): tenant B's 10-page site alone, then again while tenant A syncs a
 * 1,000-page site and tenant C's site drips one byte per second. Crash: a node is killed (-9) mid-sync and started
 * again; the sync completes without embedding a page twice. Two nodes: 10 sources of 5 tenants synced by two AI Desk
 * processes on one database, one of them killed midway.
 */
final class FairnessBench {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private FairnessBench() {
    }

    static void run(String[] args) throws Exception {
        System.out.printf("fairness bench: %d cores%n", Runtime.getRuntime().availableProcessors());
        // the nodes run the jar the launcher built; the bench runs from the repository's root
        if (!new File("app/target/aidesk-exec.jar").isFile()) {
            throw new IllegalStateException("app/target/aidesk-exec.jar is missing: run the bench through ./aidesk bench");
        }
        if (!List.of(args).contains("--no-fairness")) {
            fairness(Bench.option(args, "pages", 1000));
        }
        String secret = "bench-" + UUID.randomUUID();
        crash(secret);
        twoNodes(secret);
    }

    private static String source(BenchApp app, String token, String url, int maxPages) {
        return app.call("POST", "/api/ai/kb/sources", token, "{\"type\": \"url\", \"url\": \"" + url
                + "\", \"config\": {\"max_pages\": " + maxPages + "}}").path("id").asText();
    }

    /** Seconds from the request to the end of a small site's first sync, in a tenant of its own. */
    private static double smallSync(BenchApp app, GeneratedSite site) throws InterruptedException {
        String token = app.token("bench-b-" + UUID.randomUUID());
        long started = System.nanoTime();
        String id = source(app, token, site.url("/"), site.size());
        JsonNode done = app.awaitSync(token, id, "");
        if (!done.path("status").asText().equals("ok")) {
            throw new IllegalStateException("the small site's sync failed: " + done);
        }
        return (System.nanoTime() - started) / 1e9;
    }

    private static void fairness(int pages) throws Exception {
        try (GeneratedSite small = new GeneratedSite(8, 1, Duration.ZERO);
             GeneratedSite large = new GeneratedSite(pages);
             GeneratedSite dripping = new GeneratedSite(4, 1, Duration.ofSeconds(1));
             BenchApp app = new BenchApp()) {
            smallSync(app, small); // warms the model and the JIT
            double alone = (smallSync(app, small) + smallSync(app, small)) / 2;

            String a = app.token("bench-a-" + UUID.randomUUID());
            String largeId = source(app, a, large.url("/"), large.size());
            while (app.call("GET", "/api/ai/kb/sources/" + largeId, a, null).path("stats").path("progress")
                    .path("done").asInt() < 50) {
                Thread.sleep(250);
            }
            String c = app.token("bench-c-" + UUID.randomUUID());
            String drippingId = source(app, c, dripping.url("/"), dripping.size());
            Thread.sleep(3000);
            double busy = smallSync(app, small);
            JsonNode aMidway = app.call("GET", "/api/ai/kb/sources/" + largeId, a, null);
            JsonNode cMidway = app.call("GET", "/api/ai/kb/sources/" + drippingId, c, null);

            long cancelAt = System.nanoTime();
            app.call("POST", "/api/ai/kb/sources/" + drippingId + "/cancel", c, null);
            String dripSync = app.call("GET", "/api/ai/kb/sources/" + drippingId + "/syncs", c, null)
                    .path("items").get(0).path("sync_id").asText();
            while (jobs(dripSync) > 0) {
                Thread.sleep(50);
            }
            double cancelSeconds = (System.nanoTime() - cancelAt) / 1e9;
            JsonNode aDone = app.awaitSync(a, largeId, "");
            System.out.printf("""
                      fairness (in-process, %d workers, 2 syncs per tenant)
                        tenant B, %d-page site alone         %6.2f s (mean of 2, after a warm-up)
                        tenant B while A syncs %d pages      %6.2f s = %.2f x alone   (A at %d/%d pages, C %s)
                          and C's site drips 1 byte/s
                        C's dripping sync cancelled: its job gone %.2f s after the request
                        tenant A's %d pages                  %6.1f s, %s, %d chunks
                    """, 4, small.size(), alone, large.size(), busy, busy / alone,
                    aMidway.path("stats").path("progress").path("done").asInt(),
                    aMidway.path("stats").path("progress").path("total").asInt(), cMidway.path("status").asText(),
                    cancelSeconds, large.size(), aDone.path("stats").path("last_sync").path("duration_ms").asLong() / 1000.0,
                    aDone.path("status").asText(), aDone.path("stats").path("chunks").asInt());
        }
    }

    private static void crash(String secret) throws Exception {
        try (GeneratedSite site = new GeneratedSite(300)) {
            Node node = Node.start(secret);
            String tenant = "bench-k-" + UUID.randomUUID();
            String token = BenchApp.token(tenant, secret);
            String id = node.call("POST", "/api/ai/kb/sources", token, "{\"type\": \"url\", \"url\": \"" + site.url("/")
                    + "\", \"config\": {\"max_pages\": " + site.size() + "}}").path("id").asText();
            while (node.call("GET", "/api/ai/kb/sources/" + id, token, null).path("stats").path("progress")
                    .path("done").asInt() < 100) {
                Thread.sleep(100);
            }
            node.kill();
            int chunksAtKill = chunks(id)[0];
            long restartAt = System.nanoTime();
            Node again = Node.start(secret, node.port);
            JsonNode done = again.awaitSync(token, id);
            double resumeSeconds = (System.nanoTime() - restartAt) / 1e9;
            int[] chunks = chunks(id);
            double embeddedAfter = again.embedded();
            again.stop();
            System.out.printf("""
                      crash: kill -9 after 100 of %d pages, started again
                        sync %s %.1f s after the restart; %d pages fetched, %d chunks
                        pages fetched twice %d (those in flight at the kill: fetched, not yet written), duplicate chunks %d
                        chunks embedded after the restart %.0f for %d new = %.0f embedded twice
                    """, site.size(), done.path("status").asText(), resumeSeconds,
                    done.path("stats").path("last_sync").path("fetched").asInt(), chunks[0], site.refetched(),
                    chunks[0] - chunks[1], embeddedAfter, chunks[0] - chunksAtKill,
                    embeddedAfter - (chunks[0] - chunksAtKill));
        }
    }

    private static void twoNodes(String secret) throws Exception {
        List<GeneratedSite> sites = new ArrayList<>();
        try {
            for (int i = 0; i < 10; i++) {
                sites.add(new GeneratedSite(80, 8, Duration.ZERO));
            }
            Node first = Node.start(secret);
            Node second = Node.start(secret);
            List<String[]> sources = new ArrayList<>();
            long started = System.nanoTime();
            for (int i = 0; i < 10; i++) {
                String token = BenchApp.token("bench-n-" + (i / 2) + "-" + secret.hashCode(), secret);
                Node node = i % 2 == 0 ? first : second;
                sources.add(new String[] {token, node.call("POST", "/api/ai/kb/sources", token, "{\"type\": \"url\", "
                        + "\"url\": \"" + sites.get(i).url("/") + "\", \"config\": {\"max_pages\": 200}}").path("id").asText()});
            }
            int total = sites.stream().mapToInt(GeneratedSite::size).sum();
            while (progress(first, sources) < total * 3 / 10) {
                Thread.sleep(200);
            }
            int atKill = progress(first, sources);
            second.kill();
            int ok = 0;
            for (String[] source : sources) {
                ok += first.awaitSync(source[0], source[1]).path("status").asText().equals("ok") ? 1 : 0;
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            int duplicates = 0;
            int chunks = 0;
            for (String[] source : sources) {
                int[] counted = chunks(source[1]);
                chunks += counted[0];
                duplicates += counted[0] - counted[1];
            }
            first.stop();
            System.out.printf("""
                      two nodes on one database: 10 sources of 5 tenants (%d pages), the second node killed -9 at %d pages
                        %d of 10 syncs ok in %.1f s, %d chunks, duplicate chunks %d
                        pages fetched twice %d (those in flight on the killed node: fetched, not yet written)
                    """, total, atKill, ok, seconds, chunks, duplicates,
                    sites.stream().mapToInt(GeneratedSite::refetched).sum());
        } finally {
            sites.forEach(GeneratedSite::close);
        }
    }

    private static int progress(Node node, List<String[]> sources) {
        int done = 0;
        for (String[] source : sources) {
            JsonNode view = node.call("GET", "/api/ai/kb/sources/" + source[1], source[0], null);
            done += view.path("status").asText().equals("ok") ? view.path("stats").path("documents").asInt()
                    : view.path("stats").path("progress").path("done").asInt();
        }
        return done;
    }

    /** The source's chunks, and its distinct (document, content) pairs: equal when none is doubled. */
    private static int[] chunks(String sourceId) throws Exception {
        try (Connection db = BenchApp.ownerConnection(); PreparedStatement query = db.prepareStatement(
                "SELECT count(*), count(DISTINCT (document_id, content_hash)) FROM ai_kb_chunks WHERE source_id = ?")) {
            query.setString(1, sourceId);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return new int[] {row.getInt(1), row.getInt(2)};
            }
        }
    }

    private static int jobs(String syncId) throws Exception {
        try (Connection db = BenchApp.ownerConnection();
             PreparedStatement query = db.prepareStatement("SELECT count(*) FROM ai_kb_sync_jobs WHERE task_instance = ?")) {
            query.setString(1, syncId);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return row.getInt(1);
            }
        }
    }

    /** AI Desk as a process of its own (the launcher's jar), on the bench's database. */
    private static final class Node {
        private final Process process;
        final int port;

        private Node(Process process, int port) {
            this.process = process;
            this.port = port;
        }

        static Node start(String secret) throws Exception {
            int port;
            try (ServerSocket free = new ServerSocket(0)) {
                port = free.getLocalPort();
            }
            return start(secret, port);
        }

        static Node start(String secret, int port) throws Exception {
            Path jar = Path.of("app/target/aidesk-exec.jar");
            Path log = Path.of("bench/target/fairness-node-" + port + ".log");
            Process process = new ProcessBuilder("java", "-jar", jar.toString(), "--server.port=" + port,
                    "--aidesk.security.jwt.secret=" + secret, "--aidesk.security.jwt.secret-file=",
                    "--aidesk.privacy.master-key=bench-master-key-for-the-bench-database-only",
                    "--aidesk.privacy.master-key-file=", "--aidesk.crawler.allow-loopback=true",
                    "--aidesk.crawler.politeness-delay=0ms", "--aidesk.rate-limits.sync-requests-per-minute=1000",
                    "--logging.level.root=WARN")
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            Node node = new Node(process, port);
            long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
            while (!node.healthy()) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    process.destroyForcibly();
                    throw new IllegalStateException("AI Desk on port " + port + " did not start; see " + log);
                }
                Thread.sleep(500);
            }
            return node;
        }

        private boolean healthy() {
            try {
                return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (Exception notYet) {
                return false;
            }
        }

        JsonNode call(String method, String path, String token, String body) {
            try {
                HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .header("Authorization", "Bearer " + token)
                        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(body));
                if (body != null) {
                    request.header("Content-Type", "application/json");
                }
                HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() >= 300) {
                    throw new IllegalStateException(method + " " + path + " → " + response.statusCode() + " "
                            + response.body());
                }
                return response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }

        JsonNode awaitSync(String token, String sourceId) throws InterruptedException {
            long deadline = System.nanoTime() + Duration.ofMinutes(15).toNanos();
            while (System.nanoTime() < deadline) {
                JsonNode source = call("GET", "/api/ai/kb/sources/" + sourceId, token, null);
                String status = source.path("status").asText();
                if (status.equals("ok") || status.equals("failed")) {
                    return source;
                }
                Thread.sleep(250);
            }
            throw new IllegalStateException("source " + sourceId + " did not finish its sync within 15 minutes");
        }

        /** Chunks this node embedded since it started (its Prometheus counter). */
        double embedded() throws Exception {
            String metrics = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/actuator/prometheus")).build(), HttpResponse.BodyHandlers.ofString()).body();
            return metrics.lines().filter(line -> line.startsWith("aidesk_embedding_texts_total")
                            && line.contains("kind=\"document\"")).mapToDouble(line -> Double.parseDouble(
                            line.substring(line.lastIndexOf(' ') + 1))).sum();
        }

        void kill() throws InterruptedException {
            process.destroyForcibly(); // SIGKILL: no shutdown hook, no graceful stop
            process.waitFor();
        }

        void stop() throws InterruptedException {
            process.destroy();
            process.waitFor();
        }
    }
}
