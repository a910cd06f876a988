package io.aidesk.api.settings;

import java.util.List;

/** When a message matches (any listed intent or any keyword), the autopilot hands over instead of acting. */
public record EscalationRule(Match match, String action) {
    public static final String HANDOFF = "handoff";

    public EscalationRule {
        action = action == null ? HANDOFF : action;
    }

    public record Match(List<String> intents, List<String> keywords) {
        public Match {
            intents = intents == null ? List.of() : List.copyOf(intents);
            keywords = keywords == null ? List.of() : List.copyOf(keywords);
        }
    }

    public static EscalationRule onIntents(String... intents) {
        return new EscalationRule(new Match(List.of(intents), List.of()), HANDOFF);
    }

    public static EscalationRule onKeywords(String... keywords) {
        return new EscalationRule(new Match(List.of(), List.of(keywords)), HANDOFF);
    }
}
