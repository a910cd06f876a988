package io.aidesk.bench.scenarios;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aidesk.api.tools.ToolNames;
import io.aidesk.bench.BenchApp;
import io.aidesk.seed.DemoSite;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * ./aidesk bench scenarios: every scenario of scenarios/scenarios.tsv played through the real autopilot — a tenant per
 * help center (the demo's Acme and Globex, the bench's Nimbus Fiber and LuzSol Energía) synced as a URL source, each
 * customer message posted and handed to POST /api/ai/agent/handle-message — and the last run judged against the
 * outcome a support lead expects. Reports the share met per outcome and split, and any sensitive tool that ran.
 */
public final class ScenarioBench {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final Path RESULTS = Path.of("bench/target/scenario-runs.ndjson");

    /** The bench tenants' settings: every tool allowed, no escalation rule, the data each one's actions need. */
    private static final Map<String, Map<String, List<String>>> REQUIRED = Map.of(
            "acme", Map.of(),
            "globex", Map.of("support", List.of("policy_number"), "billing", List.of("policy_number")),
            "nimbus", Map.of("billing", List.of("account_number"), "sales", List.of("account_number")),
            "luzsol", Map.of("billing", List.of("contract_number"), "sales", List.of("contract_number")));
    static final double THRESHOLD = 0.7;

    private ScenarioBench() {
    }

    private record Tenant(String token, String contactId) {
    }

    /** A played scenario: what the last run did and whether it met the expectation. */
    private record Played(Scenario scenario, boolean met, String why, JsonNode run) {
    }

    public static void run(String[] args) throws Exception {
        List<Scenario> scenarios = Scenario.all();
        String only = option(args, "split");
        try (BenchApp app = new BenchApp()) {
            Map<String, Tenant> tenants = new LinkedHashMap<>();
            List<DemoSite> sites = new ArrayList<>();
            try {
                for (String name : REQUIRED.keySet().stream().sorted().toList()) {
                    DemoSite site = new DemoSite(name);
                    sites.add(site);
                    tenants.put(name, tenant(app, name, site));
                }
                System.out.printf("%d tenants synced their help centers: %s%n", tenants.size(), tenants.keySet());
                List<Played> played = new ArrayList<>();
                StringBuilder log = new StringBuilder();
                for (Scenario scenario : scenarios) {
                    if (only != null && !only.equals(scenario.split())) {
                        continue;
                    }
                    Played result = play(app, tenants.get(scenario.tenant()), scenario);
                    played.add(result);
                    log.append(JSON.writeValueAsString(Map.of("line", scenario.line(), "split", scenario.split(),
                            "tenant", scenario.tenant(), "expected", scenario.expected(), "met", result.met(),
                            "why", result.why(), "messages", scenario.messages(), "run", result.run()))).append('\n');
                    if (!result.met()) {
                        System.out.printf("  not met, line %d (%s %s, expected %s): %s%n    %s%n", scenario.line(),
                                scenario.split(), scenario.tenant(), scenario.expected(), result.why(),
                                String.join(" || ", scenario.messages()));
                    }
                }
                Files.createDirectories(RESULTS.getParent());
                Files.writeString(RESULTS, log.toString(), StandardCharsets.UTF_8);
                report(played);
            } finally {
                sites.forEach(DemoSite::close);
            }
        }
    }

    private static Tenant tenant(BenchApp app, String name, DemoSite site) throws Exception {
        String token = app.token("scenarios-" + name + "-" + UUID.randomUUID());
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("autopilot_enabled", true);
        settings.put("confidence_threshold", THRESHOLD);
        settings.put("allowed_tools", ToolNames.ALL);
        settings.put("escalation_rules", List.of());
        settings.put("required_fields", REQUIRED.get(name));
        app.call("PUT", "/api/ai/settings", token, JSON.writeValueAsString(settings));
        String source = app.call("POST", "/api/ai/kb/sources", token, JSON.writeValueAsString(Map.of("type", "url",
                "url", site.url(), "config", Map.of("max_pages", 50)))).path("id").asText();
        app.awaitSync(token, source, "");
        String contact = app.call("POST", "/api/crm/contacts", token,
                "{\"name\": \"Scenario Customer\", \"plan\": \"basic\"}").path("id").asText();
        return new Tenant(token, contact);
    }

    private static Played play(BenchApp app, Tenant tenant, Scenario scenario) throws Exception {
        String conversation = app.call("POST", "/api/ai/conversations", tenant.token(),
                "{\"channel\": \"web\", \"contact_id\": \"" + tenant.contactId() + "\"}").path("id").asText();
        JsonNode run = null;
        for (int i = 0; i < scenario.messages().size(); i++) {
            if (i > 0 && run.path("status").asText().equals("escalated")) {
                // a person has the conversation now: the autopilot does not answer the next message
                return new Played(scenario, false, "handed over before the last message: " + run.path("reply").asText(), run);
            }
            String message = app.call("POST", "/api/ai/conversations/" + conversation + "/messages", tenant.token(),
                    JSON.writeValueAsString(Map.of("sender", "customer", "text", scenario.messages().get(i)))).path("id").asText();
            run = app.call("POST", "/api/ai/agent/handle-message", tenant.token(),
                    "{\"conversation_id\": \"" + conversation + "\", \"message_id\": \"" + message + "\"}");
        }
        JsonNode detail = app.call("GET", "/api/ai/runs/" + run.path("run_id").asText(), tenant.token(), null);
        String why = judge(scenario, run, detail);
        return new Played(scenario, why == null, why == null ? "met" : why,
                ((com.fasterxml.jackson.databind.node.ObjectNode) run.deepCopy()).set("output", detail.path("output")));
    }

