package io.aidesk.api.replay;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What a replay says differs between an original run and its rehearsal. */
class ReplayOutcomeTest {
    private static final ReplayOutcome ANSWERED = new ReplayOutcome("autopilot", "answer", null, 0.81, "support",
            List.of("create_ticket"), List.of("c1", "c2"), "h1");

    @Test
    void theSameDecisionDiffersInNothingAndToolsCompareAsASet() {
        ReplayOutcome again = new ReplayOutcome("replay", "answer", null, 0.812, "support", List.of("create_ticket"),
                List.of("c1", "c2"), "h1");
        assertThat(ANSWERED.differencesFrom(again)).isEmpty();
        ReplayOutcome twoTools = new ReplayOutcome("autopilot", "answer", null, 0.81, "support",
                List.of("issue_credit", "create_ticket"), List.of("c1", "c2"), "h1");
        ReplayOutcome reordered = new ReplayOutcome("replay", "answer", null, 0.81, "support",
                List.of("create_ticket", "issue_credit"), List.of("c1", "c2"), "h1");
        assertThat(twoTools.differencesFrom(reordered)).isEmpty();
    }

    @Test
    void aHandoverDiffersInOutcomeHandoverReplyToolsCitationsAndConfidence() {
        ReplayOutcome handedOver = new ReplayOutcome("replay", "handoff", "low_confidence", 0.6, "support", List.of(),
                List.of(), "h2");
        assertThat(ANSWERED.differencesFrom(handedOver)).containsExactly("outcome", "handoff", "reply", "citations",
                "tools", "confidence");
        assertThat(ReplayOutcome.none().differencesFrom(handedOver)).contains("outcome", "intent", "confidence");
    }
}
