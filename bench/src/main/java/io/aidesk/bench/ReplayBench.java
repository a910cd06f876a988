package io.aidesk.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aidesk.seed.DemoSite;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * ./aidesk bench replay: a tenant that synced the Acme demo help center and whose autopilot answered N customer
 * messages (--conversations, 500 unless said) replays them all under a stricter threshold: the time from the POST to
 * the diff being complete, runs/s, and what the diff says. --workers sets aidesk.replays.workers (1 unless said).
 */
final class ReplayBench {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] MESSAGES = {
            "How much does it cost to replace a water heater?",
            "My water heater is leaking and there is no hot water",
            "Are you open on Saturdays?",
            "Do you charge extra for emergency call-outs at night?",
            "The drain in my kitchen is blocked and not working",
            "Which areas do you serve?",
            "I want to cancel my maintenance plan",
            "Can I talk to a real person please?",
            "Do you install solar panels?",
            "What payment methods do you accept?"};

    private ReplayBench() {
    }

    static void run(String[] args) throws Exception {
        int conversations = Bench.option(args, "conversations", 500);
        int workers = Bench.option(args, "workers", 1);
        try (BenchApp app = new BenchApp(Map.of("aidesk.replays.workers", workers,
                "aidesk.rate-limits.replays-per-minute", 1000)); DemoSite site = new DemoSite("acme")) {
            String token = app.token("replay-bench-" + UUID.randomUUID());
            String source = app.call("POST", "/api/ai/kb/sources", token, JSON.writeValueAsString(Map.of("type", "url",
                    "url", site.url(), "config", Map.of("max_pages", 50)))).path("id").asText();
            app.call("PUT", "/api/ai/settings", token, """
                    {"autopilot_enabled": true, "allowed_tools": ["create_ticket", "add_internal_note",
                     "handoff_to_human", "cancel_subscription"]}
                    """);
            String contact = app.call("POST", "/api/crm/contacts", token,
                    "{\"name\": \"Bench Customer\", \"plan\": \"basic\"}").path("id").asText();
            app.awaitSync(token, source, "");
            long seeding = System.nanoTime();
            for (int i = 0; i < conversations; i++) {
                String conversation = app.call("POST", "/api/ai/conversations", token,
                        "{\"channel\": \"web\", \"contact_id\": \"" + contact + "\"}").path("id").asText();
                String message = app.call("POST", "/api/ai/conversations/" + conversation + "/messages", token,
                        JSON.writeValueAsString(Map.of("sender", "customer", "text", MESSAGES[i % MESSAGES.length]
                                + (i >= MESSAGES.length ? " (" + i + ")" : "")))).path("id").asText();
                app.call("POST", "/api/ai/agent/handle-message", token,
                        "{\"conversation_id\": \"" + conversation + "\", \"message_id\": \"" + message + "\"}");
            }
            System.out.printf("%d conversations answered by the autopilot in %.1f s%n", conversations,
                    (System.nanoTime() - seeding) / 1e9);

            String today = LocalDate.now(ZoneOffset.UTC).toString();
            long started = System.nanoTime();
            JsonNode replay = app.call("POST", "/api/ai/replays", token, "{\"settings\": {\"confidence_threshold\": "
                    + "0.9}, \"selection\": {\"from\": \"" + today + "\", \"to\": \"" + today + "\", \"limit\": "
                    + conversations + "}}");
            String id = replay.path("replay_id").asText();
            JsonNode view;
            do {
                Thread.sleep(250);
                view = app.call("GET", "/api/ai/replays/" + id, token, null);
            } while ("running".equals(view.path("replay").path("status").asText()));
            double seconds = (System.nanoTime() - started) / 1e9;
            JsonNode totals = view.path("totals");
            Map<String, Integer> outcomes = new TreeMap<>();
            view.path("items").forEach(item -> outcomes.merge(item.path("original").path("outcome").asText() + " → "
                    + item.path("replayed").path("outcome").asText(), 1, Integer::sum));
            System.out.printf("%nreplay bench: %d conversations at threshold 0.9, %d worker(s), %d cores%n",
                    totals.path("replayed").asInt(), workers, Runtime.getRuntime().availableProcessors());
            System.out.printf("  POST to the complete diff %.1f s = %.2f runs/s; %d outcomes change; resolution %.0f %% → "
                            + "%.0f %%, handovers %d → %d%n", seconds, totals.path("replayed").asInt() / seconds,
                    totals.path("outcome_changed").asInt(), 100 * totals.path("resolution_before").asDouble(),
                    100 * totals.path("resolution_after").asDouble(), totals.path("handovers_before").asInt(),
                    totals.path("handovers_after").asInt());
            long read = System.nanoTime();
            app.call("GET", "/api/ai/replays/" + id, token, null);
            System.out.printf("  reading the diff of %d items: %.0f ms; before → after %s%n",
                    view.path("items").size(), (System.nanoTime() - read) / 1e6, outcomes);
        }
    }
}
