package io.aidesk.gateway.decision.offline;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The arguments the customer's words give a tool: here the plan of a plan change. */
class ActionArgsTest {
    private static final List<String> CATALOGUE = List.of(
            "Cuidado de jardín: la cuota básica cubre un corte al mes; la cuota de temporada completa cubre podas y riego.",
            "Lawn care: the monthly visit plan and the full season care package.");

    @Test
    void aPlanNamedInLowerCaseIsTheOneTheTenantsKnowledgeNames() {
        assertThat(ActionArgs.plan("quiero pasar de la cuota básica a temporada completa", CATALOGUE)).hasValue("temporada completa");
        assertThat(ActionArgs.plan("please move me to full season care from April", CATALOGUE)).hasValue("full season care");
    }

    @Test
    void wordsAfterToThatTheKnowledgeNeverNamesAreNoPlan() {
        assertThat(ActionArgs.plan("I'd like to switch to whatever is cheapest", CATALOGUE)).isEmpty();
        assertThat(ActionArgs.plan("quiero cambiar a otra cosa", List.of())).isEmpty();
    }

    @Test
    void aNamedPlanNeedsNoCatalogue() {
        assertThat(ActionArgs.plan("Put me on the Gold plan please", List.of())).hasValue("Gold");
    }
}
