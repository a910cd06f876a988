package io.aidesk.api.decision;

import io.aidesk.api.privacy.PersonalData;

import java.util.List;
import java.util.Map;

/**
 * What a decision model answers (DESIGN §3), the same record from the OpenAI and the offline model. The backend's
 * policy applies to it whatever it says.
 *
 * @param intent        support, sales, billing or other
 * @param missingFields required fields the conversation does not give yet
 * @param citations     ids of retrieved chunks the reply stands on
 */
public record Decision(String intent, double confidence, boolean needsHuman, List<String> missingFields,
                       @PersonalData String reply,
                       List<ProposedAction> actions, List<String> citations) {
    public static final List<String> INTENTS = List.of("support", "sales", "billing", "other");

    public Decision {
        missingFields = missingFields == null ? List.of() : List.copyOf(missingFields);
        actions = actions == null ? List.of() : List.copyOf(actions);
        citations = citations == null ? List.of() : List.copyOf(citations);
    }

    /** A tool call the model proposes; nothing runs until the policy and the tool registry allow it. */
    public record ProposedAction(String tool, @PersonalData Map<String, Object> args) {
        public ProposedAction {
            args = args == null ? Map.of() : Map.copyOf(args);
        }
    }
}
