package io.aidesk.gateway.decision;

import java.util.List;
import java.util.Optional;

/** The decision models a replay may try: the one configured, the offline one, and with a key any OpenAI model. */
public interface DecisionModels {
    DecisionModel configured();

    /** @return the model of that name, if it is one of those on offer */
    Optional<DecisionModel> named(String name);

    /** The names on offer, for an error that says what to choose from. */
    List<String> offered();
}
