package io.aidesk.saga.deliberation;

import io.aidesk.api.decision.Decision;
import io.aidesk.api.knowledge.KnowledgeQueries.Citation;
import io.aidesk.api.knowledge.KnowledgeQueries.RetrievedChunk;
import io.aidesk.api.knowledge.KnowledgeQueries.SearchResult;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class CitationGuardTest {
    private static final SearchResult RETRIEVED = new SearchResult(
            List.of(new RetrievedChunk("c-1", "d-1", "s-1", "Replacing a water heater costs $900.", 0.9,
                            Map.of("title", "Water heaters", "page_url", "https://help.test/heaters"), "hash-1", 3),
                    new RetrievedChunk("c-2", "d-2", "s-1", "We open at 8am.", 0.6, Map.of(), "hash-2", 1)),
            List.of(new Citation("c-1", "Water heaters", "https://help.test/heaters", "Replacing a water heater costs $900."),
                    new Citation("c-2", null, null, "We open at 8am.")));

    private static Decision decision(double confidence, List<String> citations, List<String> missing) {
        return new Decision("sales", confidence, false, missing, "It costs $900.", List.of(), citations);
    }

    @Test
    void aRetrievedCitationIsKeptAndPinnedToItsHashAndDocumentVersion() {
        CitationGuard.Guarded guarded = CitationGuard.apply(decision(0.9, List.of("c-1"), List.of()), RETRIEVED, 0.75, "en", true);

        assertThat(guarded.dropped()).isEmpty();
        assertThat(guarded.citations()).singleElement().satisfies(citation -> {
            assertThat(citation.chunkId()).isEqualTo("c-1");
            assertThat(citation.url()).isEqualTo("https://help.test/heaters");
            assertThat(citation.contentHash()).isEqualTo("hash-1");
            assertThat(citation.documentVersion()).isEqualTo(3);
        });
        assertThat(guarded.confidence()).isEqualTo(0.9);
        assertThat(guarded.reply()).isEqualTo("It costs $900.");
        assertThat(guarded.needsHuman()).isFalse();
    }

    @Test
    void anInventedCitationIsDroppedAndLowersTheConfidence() {
        CitationGuard.Guarded guarded = CitationGuard.apply(decision(0.9, List.of("c-1", "c-invented"), List.of()),
                RETRIEVED, 0.75, "en", true);

        assertThat(guarded.dropped()).containsExactly("c-invented");
        assertThat(guarded.citations()).extracting("chunkId").containsExactly("c-1");
        assertThat(guarded.confidence()).isEqualTo(0.45);
        assertThat(guarded.needsHuman()).isTrue();
    }

    @Test
    void aReplyWithNoSupportingChunkSaysSoAndStaysBelowTheThreshold() {
        CitationGuard.Guarded guarded = CitationGuard.apply(decision(0.95, List.of("c-invented"), List.of()),
                RETRIEVED, 0.75, "es", true);

        assertThat(guarded.citations()).isEmpty();
        assertThat(guarded.confidence()).isLessThan(0.75);
        assertThat(guarded.reply()).startsWith("No encuentro una respuesta segura");
        assertThat(guarded.needsHuman()).isTrue();

        CitationGuard.Guarded asking = CitationGuard.apply(
                new Decision("billing", 0.8, false, List.of("policy_number"), "Could you send your policy number?",
                        List.of(), List.of()), RETRIEVED, 0.75, "en", true);
        assertThat(asking.reply()).as("asking for data needs no source").isEqualTo("Could you send your policy number?");
    }

    @Test
    void aReplyToSmallTalkNeedsNoSource() {
        CitationGuard.Guarded greeting = CitationGuard.apply(new Decision("other", 0.97, false, List.of(),
                "Hello! What can I do for you today?", List.of(), List.of()), RETRIEVED, 0.75, "en", false);

        assertThat(greeting.reply()).isEqualTo("Hello! What can I do for you today?");
        assertThat(greeting.confidence()).isEqualTo(0.97);
        assertThat(greeting.needsHuman()).isFalse();
    }
}
