package io.aidesk.saga.autopilot;

import io.aidesk.api.decision.Decision;
import io.aidesk.api.decision.Decision.ProposedAction;

import java.util.Locale;
import java.util.stream.Collectors;

/** The internal note a person taking over reads first: what was asked, what the AI found, what it proposes next. */
final class HandoffSummary {
    static final int MAX_QUOTE = 500;

    private HandoffSummary() {
    }

    static String of(String input, Decision decision, String reason, String why) {
        StringBuilder note = new StringBuilder("AI Desk handed this conversation to a person (")
                .append(reason.replace('_', ' ')).append(").\n");
        note.append("Asked: \"").append(quote(input)).append("\"\n");
        if (decision == null) {
            note.append("Found: no decision; ").append(why).append('\n');
            return note.append("Next: answer the customer yourself.").toString();
        }
        note.append("Found: intent ").append(decision.intent())
                .append(String.format(Locale.ROOT, ", confidence %.2f", decision.confidence()))
                .append(decision.citations().isEmpty() ? ", no supporting passage"
                        : ", " + decision.citations().size() + " supporting passage(s)")
                .append(decision.missingFields().isEmpty() ? "" : ", missing " + decision.missingFields())
                .append(". Why handed over: ").append(why).append('\n');
        String proposed = decision.actions().stream().map(HandoffSummary::describe).collect(Collectors.joining(", "));
        note.append("Next: ").append(proposed.isEmpty() ? "answer the customer" : "consider " + proposed)
                .append(decision.missingFields().isEmpty() ? "" : "; ask for " + String.join(", ", decision.missingFields()))
                .append('.');
        return note.toString();
    }

    private static String describe(ProposedAction action) {
        return action.tool() + action.args().entrySet().stream()
                .filter(arg -> !"contact_id".equals(arg.getKey()) && !"conversation_id".equals(arg.getKey()))
                .map(arg -> arg.getKey() + "=" + arg.getValue()).collect(Collectors.joining(", ", "(", ")"));
    }

    private static String quote(String text) {
        String flat = text.replaceAll("\\s+", " ").strip();
        return flat.length() <= MAX_QUOTE ? flat : flat.substring(0, MAX_QUOTE - 3) + "...";
    }
}
