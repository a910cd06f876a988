package io.aidesk.gateway.decision;

/** Decides what to do with a conversation, from its messages, the retrieved knowledge and the tenant's policy. */
public interface DecisionModel {

    /** Recorded with every run. */
    String name();

    /** @throws DecisionFailedException when no valid decision could be had; the run escalates and runs no tool */
    DecisionResult decide(DecisionRequest request);
}
