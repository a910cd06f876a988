package io.aidesk.api.decision;

/** What a decision cost: the model, its tokens, how long it took and an estimate in US dollars. */
public record DecisionUsage(String model, int tokensIn, int tokensOut, long latencyMs, double costEstimateUsd) {
}
