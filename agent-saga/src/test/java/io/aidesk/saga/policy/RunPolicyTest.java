package io.aidesk.saga.policy;

import io.aidesk.api.agentrun.PolicyOutcome;
import io.aidesk.api.agentrun.PolicyOutcome.PlannedCall;
import io.aidesk.api.decision.Decision;
import io.aidesk.api.decision.Decision.ProposedAction;
import io.aidesk.api.settings.AssistantSettingsValues;
import io.aidesk.api.settings.EscalationRule;
import io.aidesk.api.tools.ToolNames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class RunPolicyTest {
    private static final ProposedAction TICKET = new ProposedAction(ToolNames.CREATE_TICKET,
            Map.of("contact_id", "c-1", "subject", "Leak", "priority", "high", "summary", "Leak", "tags", List.of()));
    private static final ProposedAction CANCEL = new ProposedAction(ToolNames.CANCEL_SUBSCRIPTION,
            Map.of("contact_id", "c-1", "reason", "moving"));

    /** Defaults, with the tools under test allowed and no keyword rule about cancelling. */
    private static AssistantSettingsValues settings(List<String> tools, List<EscalationRule> rules) {
        AssistantSettingsValues defaults = AssistantSettingsValues.defaults();
        return new AssistantSettingsValues(true, true, 0.75, tools, rules, defaults.logContent(),
                Map.of("billing", List.of("policy_number")));
    }

    private static Decision decision(double confidence, List<String> missing, List<ProposedAction> actions) {
        return new Decision("support", confidence, false, missing, "reply", actions, List.of("chunk-1"));
    }

    @ParameterizedTest(name = "confidence {0} → {1} ticket(s) to execute")
    @CsvSource({"0.74, 0", "0.75, 1", "0.9, 1"})
    void aTicketIsCreatedOnlyAtOrAboveTheThreshold(double confidence, int tickets) {
        PolicyOutcome outcome = RunPolicy.apply(decision(confidence, List.of(), List.of(TICKET)),
                settings(List.of(ToolNames.CREATE_TICKET), List.of()), "my heater leaks");

        assertThat(outcome.calls()).filteredOn(c -> c.disposition().equals(PlannedCall.EXECUTE)).hasSize(tickets);
        assertThat(outcome.outcome()).isEqualTo(tickets == 0 ? PolicyOutcome.HANDOFF : PolicyOutcome.ANSWER);
        if (tickets == 0) {
            assertThat(outcome.handoffReason()).isEqualTo("low_confidence");
            assertThat(outcome.calls()).singleElement().satisfies(c -> assertThat(c.disposition()).isEqualTo(PlannedCall.REFUSED));
        }
    }

    @Test
    void missingFieldsAreAskedForAndNoToolRuns() {
        PolicyOutcome outcome = RunPolicy.apply(decision(0.9, List.of("policy_number"), List.of(TICKET)),
                settings(List.of(ToolNames.CREATE_TICKET), List.of()), "I was charged twice");

        assertThat(outcome.outcome()).isEqualTo(PolicyOutcome.ASK_FOR_DATA);
        assertThat(outcome.calls()).allSatisfy(c -> assertThat(c.disposition()).isEqualTo(PlannedCall.REFUSED));
        assertThat(outcome.reasons()).anySatisfy(r -> assertThat(r).contains("policy_number"));
    }

    @Test
    void aToolOutsideTheAllowedListIsRefusedAndASensitiveOneWaitsForAnAdmin() {
        PolicyOutcome outcome = RunPolicy.apply(decision(0.9, List.of(), List.of(TICKET, CANCEL,
                        new ProposedAction("delete_everything", Map.of()))),
                settings(List.of(ToolNames.CANCEL_SUBSCRIPTION), List.of()), "please cancel my plan");

        assertThat(outcome.outcome()).isEqualTo(PolicyOutcome.ANSWER);
        assertThat(outcome.calls()).extracting(PlannedCall::tool, PlannedCall::disposition).containsExactly(
                tuple(ToolNames.CREATE_TICKET, PlannedCall.REFUSED),
                tuple(ToolNames.CANCEL_SUBSCRIPTION, PlannedCall.AWAIT_APPROVAL),
                tuple("delete_everything", PlannedCall.REFUSED));
        assertThat(outcome.calls()).extracting(PlannedCall::callId).containsExactly("call-1", "call-2", "call-3");
    }

    @Test
    void escalationRulesAndTheCustomersWishHandOver() {
        AssistantSettingsValues withRules = settings(List.of(ToolNames.CREATE_TICKET),
                List.of(EscalationRule.onIntents("billing"), EscalationRule.onKeywords("lawyer")));

        PolicyOutcome billing = RunPolicy.apply(new Decision("billing", 0.95, false, List.of(), "r", List.of(TICKET),
                List.of()), withRules, "about my invoice");
        PolicyOutcome legal = RunPolicy.apply(decision(0.95, List.of(), List.of(TICKET)), withRules,
                "My lawyer will call you");
        PolicyOutcome person = RunPolicy.apply(decision(0.95, List.of(), List.of(new ProposedAction(
                ToolNames.HANDOFF_TO_HUMAN, Map.of("reason", "asked")))), withRules, "I want a person");

        assertThat(billing.handoffReason()).isEqualTo("escalation_rule");
        assertThat(billing.reasons()).anySatisfy(r -> assertThat(r).contains("intent billing"));
        assertThat(legal.handoffReason()).isEqualTo("escalation_rule");
        assertThat(person.handoffReason()).isEqualTo("customer_request");
        assertThat(List.of(billing, legal, person)).allSatisfy(o -> {
            assertThat(o.outcome()).isEqualTo(PolicyOutcome.HANDOFF);
            assertThat(o.calls()).noneMatch(c -> c.disposition().equals(PlannedCall.EXECUTE));
        });
    }
}
