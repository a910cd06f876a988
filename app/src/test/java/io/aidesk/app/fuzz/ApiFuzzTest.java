package io.aidesk.app.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import io.aidesk.app.ApiTest;
import io.aidesk.app.WebhookReceiver;
import io.aidesk.app.fuzz.FuzzCases.Caller;
import io.aidesk.app.fuzz.FuzzCases.Ids;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Walks /v3/api-docs and sends every operation malformed, mistyped, oversized and foreign-tenant inputs under every
 * role, without a token and with forged ones. Every answer is a success or a problem+json with a detail, never a
 * 5xx; nothing malformed or forged is accepted; and another tenant, whose ids the attacker uses, is left exactly as it
 * was. The seed is fixed (-Daidesk.fuzz.seed=N draws other inputs) and printed.
 */
class ApiFuzzTest extends ApiTest {
    private static final long DEFAULT_SEED = 20261202L;
    // three attackers take turns at the operations, a fourth takes the uploads (FuzzCases#all)
    private static final int ATTACKERS = 4;

    @Value("${spring.datasource.url}")
    String url;
    @Value("${spring.flyway.user}")
    String owner;
    @Value("${spring.flyway.password}")
    String ownerPassword;

    private Wire wire;
    private static WebhookReceiver receiver;

    /** A tenant with one of each resource, so that the ids in requests are real; marker is in all its content. */
    private record Seeded(String tenant, String marker, Ids ids) {
    }

    @Test
    void everyOperationAnswersBadForeignAndForgedInputsWithAProblemAndLeavesOtherTenantsAlone() throws Exception {
        long seed = Long.getLong("aidesk.fuzz.seed", DEFAULT_SEED);
        System.out.println("API fuzz seed: " + seed + " (rerun with -Daidesk.fuzz.seed=" + seed + ")");
        wire = new Wire(port);
        long started = System.nanoTime();

        // the tenants are seeded side by side: each waits mostly for its own sync and run
        ExecutorService seeders = Executors.newFixedThreadPool(ATTACKERS);
        List<CompletableFuture<Seeded>> seeding = new ArrayList<>();
        for (int i = 1; i <= ATTACKERS; i++) {
            String name = "attacker" + i;
            seeding.add(CompletableFuture.supplyAsync(() -> seed(name), seeders));
        }
        Seeded victim = seed("victim");
        List<Seeded> attackers = seeding.stream().map(CompletableFuture::join).toList();
        seeders.shutdown();
        VictimState victimState = new VictimState(this::read, token(victim.tenant(), "vic-admin", "admin"),
                token(victim.tenant(), "vic-auditor", "auditor"), url, owner, ownerPassword, victim.tenant());
        Map<String, String> before = settled(victimState);
        System.out.printf("API fuzz victim state: %d reads through the API, %d tables%n",
                before.keySet().stream().filter(k -> k.startsWith("GET")).count(),
                before.keySet().stream().filter(k -> k.startsWith("db")).count());

        ApiOperations docs = new ApiOperations(JSON.readTree(get("/v3/api-docs", null).body()));
        List<ApiOperations.Operation> operations = docs.all();
        List<FuzzCases.Attacker> attacking = attackers.stream().map(attacker -> new FuzzCases.Attacker(attacker.ids(),
                callers(attacker.tenant(), victim.tenant()))).toList();
        List<FuzzRequest> requests = new FuzzCases(seed, attacking, victim.ids()).all(operations, 10, 2, 8);
        // the seed alone decides what is sent: drawn again, the same requests
        assertThat(new FuzzCases(seed, attacking, victim.ids()).all(operations, 10, 2, 8)).map(ApiFuzzTest::wireForm)
                .containsExactlyElementsOf(requests.stream().map(ApiFuzzTest::wireForm).toList());
        System.out.printf("API fuzz: %d requests over %d operations, set up in %.1f s%n", requests.size(),
                operations.size(), (System.nanoTime() - started) / 1e9);

        FailureReport report = new FailureReport();
        long sending = System.nanoTime();
        // -Daidesk.fuzz.show=<input kind> prints every request of that kind and its answer, to look into one kind
        String show = System.getProperty("aidesk.fuzz.show", "");
        for (FuzzRequest request : requests) {
            Wire.Answer answer = wire.send(request);
            report.check(request, answer, victim.marker());
            if (request.input().equals(show)) {
                System.out.printf("%s %s as %s [%s] → %d %s%n", request.method(), FuzzCases.abbreviate(request.target(), 110),
                        request.caller(), request.detail(), answer.status(), answer.snippet(300));
            }
        }
        double seconds = (System.nanoTime() - sending) / 1e9;

        // what the attacker's requests set going (runs, syncs) settles before the victim is read again
        Thread.sleep(2000);
        Map<String, String> after = victimState.read();
        report.compare(before, after);
        // the comparison sees a change when there is one: the victim's own admin makes one
        expect(put("/api/ai/settings", token(victim.tenant(), "vic-admin", "admin"), "{\"confidence_threshold\": 0.42}"), 200);
        assertThat(victimState.read()).as("the victim's state read after its own change").isNotEqualTo(after);
        System.out.printf("API fuzz: %d requests in %.1f s (%.0f/s), %.1f s in all%n", requests.size(), seconds,
                requests.size() / seconds, (System.nanoTime() - started) / 1e9);
        String text = report.text();
        System.out.println(report.coverage());
        System.out.println(text);
        assertThat(requests.size()).as("requests per run").isGreaterThanOrEqualTo(2000);
        assertThat(report.failures()).as(text).isZero();
    }

