package io.aidesk.query.agentrun;

import io.aidesk.api.InvalidCommandException;
import io.aidesk.api.agentrun.RunModes;
import io.aidesk.api.agentrun.RunQueries.ListRuns;
import io.aidesk.api.agentrun.RunStatus;
import io.aidesk.api.decision.Decision;
import io.aidesk.api.tenancy.Ids;
import io.aidesk.api.tools.ToolNames;
import io.aidesk.api.AuditTime;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The run list's query string, checked: a filter the API does not know, or a value it cannot mean, is a 400. */
final class RunFilters {
    static final Set<String> NAMES = Set.of("from", "to", "mode", "intent", "status", "min_confidence",
            "max_confidence", "tool", "conversation_id", "cursor", "limit");
    private static final List<String> MODES = List.of(RunModes.COPILOT, RunModes.AUTOPILOT, RunModes.REPLAY);
    private static final List<String> STATUSES = List.of(RunStatus.RUNNING, RunStatus.AWAITING_APPROVAL,
            RunStatus.COMPLETED, RunStatus.ESCALATED, RunStatus.FAILED);
    private static final int DEFAULT_LIMIT = 50;

    private RunFilters() {
    }

    static ListRuns parse(Map<String, String> params) {
        params.keySet().stream().filter(name -> !NAMES.contains(name)).findFirst().ifPresent(name -> {
            throw new InvalidCommandException(name, "the run list has no filter '" + name + "'; filters are "
                    + String.join(", ", NAMES.stream().sorted().toList()));
        });
        Instant from = instant(params, "from", false);
        Instant to = instant(params, "to", true);
        if (from != null && to != null && !from.isBefore(to)) {
            throw new InvalidCommandException("to", "to must be after from");
        }
        Double min = confidence(params, "min_confidence");
        Double max = confidence(params, "max_confidence");
        if (min != null && max != null && min > max) {
            throw new InvalidCommandException("max_confidence", "max_confidence must not be below min_confidence");
        }
        String conversation = params.get("conversation_id");
        if (conversation != null && !Ids.wellFormed(conversation)) {
            throw new InvalidCommandException("conversation_id", "conversation_id is not a conversation id");
        }
        String cursor = params.get("cursor");
        RunCursor.parse(cursor);
        return new ListRuns(from, to, oneOf(params, "mode", MODES), oneOf(params, "intent", Decision.INTENTS),
                oneOf(params, "status", STATUSES), min, max, oneOf(params, "tool", ToolNames.ALL), conversation, cursor,
                limit(params.get("limit")));
    }

    private static String oneOf(Map<String, String> params, String name, List<String> allowed) {
        String value = params.get(name);
        if (value != null && !allowed.contains(value)) {
            throw new InvalidCommandException(name, name + " is one of " + String.join(", ", allowed) + "; got '"
                    + value + "'");
        }
        return value;
    }

    private static Instant instant(Map<String, String> params, String name, boolean end) {
        return AuditTime.parse(name, params.get(name), end);
    }

    private static Double confidence(Map<String, String> params, String name) {
        String value = params.get(name);
        if (value == null) {
            return null;
        }
        try {
            double parsed = Double.parseDouble(value);
            if (parsed >= 0 && parsed <= 1) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // the refusal below says what is expected
        }
        throw new InvalidCommandException(name, name + " is a number from 0 to 1; got '" + value + "'");
    }

    private static int limit(String value) {
        if (value == null) {
            return DEFAULT_LIMIT;
        }
        try {
            int parsed = Integer.parseInt(value);
            if (parsed >= 1 && parsed <= ListRuns.MAX_LIMIT) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // the refusal below says what is expected
        }
        throw new InvalidCommandException("limit", "limit is a whole number from 1 to " + ListRuns.MAX_LIMIT
                + "; got '" + value + "'");
    }
}
