package io.aidesk.saga.policy;

import io.aidesk.api.agentrun.PolicyOutcome;
import io.aidesk.api.agentrun.PolicyOutcome.PlannedCall;
import io.aidesk.api.decision.Decision;
import io.aidesk.api.decision.Decision.ProposedAction;
import io.aidesk.api.settings.AssistantSettingsValues;
import io.aidesk.api.settings.EscalationRule;
import io.aidesk.api.tools.ToolNames;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * DESIGN §3, applied by the backend whatever the model said: below the threshold a person takes over and no tool
 * runs; missing fields are asked for and no tool runs; an escalation rule hands over; a tool outside the tenant's
 * list is refused; a sensitive tool waits for an admin. Pure: the same decision and settings give the same outcome.
 */
public final class RunPolicy {
    private RunPolicy() {
    }

    /** @param message the customer's message, for keyword escalation rules */
    public static PolicyOutcome apply(Decision decision, AssistantSettingsValues settings, String message) {
        List<String> reasons = new ArrayList<>();
        List<ProposedAction> proposed = decision.actions();
        boolean customerAsked = proposed.stream().anyMatch(a -> ToolNames.HANDOFF_TO_HUMAN.equals(a.tool()));

        if (decision.confidence() < settings.confidenceThreshold()) {
            reasons.add("confidence " + decision.confidence() + " is below the threshold " + settings.confidenceThreshold());
            return handoff(reasons, customerAsked ? "customer_request" : "low_confidence", proposed, "confidence below the threshold");
        }
        if (!decision.missingFields().isEmpty()) {
            reasons.add("missing fields " + decision.missingFields() + ": the reply asks for them");
            return new PolicyOutcome(PolicyOutcome.ASK_FOR_DATA, reasons, null,
                    refuseAll(proposed, "fields are missing: " + decision.missingFields()));
        }
        for (EscalationRule rule : settings.escalationRules()) {
            String matched = matches(rule, decision.intent(), message);
            if (matched != null && EscalationRule.HANDOFF.equals(rule.action())) {
                reasons.add("escalation rule matched " + matched);
                return handoff(reasons, "escalation_rule", proposed, "an escalation rule hands this over");
            }
        }
        if (customerAsked || decision.needsHuman()) {
            reasons.add(customerAsked ? "the customer asked for a person" : "the model asked for a person");
            return handoff(reasons, customerAsked ? "customer_request" : "low_confidence", proposed,
                    "the conversation goes to a person");
        }
        List<PlannedCall> calls = new ArrayList<>();
        int number = 0;
        for (ProposedAction action : proposed) {
            String callId = "call-" + (++number);
            if (!ToolNames.ALL.contains(action.tool())) {
                reasons.add("unknown tool " + action.tool() + " refused");
                calls.add(new PlannedCall(callId, action.tool(), action.args(), PlannedCall.REFUSED, "no such tool"));
            } else if (!settings.allowedTools().contains(action.tool())) {
                reasons.add(action.tool() + " is not allowed for this tenant");
                calls.add(new PlannedCall(callId, action.tool(), action.args(), PlannedCall.REFUSED,
                        "not in the tenant's allowed tools"));
            } else if (ToolNames.SENSITIVE.contains(action.tool())) {
                reasons.add(action.tool() + " is sensitive: it waits for an admin");
                calls.add(new PlannedCall(callId, action.tool(), action.args(), PlannedCall.AWAIT_APPROVAL,
                        "sensitive tools need an admin's approval"));
            } else {
                calls.add(new PlannedCall(callId, action.tool(), action.args(), PlannedCall.EXECUTE, "allowed"));
            }
        }
        reasons.add("confidence " + decision.confidence() + " meets the threshold " + settings.confidenceThreshold());
        return new PolicyOutcome(PolicyOutcome.ANSWER, reasons, null, calls);
    }

    private static PolicyOutcome handoff(List<String> reasons, String why, List<ProposedAction> proposed, String refusal) {
        return new PolicyOutcome(PolicyOutcome.HANDOFF, reasons, why, refuseAll(proposed, refusal));
    }

    /** Every proposed call, refused: none runs, but the audit shows what was proposed and why it did not. */
    private static List<PlannedCall> refuseAll(List<ProposedAction> proposed, String reason) {
        List<PlannedCall> calls = new ArrayList<>();
        for (int i = 0; i < proposed.size(); i++) {
            calls.add(new PlannedCall("call-" + (i + 1), proposed.get(i).tool(), proposed.get(i).args(),
                    PlannedCall.REFUSED, reason));
        }
        return calls;
    }

    /** @return what matched (intent or keyword), or null */
    private static String matches(EscalationRule rule, String intent, String message) {
        if (intent != null && rule.match().intents().contains(intent)) {
            return "intent " + intent;
        }
        String text = message == null ? "" : message.toLowerCase(Locale.ROOT);
        for (String keyword : rule.match().keywords()) {
            if (text.matches("(?s).*\\b" + Pattern.quote(keyword.toLowerCase(Locale.ROOT)) + "\\b.*")) {
                return "keyword '" + keyword + "'";
            }
        }
        return null;
    }
}
