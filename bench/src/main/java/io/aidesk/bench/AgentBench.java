package io.aidesk.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aidesk.seed.DemoSite;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The autopilot end to end with the offline model: tenants that synced the Acme demo help center, each customer
 * message posted by a CRM service and handed to POST /api/ai/agent/handle-message, timed until the run settles
 * (answered with its tools run, handed over, or waiting for approval). Sequentially on one tenant, then concurrently
 * across tenants; the model's own time comes from each run's recorded decision latency.
 */
final class AgentBench {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** What Acme's customers write: questions the help center answers, reports of a problem, a cancellation. */
    private static final List<String> MESSAGES = List.of(
            "How much does it cost to replace a water heater?",
            "My water heater is leaking and there is no hot water",
            "Are you open on Saturdays?",
            "Do you charge extra for emergency call-outs at night?",
            "The drain in my kitchen is blocked and not working",
            "Which areas do you serve?",
            "I want to cancel my maintenance plan",
            "Can I talk to a real person please?");

    private AgentBench() {
    }

    private record Tenant(String token, String contactId) {
    }

    /** One handled message: its wall time through HTTP, the run's outcome and the model's share of it. */
    private record Sample(double wallMs, String status, long modelMs) {
    }

    static void run(String[] args) throws Exception {
        int sequentialRuns = Bench.option(args, "runs", 40);
        int tenantCount = Bench.option(args, "tenants", 10);
        int perTenant = Bench.option(args, "per-tenant", 10);
        try (BenchApp app = new BenchApp(); DemoSite site = new DemoSite("acme")) {
            List<Tenant> tenants = new ArrayList<>();
            List<String> sources = new ArrayList<>();
            for (int i = 0; i < tenantCount; i++) {
                String token = app.token("agent-bench-" + i + "-" + UUID.randomUUID());
                sources.add(app.call("POST", "/api/ai/kb/sources", token, JSON.writeValueAsString(Map.of("type", "url",
                        "url", site.url(), "config", Map.of("max_pages", 50)))).path("id").asText());
                app.call("PUT", "/api/ai/settings", token, """
                        {"autopilot_enabled": true, "allowed_tools": ["create_ticket", "add_internal_note",
                         "handoff_to_human", "cancel_subscription"]}
                        """);
                String contact = app.call("POST", "/api/crm/contacts", token,
                        "{\"name\": \"Bench Customer\", \"plan\": \"basic\"}").path("id").asText();
                tenants.add(new Tenant(token, contact));
            }
            for (int i = 0; i < tenantCount; i++) {
                app.awaitSync(tenants.get(i).token(), sources.get(i), "");
            }
            System.out.printf("%d tenants synced the Acme demo help center%n", tenantCount);

            for (int i = 0; i < 4; i++) {
                handle(app, tenants.get(0), MESSAGES.get(i % MESSAGES.size()));
            }
            List<Sample> sequential = new ArrayList<>();
            long started = System.nanoTime();
            for (int i = 0; i < sequentialRuns; i++) {
                sequential.add(handle(app, tenants.get(0), MESSAGES.get(i % MESSAGES.size())));
            }
            double sequentialSeconds = (System.nanoTime() - started) / 1e9;

            ExecutorService clients = Executors.newFixedThreadPool(tenantCount);
            List<Future<List<Sample>>> futures = new ArrayList<>();
            started = System.nanoTime();
            for (Tenant tenant : tenants) {
                futures.add(clients.submit(() -> {
                    List<Sample> samples = new ArrayList<>();
                    for (int i = 0; i < perTenant; i++) {
                        samples.add(handle(app, tenant, MESSAGES.get(i % MESSAGES.size())));
                    }
                    return samples;
                }));
            }
            List<Sample> concurrent = new ArrayList<>();
            for (Future<List<Sample>> future : futures) {
                concurrent.addAll(future.get());
            }
            double concurrentSeconds = (System.nanoTime() - started) / 1e9;
            clients.shutdown();

            System.out.printf("%nagent bench: handle-message until the run settles, offline model, %d cores%n",
                    Runtime.getRuntime().availableProcessors());
            report("sequential, 1 tenant", sequential, sequentialSeconds);
            report("concurrent, " + tenantCount + " tenants", concurrent, concurrentSeconds);
        }
    }

    /** A customer message posted by the CRM, then handed to the autopilot; timed from the post to the settled run. */
    private static Sample handle(BenchApp app, Tenant tenant, String text) throws Exception {
        long started = System.nanoTime();
        String conversation = app.call("POST", "/api/ai/conversations", tenant.token(),
                "{\"channel\": \"web\", \"contact_id\": \"" + tenant.contactId() + "\"}").path("id").asText();
        String message = app.call("POST", "/api/ai/conversations/" + conversation + "/messages", tenant.token(),
                JSON.writeValueAsString(Map.of("sender", "customer", "text", text))).path("id").asText();
        JsonNode run = app.call("POST", "/api/ai/agent/handle-message", tenant.token(),
                "{\"conversation_id\": \"" + conversation + "\", \"message_id\": \"" + message + "\"}");
        double wallMs = (System.nanoTime() - started) / 1e6;
        return new Sample(wallMs, run.path("status").asText(), run.path("model_latency_ms").asLong());
    }

    private static void report(String name, List<Sample> samples, double seconds) {
        List<Double> wall = new ArrayList<>(samples.stream().map(Sample::wallMs).toList());
        Collections.sort(wall);
        double total = wall.stream().mapToDouble(Double::doubleValue).sum();
        double model = samples.stream().mapToLong(Sample::modelMs).sum();
        Map<String, Integer> outcomes = new TreeMap<>();
        samples.forEach(sample -> outcomes.merge(sample.status(), 1, Integer::sum));
        System.out.printf("  %-24s %4d runs in %6.1f s = %5.2f runs/s   p50 %6.0f ms   p95 %6.0f ms   outside the model %4.1f %%%n",
                name, samples.size(), seconds, samples.size() / seconds, percentile(wall, 0.5), percentile(wall, 0.95),
                100 * (1 - model / total));
        System.out.printf("  %-24s outcomes %s%n", "", outcomes);
    }

    private static double percentile(List<Double> sorted, double p) {
        return sorted.isEmpty() ? 0 : sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
    }
}
