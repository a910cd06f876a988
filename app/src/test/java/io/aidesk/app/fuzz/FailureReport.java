package io.aidesk.app.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** What the fuzz run found, grouped by cause: a count, the operations and statuses involved and a few examples. */
final class FailureReport {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int EXAMPLES = 2;

    private static final class Group {
        int count;
        final Set<String> operations = new TreeSet<>();
        final Set<Integer> statuses = new TreeSet<>();
        // one example per operation, so that the few shown are as varied as the failures
        final Map<String, String> examples = new LinkedHashMap<>();
    }

    private final Map<String, Group> groups = new TreeMap<>();
    private final Map<String, Integer> statuses = new TreeMap<>();
    private final Map<String, Map<String, Integer>> coverage = new TreeMap<>();
    private int checked;

    void check(FuzzRequest request, Wire.Answer answer, String victimMarker) {
        checked++;
        statuses.merge(String.valueOf(answer.status()), 1, Integer::sum);
        String kind = request.input();
        coverage.computeIfAbsent(kind, k -> new TreeMap<>()).merge(String.valueOf(answer.status()), 1, Integer::sum);
        int status = answer.status();
        if (status == 0) {
            fail("no answer", kind, request, answer);
        } else if (status >= 500) {
            fail("5xx", kind, request, answer);
        } else if (status >= 300) {
            String type = answer.contentType().split(";")[0].trim();
            if (!type.equals("application/problem+json")) {
                fail("a " + status / 100 + "xx that is not problem+json (" + (type.isEmpty() ? "no Content-Type" : type) + ")",
                        kind, request, answer);
            } else if (detail(answer).isBlank()) {
                fail("a problem without a detail", kind, request, answer);
            }
        } else if (request.mustRefuse() != null) {
            // a token that must not let anyone in is the cause, whatever the input; otherwise the input is
            fail("a 2xx to " + request.mustRefuse(), request.caller().startsWith("forged") || request.caller()
                    .equals("no token") ? request.caller() : kind, request, answer);
        }
        if (victimMarker != null && answer.body().contains(victimMarker)) {
            fail("the victim's content in an answer to the attacker", kind, request, answer);
        }
    }

    private static String detail(Wire.Answer answer) {
        try {
            JsonNode problem = JSON.readTree(answer.body());
            return problem == null ? "" : problem.path("detail").asText("");
        } catch (IOException e) {
            return "";
        }
    }

    private void fail(String what, String kind, FuzzRequest request, Wire.Answer answer) {
        Group group = groups.computeIfAbsent(what + " · " + kind, k -> new Group());
        group.count++;
        group.operations.add(request.operation());
        group.statuses.add(answer.status());
        group.examples.putIfAbsent(request.operation(), request.method() + " " + FuzzCases.abbreviate(request.target(), 110) + " as " + request.caller()
                    + (request.detail().isEmpty() ? "" : " [" + request.detail() + "]") + "\n          → "
                    + answer.status() + " " + answer.contentType() + " " + answer.snippet(160));
    }

    /** Every read of the victim's state that answered otherwise after the run than before it. */
    void compare(Map<String, String> before, Map<String, String> after) {
        Set<String> keys = new TreeSet<>(before.keySet());
        keys.addAll(after.keySet());
        for (String key : keys) {
            String was = before.getOrDefault(key, "(not read)");
            String is = after.getOrDefault(key, "(not read)");
            if (!was.equals(is)) {
                Group group = groups.computeIfAbsent("the victim's state changed", k -> new Group());
                group.count++;
                group.operations.add(key);
                group.examples.put(key, key + "\n          before: " + FuzzCases.abbreviate(was, 300)
                        + "\n          after:  " + FuzzCases.abbreviate(is, 300));
            }
        }
    }

    /** How each kind of input was answered, to see that every kind reached the code behind the API. */
    String coverage() {
        StringBuilder text = new StringBuilder("API fuzz inputs and their answers:\n");
        coverage.forEach((kind, answers) -> text.append(String.format("  %-26s %s%n", kind, answers)));
        return text.toString();
    }

    int failures() {
        return groups.values().stream().mapToInt(g -> g.count).sum();
    }

    String text() {
        StringBuilder text = new StringBuilder("API fuzz: " + checked + " answers checked, statuses " + statuses + "; ");
        if (groups.isEmpty()) {
            return text.append("no failures").toString();
        }
        text.append(failures()).append(" failures in ").append(groups.size()).append(" groups\n");
        Map<String, List<Map.Entry<String, Group>>> byWhat = new LinkedHashMap<>();
        groups.entrySet().forEach(e -> byWhat.computeIfAbsent(e.getKey().split(" · ")[0], k -> new ArrayList<>()).add(e));
        byWhat.forEach((what, entries) -> {
            text.append("\n== ").append(what).append('\n');
            for (Map.Entry<String, Group> entry : entries) {
                Group group = entry.getValue();
                String[] key = entry.getKey().split(" · ", 2);
                text.append("  -- ").append(key.length > 1 ? key[1] : what).append(": ").append(group.count)
                        .append(group.statuses.isEmpty() ? "" : " × status " + group.statuses).append(", in ")
                        .append(group.operations.size()).append(" operation(s): ")
                        .append(String.join(", ", group.operations.stream().limit(8).toList()))
                        .append(group.operations.size() > 8 ? ", …" : "").append('\n');
                int shown = what.equals("the victim's state changed") ? 8 : EXAMPLES;
                group.examples.values().stream().limit(shown).forEach(example -> text.append("       e.g. ").append(example)
                        .append('\n'));
            }
        });
        return text.toString();
    }
}
