package io.aidesk.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aidesk.seed.DemoSite;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * What a reviewer waits for: one tenant with --runs autopilot runs on the Acme demo help center, then the run list
 * (first page, filtered, every page by cursor), a run's detail and event stream, the NDJSON export, the chain's verify
 * and a rebuild of the tenant's read models, each timed through HTTP.
 */
final class AuditBench {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> MESSAGES = List.of(
            "How much does it cost to replace a water heater?",
            "My water heater is leaking and there is no hot water, call me on +1 415 555 0134",
            "Are you open on Saturdays?",
            "The drain in my kitchen is blocked and not working",
            "Can I talk to a real person please? My email is ann.lee@example.com");
    private static final int SAMPLES = 30;

    private AuditBench() {
    }

    static void run(String[] args) throws Exception {
        int runs = Bench.option(args, "runs", 300);
        try (BenchApp app = new BenchApp(); DemoSite site = new DemoSite("acme")) {
            String token = app.token("audit-bench-" + UUID.randomUUID());
            String source = app.call("POST", "/api/ai/kb/sources", token, JSON.writeValueAsString(Map.of("type", "url",
                    "url", site.url(), "config", Map.of("max_pages", 50)))).path("id").asText();
            app.awaitSync(token, source, "");
            app.call("PUT", "/api/ai/settings", token, """
                    {"autopilot_enabled": true, "allowed_tools": ["create_ticket", "add_internal_note", "handoff_to_human"]}
                    """);
            String contact = app.call("POST", "/api/crm/contacts", token, "{\"name\": \"Bench Customer\"}").path("id")
                    .asText();
            List<String> runIds = new ArrayList<>();
            long started = System.nanoTime();
            for (int i = 0; i < runs; i++) {
                String conversation = app.call("POST", "/api/ai/conversations", token,
                        "{\"channel\": \"web\", \"contact_id\": \"" + contact + "\"}").path("id").asText();
                String message = app.call("POST", "/api/ai/conversations/" + conversation + "/messages", token,
                        JSON.writeValueAsString(Map.of("sender", "customer", "text",
                                MESSAGES.get(i % MESSAGES.size())))).path("id").asText();
                runIds.add(app.call("POST", "/api/ai/agent/handle-message", token, "{\"conversation_id\": \""
                        + conversation + "\", \"message_id\": \"" + message + "\"}").path("run_id").asText());
            }
            System.out.printf("%d autopilot runs in %.1f s%n", runs, (System.nanoTime() - started) / 1e9);
            long events = awaitChained(app, token);

            System.out.printf("%naudit bench: 1 tenant, %d runs, %d events, %d cores%n", runs, events,
                    Runtime.getRuntime().availableProcessors());
            report("run list, first 50", time(() -> app.call("GET", "/api/ai/runs?limit=50", token, null)));
            report("run list, tool filter", time(() -> app.call("GET", "/api/ai/runs?limit=50&tool=create_ticket",
                    token, null)));
            int[] next = {0};
            report("run detail", time(() -> app.call("GET", "/api/ai/runs/" + runIds.get(next[0]++ % runs), token,
                    null)));
            report("run events", time(() -> app.call("GET", "/api/ai/runs/" + runIds.get(next[0]++ % runs) + "/events",
                    token, null)));
            long pages = System.nanoTime();
            int listed = 0;
            String cursor = null;
            do {
                JsonNode page = app.call("GET", "/api/ai/runs?limit=200" + (cursor == null ? "" : "&cursor=" + cursor),
                        token, null);
                listed += page.path("items").size();
                cursor = page.path("next_cursor").isNull() ? null : page.path("next_cursor").asText();
            } while (cursor != null);
            System.out.printf("  %-24s %d runs in %.0f ms%n", "every page (200 a page)", listed,
                    (System.nanoTime() - pages) / 1e6);
            throughput("export (NDJSON)", events, () -> app.text("GET",
                    "/api/ai/audit/export?from=2000-01-01&to=2999-01-01", token, null));
            throughput("verify", events, () -> app.call("GET", "/api/ai/audit/verify", token, null));
            throughput("rebuild", events, () -> app.call("POST", "/api/ai/admin/replay", token, null));
        }
    }

    /** Waits until the audit chain holds every event of the tenant (its processor runs behind). */
    private static long awaitChained(BenchApp app, String token) throws InterruptedException {
        long previous = -1;
        while (true) {
            JsonNode verify = app.call("GET", "/api/ai/audit/verify", token, null);
            long chained = verify.path("events").asLong();
            if (chained == previous && verify.path("ok").asBoolean()) {
                return chained;
            }
            previous = chained;
            Thread.sleep(2000);
        }
    }

    private static List<Double> time(Runnable call) {
        call.run();
        List<Double> samples = new ArrayList<>();
        for (int i = 0; i < SAMPLES; i++) {
            long started = System.nanoTime();
            call.run();
            samples.add((System.nanoTime() - started) / 1e6);
        }
        Collections.sort(samples);
        return samples;
    }

    private static void report(String name, List<Double> sorted) {
        System.out.printf("  %-24s p50 %6.1f ms   p95 %6.1f ms%n", name, sorted.get(sorted.size() / 2),
                sorted.get((int) Math.ceil(0.95 * sorted.size()) - 1));
    }

    private static void throughput(String name, long events, Supplier<Object> call) {
        long started = System.nanoTime();
        call.get();
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("  %-24s %d events in %.2f s = %.0f events/s%n", name, events, seconds, events / seconds);
    }
}
