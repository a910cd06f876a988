package io.aidesk.api.agentrun;

/** How a run may act. */
public final class RunModes {
    /** Drafts a reply for an agent in the inbox; never runs a tool. */
    public static final String COPILOT = "copilot";
    /** Answers and acts on its own, within the tenant's policy. */
    public static final String AUTOPILOT = "autopilot";

    private RunModes() {
    }
}
