package io.aidesk.api.agentrun;

/** How a run may act. */
public final class RunModes {
    /** Drafts a reply for an agent in the inbox; never runs a tool. */
    public static final String COPILOT = "copilot";
    /** Answers and acts on its own, within the tenant's policy. */
    public static final String AUTOPILOT = "autopilot";
    /** Decides a past message again in shadow mode: the policy is applied, nothing is sent, no tool runs. */
    public static final String REPLAY = "replay";

    private RunModes() {
    }
}
