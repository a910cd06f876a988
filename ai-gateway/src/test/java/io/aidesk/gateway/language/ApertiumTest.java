package io.aidesk.gateway.language;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Debian's Apertium, installed by the launcher, puts Spanish into English words for the English-only embedding model. */
class ApertiumTest {
    @Test
    void spanishBecomesEnglishWordsTextByText() {
        assertThat(Apertium.shared().available()).as("apertium-eng-spa is installed by ./aidesk").isTrue();

        List<String> english = Apertium.shared().toEnglish(List.of(
                "El técnico no vino el martes.",
                "Quiero cancelar mi contrato, por favor.\nGracias.",
                "La semana que viene."));

        assertThat(english).hasSize(3);
        assertThat(english.get(0).toLowerCase()).contains("tuesday").doesNotContain("martes");
        // a text of two lines is one text still
        assertThat(english.get(1).toLowerCase()).contains("cancel", "please", "thank").doesNotContain("\n");
        assertThat(english.get(2).toLowerCase()).contains("week");
    }

    @Test
    void aTextTranslatedBeforeIsNotTranslatedAgain() {
        List<String> first = Apertium.shared().toEnglish(List.of("La factura llegó dos veces."));

        assertThat(Apertium.shared().toEnglish(List.of("La factura llegó dos veces."))).isEqualTo(first);
        assertThat(first.get(0).toLowerCase()).contains("bill", "twice");
    }
}