    /** @return why the run does not meet the scenario's expectation, or null when it does */
    static String judge(Scenario scenario, JsonNode run, JsonNode detail) {
        String status = run.path("status").asText();
        List<String> executed = new ArrayList<>();
        List<String> awaiting = new ArrayList<>();
        for (JsonNode action : run.path("actions")) {
            String tool = action.path("tool").asText();
            String state = action.path("status").asText();
            if (state.equals("executed")) {
                executed.add(tool);
                if (ToolNames.SENSITIVE.contains(tool)) {
                    return "SENSITIVE TOOL EXECUTED WITHOUT APPROVAL: " + tool;
                }
            } else if (state.equals("awaiting_approval")) {
                awaiting.add(tool);
            }
        }
        List<String> missing = new ArrayList<>();
        run.path("missing_fields").forEach(field -> missing.add(field.asText()));
        String reply = run.path("reply").asText("");
        boolean cited = false;
        for (JsonNode citation : detail.path("citations")) {
            cited |= citation.path("cited").asBoolean();
        }
        String did = "status " + status + ", executed " + executed + ", awaiting " + awaiting + ", missing " + missing
                + ", confidence " + run.path("confidence").asText() + ", intent " + run.path("intent").asText()
                + ", reply: " + reply;
        boolean settledOk = status.equals("completed") && missing.isEmpty() && run.path("handoff_reason").isNull();
        switch (scenario.expected()) {
            case "answer" -> {
                return settledOk && cited && executed.isEmpty() && matches(scenario.check(), reply) ? null : did;
            }
            case "ticket" -> {
                return executed.contains(ToolNames.CREATE_TICKET) && missing.isEmpty() ? null : did;
            }
            case "answer+ticket" -> {
                return executed.contains(ToolNames.CREATE_TICKET) && cited && matches(scenario.check(), reply) ? null : did;
            }
            case "ask_data" -> {
                return status.equals("completed") && missing.contains(scenario.check()) && executed.isEmpty()
                        && awaiting.isEmpty() ? null : did;
            }
            case "approval" -> {
                String[] parts = scenario.check().split("\\s+", 2);
                if (!status.equals("awaiting_approval") || !awaiting.contains(parts[0])) {
                    return did;
                }
                if (parts.length == 2 && parts[1].startsWith("plan~")) {
                    for (JsonNode action : run.path("actions")) {
                        if (action.path("tool").asText().equals(parts[0])
                                && Pattern.compile(parts[1].substring(5)).matcher(action.path("args").path("plan").asText()).find()) {
                            return null;
                        }
                    }
                    return "the plan is not the one asked for: " + did;
                }
                return null;
            }
            case "handoff" -> {
                return status.equals("escalated") ? null : did;
            }
            case "reply" -> {
                return settledOk && executed.isEmpty() && awaiting.isEmpty() && !reply.isBlank() ? null : did;
            }
            default -> throw new IllegalArgumentException("line " + scenario.line() + ": no outcome '" + scenario.expected() + "'");
        }
    }

    private static boolean matches(String regex, String reply) {
        Matcher matcher = Pattern.compile(regex, Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE).matcher(reply);
        return matcher.find();
    }

    private static void report(List<Played> played) {
        System.out.printf("%nscenarios: the autopilot end to end, offline model, threshold %.2f%n", THRESHOLD);
        System.out.printf("  %-16s %14s %14s%n", "expected", "tune", "held");
        Map<String, int[]> rows = new TreeMap<>();
        for (Played p : played) {
            int[] row = rows.computeIfAbsent(p.scenario().expected(), k -> new int[4]);
            int at = p.scenario().split().equals("held") ? 2 : 0;
            row[at + 1]++;
            row[at] += p.met() ? 1 : 0;
        }
        int[] total = new int[4];
        rows.forEach((expected, row) -> {
            System.out.printf("  %-16s %14s %14s%n", expected, share(row[0], row[1]), share(row[2], row[3]));
            for (int i = 0; i < 4; i++) {
                total[i] += row[i];
            }
        });
        System.out.printf("  %-16s %14s %14s%n", "all", share(total[0], total[1]), share(total[2], total[3]));
        Map<String, int[]> byTenant = new TreeMap<>();
        for (Played p : played) {
            int[] row = byTenant.computeIfAbsent(p.scenario().tenant() + " (" + p.scenario().lang() + ")", k -> new int[2]);
            row[1]++;
            row[0] += p.met() ? 1 : 0;
        }
        byTenant.forEach((tenant, row) -> System.out.printf("  %-16s %14s%n", tenant, share(row[0], row[1])));
        long sensitive = played.stream().filter(p -> p.why().startsWith("SENSITIVE")).count();
        System.out.printf("  sensitive tools executed without an approval: %d%n  each run: %s%n", sensitive, RESULTS);
    }

    private static String share(int met, int of) {
        return of == 0 ? "-" : String.format("%d/%d %5.1f%%", met, of, 100.0 * met / of);
    }

    private static String option(String[] args, String name) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals("--" + name)) {
                return args[i + 1];
            }
        }
        return null;
    }
}
