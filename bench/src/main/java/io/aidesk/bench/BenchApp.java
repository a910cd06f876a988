package io.aidesk.bench;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aidesk.app.AiDeskApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** AI Desk started in-process on a random port, against the database the launcher prepared, driven over HTTP. */
public final class BenchApp implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final String secret = "bench-" + UUID.randomUUID() + "-" + UUID.randomUUID();
    private final ConfigurableApplicationContext context;
    private final HttpClient http = HttpClient.newHttpClient();
    final int port;

    public BenchApp() {
        this(Map.of());
    }

    /** @param extra settings of the bench's own, over the defaults below */
    public BenchApp(Map<String, Object> extra) {
        System.setProperty("axoniq.update-checker.disabled", "true");
        System.setProperty("disable-axoniq-console-message", "true");
        Map<String, Object> properties = new HashMap<>();
        properties.put("server.port", 0);
        properties.put("aidesk.security.jwt.secret", secret);
        // fixed, so a database kept between runs (bench eval --reuse) still opens what it sealed
        properties.put("aidesk.privacy.master-key", "bench-master-key-for-the-bench-database-only");
        properties.put("aidesk.crawler.allow-loopback", true);
        properties.put("aidesk.crawler.politeness-delay", "0ms");
        properties.put("aidesk.rate-limits.sync-requests-per-minute", 1000);
        properties.put("aidesk.rate-limits.agent-runs-per-minute", 1_000_000);
        properties.put("aidesk.autopilot.settle-wait", "60s");
        properties.put("logging.level.root", "WARN");
        properties.putAll(extra);
        // command-line arguments, so they win over application.yml
        context = new SpringApplicationBuilder(AiDeskApplication.class).run(properties.entrySet().stream()
                .map(property -> "--" + property.getKey() + "=" + property.getValue()).toArray(String[]::new));
        port = Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
    }

    /** A connection as the database's owner, which row-level security does not hold to: for loading bench data. */
    public static java.sql.Connection ownerConnection() throws java.sql.SQLException {
        String url = "jdbc:postgresql://" + env("AIDESK_DB_HOST", "localhost") + ":" + env("AIDESK_DB_PORT", "54329")
                + "/" + env("AIDESK_DB_NAME", "aidesk_bench");
        return java.sql.DriverManager.getConnection(url, env("AIDESK_DB_OWNER", "aidesk"),
                env("AIDESK_DB_OWNER_PASSWORD", "aidesk"));
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    public String token(String tenant) {
        return token(tenant, secret);
    }

    /** An admin and service token of the tenant, signed with the secret the AI Desk it calls was started with. */
    public static String token(String tenant, String secret) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder()
                    .subject("bench").claim("tid", tenant).claim("roles", List.of("admin", "service"))
                    .expirationTime(Date.from(Instant.now().plusSeconds(7200))).build());
            jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
            return jwt.serialize();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public JsonNode call(String method, String path, String token, String body) {
        try {
            String answer = text(method, path, token, body);
            return answer.isEmpty() ? JSON.nullNode() : JSON.readTree(answer);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The answer's body as it came (NDJSON, say); a status of 300 or more is an exception. */
    String text(String method, String path, String token, String body) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                    .header("Authorization", "Bearer " + token)
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
            if (body != null) {
                request.header("Content-Type", "application/json");
            }
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() >= 300) {
                throw new IllegalStateException(method + " " + path + " → " + response.statusCode() + " " + response.body());
            }
            return response.body();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Polls a source until its sync settles and returns the source. */
    public JsonNode awaitSync(String token, String sourceId, String previousSyncAt) throws InterruptedException {
        while (true) {
            JsonNode source = call("GET", "/api/ai/kb/sources/" + sourceId, token, null);
            String status = source.path("status").asText();
            if ((status.equals("ok") || status.equals("failed"))
                    && !source.path("stats").path("last_synced_at").asText().equals(previousSyncAt)) {
                return source;
            }
            Thread.sleep(250);
        }
    }

    @Override
    public void close() {
        context.close();
    }
}