    // --- tenants --------------------------------------------------------------------------------------------------

    private Seeded seed(String role) {
        String tenant = "fuzz-" + role + "-" + UUID.randomUUID();
        String marker = "marker" + UUID.randomUUID().toString().replace("-", "");
        String admin = token(tenant, role + "-admin", "admin");
        String service = token(tenant, role + "-crm", "service");
        // the autopilot may cancel with approval, so a run waits for an admin and there is an approval to attack
        expect(put("/api/ai/settings", admin, """
                {"autopilot_enabled": true, "confidence_threshold": 0, "escalation_rules": [],
                 "allowed_tools": ["create_ticket", "cancel_subscription"]}"""), 200);
        String contact = expect(call("POST", "/api/crm/contacts", service,
                "{\"name\": \"Ann " + marker + "\", \"plan\": \"pro\"}", Map.of()), 201).json().path("id").asText();
        String source = expect(upload("/api/ai/kb/sources", admin, Map.of("type", "file"), "help-" + marker + ".txt",
                ("You can cancel your subscription at any time; the cancellation takes effect at the end of the "
                        + "month. " + marker).getBytes(StandardCharsets.UTF_8)), 201).json().path("id").asText();
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> !List.of("queued", "syncing")
                .contains(get("/api/ai/kb/sources/" + source, admin).json().path("status").asText()));
        // a chunk of the uploaded file, so a file citation's download has a real id to attack
        String chunk = expect(call("POST", "/api/ai/kb/query", admin, "{\"query\": \"cancel subscription\"}", Map.of()),
                200).json().path("chunks").path(0).path("chunk_id").asText();
        // an endpoint that hears of approvals, so there is a webhook and a delivery of it to attack
        String webhook = expect(call("POST", "/api/ai/webhooks", admin, "{\"url\": \"" + receiver() + "\", "
                + "\"event_types\": [\"approval.requested\"], \"description\": \"" + marker + "\"}", Map.of()), 201)
                .json().path("id").asText();
        String conversation = expect(call("POST", "/api/ai/conversations", service, "{\"channel\": \"web\", "
                + "\"contact_id\": \"" + contact + "\", \"subject\": \"" + marker + "\"}", Map.of()), 201).json().path("id").asText();
        String message = expect(call("POST", "/api/ai/conversations/" + conversation + "/messages", service,
                "{\"sender\": \"customer\", \"text\": \"I want to cancel my subscription " + marker + "\"}", Map.of()), 201)
                .json().path("id").asText();
        JsonNode run = settledRun(service, conversation, message);
        JsonNode pending = get("/api/ai/approvals?status=pending", admin).json().path("items");
        String call = pending.isEmpty() ? UUID.randomUUID().toString() : pending.get(0).path("call_id").asText();
        String argsHash = pending.isEmpty() ? "0".repeat(64) : pending.get(0).path("action").path("args_hash").asText();
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> pending.isEmpty() || get("/api/ai/webhooks/"
                + webhook + "/deliveries?status=delivered", admin).json().path("items").size() == 1);
        JsonNode deliveries = get("/api/ai/webhooks/" + webhook + "/deliveries", admin).json().path("items");
        String delivery = deliveries.isEmpty() ? "msg_" + "0".repeat(32) : deliveries.get(0).path("id").asText();
        // a replay of one test question, so its read and its cancel have a real id to attack
        String replay = expect(call("POST", "/api/ai/replays", admin, "{\"selection\": {\"questions\": "
                + "[\"How do I cancel my subscription?\"]}}", Map.of()), 202).json().path("replay_id").asText();
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> "completed".equals(get("/api/ai/replays/"
                + replay, admin).json().path("replay").path("status").asText()));
        System.out.printf("API fuzz %s tenant %s: run %s %s, approval %s%n", role, tenant, run.path("run_id").asText(),
                run.path("status").asText(), pending.isEmpty() ? "none" : call);
        return new Seeded(tenant, marker, new Ids(source, conversation, message, run.path("run_id").asText(), call,
                argsHash, contact, webhook, delivery, chunk, replay));
    }

    /** A CRM's webhook receiver on loopback that takes every delivery. */
    private static synchronized String receiver() {
        if (receiver == null) {
            receiver = new WebhookReceiver();
        }
        return receiver.url();
    }

    @AfterAll
    static void stopTheReceiver() {
        if (receiver != null) {
            receiver.close();
        }
    }

    private static String wireForm(FuzzRequest request) {
        return request.method() + " " + request.target() + " " + request.headers() + " "
                + (request.body() == null ? "" : Arrays.hashCode(request.body()) + "/" + request.body().length);
    }

    private static Response expect(Response response, int status) {
        if (response.status() != status) {
            throw new AssertionError("setting up the fuzz tenants: expected " + status + ", got " + response);
        }
        return response;
    }

    /** The victim's state once two reads a second apart agree: what its own seeding set going has finished. */
    private static Map<String, String> settled(VictimState state) {
        AtomicReference<Map<String, String>> last = new AtomicReference<>(state.read());
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1))
                .until(() -> {
                    Map<String, String> now = state.read();
                    return now.equals(last.getAndSet(now));
                });
        return last.get();
    }

    /** A read as the victim, through the same wire as the attack. */
    private Wire.Answer read(String path, String token) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Authorization", "Bearer " + token);
        return wire.send(new FuzzRequest("GET " + path, "victim", "read", "", "GET", path, headers, null, false, null));
    }

    // --- callers --------------------------------------------------------------------------------------------------

    /** The attacker's four roles, no token, and tokens that must let no one in (one a request, drawn in turn). */
    private List<Caller> callers(String tenant, String victim) {
        List<Caller> callers = new ArrayList<>();
        for (String role : List.of("admin", "agent", "auditor", "service")) {
            callers.add(new Caller(role, "Bearer " + token(tenant, "mallory-" + role, role), true));
        }
        callers.add(new Caller("no token", null, false));
        Instant now = Instant.now();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().subject("mallory").claim("tid", victim)
                .claim("roles", List.of("admin", "agent", "auditor", "service"));
        Map<String, String> forged = new LinkedHashMap<>();
        forged.put("another key", sign(claims.issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(600))).build(), "not-the-secret-" + "x".repeat(40)));
        forged.put("alg none", unsigned(claims.build()));
        forged.put("expired", sign(claims.issueTime(Date.from(now.minusSeconds(7200)))
                .expirationTime(Date.from(now.minusSeconds(3600))).build(), secret));
        forged.put("no exp", sign(new JWTClaimsSet.Builder().subject("mallory").claim("tid", tenant)
                .claim("roles", List.of("admin")).issueTime(Date.from(now)).build(), secret));
        forged.put("issued tomorrow", sign(new JWTClaimsSet.Builder().subject("mallory").claim("tid", tenant)
                .claim("roles", List.of("admin")).issueTime(Date.from(now.plusSeconds(86_400)))
                .expirationTime(Date.from(now.plusSeconds(90_000))).build(), secret));
        forged.put("not before tomorrow", sign(new JWTClaimsSet.Builder().subject("mallory").claim("tid", tenant)
                .claim("roles", List.of("admin")).issueTime(Date.from(now)).notBeforeTime(Date.from(now.plusSeconds(86_400)))
                .expirationTime(Date.from(now.plusSeconds(90_000))).build(), secret));
        String valid = token(tenant, "mallory", "admin");
        forged.put("signature cut", valid.substring(0, valid.length() - 5));
        forged.put("garbage", "x.y.z");
        for (Map.Entry<String, String> token : forged.entrySet()) {
            callers.add(new Caller("forged token: " + token.getKey(), "Bearer " + token.getValue(), false));
        }
        callers.add(new Caller("forged token: basic scheme", "Basic " + java.util.Base64.getEncoder()
                .encodeToString("admin:admin".getBytes(StandardCharsets.UTF_8)), false));
        return callers;
    }

    private static String unsigned(JWTClaimsSet claims) {
        return Base64URL.encode("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + Base64URL.encode(claims.toString()) + ".";
    }
}
