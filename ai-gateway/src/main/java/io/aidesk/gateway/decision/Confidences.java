package io.aidesk.gateway.decision;

import io.aidesk.api.decision.CustomerNeed;

/**
 * Which of a decision's two confidences is its own, the one the tenant's threshold is applied to: the action's when
 * it acts (a tool, the data an action needs, a handover, a reply to small talk), else the answer's.
 */
public final class Confidences {
    private Confidences() {
    }

    public static boolean standsOnAction(CustomerNeed first, boolean proposesTools, boolean asksForData) {
        return proposesTools || asksForData || first.acts() || first.forAPerson() || first == CustomerNeed.SMALL_TALK
                || first == CustomerNeed.OFF_TOPIC;
    }
}
