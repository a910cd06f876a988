package io.aidesk.api.agentrun;

/**
 * Each tenant's budget of agent runs a minute, shared by copilot drafts and autopilot runs however they start: one
 * tenant's flood uses up its own budget, never another's.
 */
public interface AgentRunBudget {

    /** @throws io.aidesk.api.RateLimitedException when the tenant has no run left this minute */
    void acquire(String tenantId);
}
