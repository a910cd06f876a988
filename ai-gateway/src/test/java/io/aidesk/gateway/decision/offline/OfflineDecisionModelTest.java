package io.aidesk.gateway.decision.offline;

import io.aidesk.api.decision.Decision;
import io.aidesk.api.tools.ToolNames;
import io.aidesk.gateway.decision.DecisionRequest;
import io.aidesk.gateway.decision.DecisionRequest.Evidence;
import io.aidesk.gateway.decision.DecisionRequest.Policy;
import io.aidesk.gateway.decision.DecisionRequest.Turn;
import io.aidesk.gateway.embedding.OfflineEmbeddingModel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;

/** The offline model on a small real knowledge base, scored by the real offline embedding model as retrieval does. */
class OfflineDecisionModelTest {
    private static final ExecutorService POOL = Executors.newFixedThreadPool(2);
    private static final OfflineEmbeddingModel EMBEDDINGS = new OfflineEmbeddingModel(POOL);
    private static final OfflineDecisionModel MODEL = new OfflineDecisionModel(EMBEDDINGS);
    private static final Policy POLICY = new Policy(0.75, Map.of("billing", List.of("policy_number")), List.of());

    private static final List<String[]> KNOWLEDGE = List.of(
            new String[]{"c-heaters", "d-heaters", "Water heaters", "Replacing a 40 or 50 gallon water heater costs "
                    + "between $900 and $1,500, depending on venting and permits. We install Rheem and A.O. Smith tanks."},
            new String[]{"c-hours", "d-hours", "Opening hours", "Our plumbers work Monday to Friday from 8am to 6pm "
                    + "and Saturdays until noon. Emergency calls are answered 24/7."},
            new String[]{"c-areas", "d-areas", "Service areas", "We serve Madison and every town within 25 km."},
            new String[]{"c-siniestro", "d-siniestro", "Cómo declarar un siniestro", "Para declarar un siniestro por "
                    + "daños de agua, envíe su número de póliza y fotos de los daños en un plazo de 30 días. "
                    + "Un perito le visitará en cinco días hábiles."},
            new String[]{"c-pago", "d-pago", "Pagos", "La prima se cobra el día 5 de cada mes por domiciliación bancaria."});

    @AfterAll
    static void stop() {
        POOL.shutdownNow();
    }

    /**
     * The knowledge ranked against the question as KnowledgeSearch ranks it: cosine similarity plus a quarter of the
     * share of the question's words the passage holds (here unweighted: five passages give no rarities).
     */
    private static List<Evidence> retrieve(String question) {
        float[] query = EMBEDDINGS.embedQuery(question);
        List<float[]> passages = EMBEDDINGS.embedDocuments(KNOWLEDGE.stream().map(k -> k[2] + "\n" + k[3]).toList());
        List<Evidence> evidence = new ArrayList<>();
        for (int i = 0; i < KNOWLEDGE.size(); i++) {
            String[] k = KNOWLEDGE.get(i);
            double similarity = Intents.cosine(query, passages.get(i));
            double lexical = Text.coverage(Text.contentWords(question), k[2] + " " + k[3]);
            evidence.add(new Evidence(k[0], k[1], k[2], "https://help.test/" + k[0], k[3], similarity, k[2], lexical,
                    similarity + 0.25 * lexical, 0, lexical > 0 ? 1 : 0));
        }
        evidence.sort(Comparator.comparingDouble(Evidence::relevance).reversed());
        List<Evidence> ranked = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Evidence e = evidence.get(i);
            ranked.add(new Evidence(e.chunkId(), e.documentId(), e.title(), e.url(), e.content(), e.score(), e.context(),
                    e.lexical(), e.relevance(), i + 1, e.lexicalRank() == 0 ? 0 : i + 1));
        }
        return ranked;
    }

    private static Decision decide(String question) {
        return MODEL.decide(new DecisionRequest(List.of(new Turn("user", question)), Map.of(), retrieve(question), POLICY))
                .decision();
    }

    @Test
    void anAnswerableQuestionIsAnsweredFromTheRightPassageWithConfidence() {
        Decision decision = decide("How much does it cost to replace a water heater?");

        assertThat(decision.citations()).containsExactly("c-heaters");
        assertThat(decision.reply()).contains("$900 and $1,500");
        assertThat(decision.confidence()).isGreaterThanOrEqualTo(0.75);
        assertThat(decision.needsHuman()).isFalse();
        assertThat(decision.intent()).isEqualTo("sales");

        Decision hours = decide("Are you open on Saturdays?");
        assertThat(hours.citations()).containsExactly("c-hours");
        assertThat(hours.confidence()).isGreaterThanOrEqualTo(0.75);
    }

    @Test
    void aBetterPassageNeverLowersTheConfidence() {
        String question = "How much does it cost to replace a water heater?";
        List<Evidence> evidence = retrieve(question);
        Evidence best = evidence.get(0);
        double before = MODEL.decide(new DecisionRequest(List.of(new Turn("user", question)), Map.of(), evidence, POLICY))
                .decision().confidence();

        List<Evidence> better = new ArrayList<>(evidence);
        better.set(0, new Evidence(best.chunkId(), best.documentId(), best.title(), best.url(), best.content(),
                Math.min(1, best.score() + 0.05), best.context(), Math.min(1, best.lexical() + 0.2),
                best.relevance() + 0.1, 1, 1));
        double after = MODEL.decide(new DecisionRequest(List.of(new Turn("user", question)), Map.of(), better, POLICY))
                .decision().confidence();

        assertThat(after).isGreaterThanOrEqualTo(before);
    }

    @Test
    void theConfidenceStandsOnRecordedFeatures() {
        String question = "Which towns do you serve?";
        var result = MODEL.decide(new DecisionRequest(List.of(new Turn("user", question)), Map.of(), retrieve(question),
                POLICY));

        assertThat(result.basis().method()).isEqualTo("calibrated");
        assertThat(result.basis().features().keySet()).containsAll(Features.NAMES)
                .contains(OfflineDecisionModel.ANSWER_CONFIDENCE, OfflineDecisionModel.INTENT_CERTAINTY);
        assertThat(result.decision().confidence()).isCloseTo(Calibration.load().confidence(result.basis().features()),
                org.assertj.core.api.Assertions.within(0.001));
        assertThat(result.rawOutput()).contains("confidence_basis").contains("sentence_similarity");
    }

    @Test
    void anUnrelatedQuestionFallsBelowTheThresholdAndCitesNothing() {
        for (String question : List.of("Can you recommend a good pizza restaurant downtown?",
                "What is the capital of Australia?", "Do you sell car insurance for motorbikes in Tokyo?")) {
            Decision decision = decide(question);
            assertThat(decision.confidence()).as(question).isLessThan(0.75);
            assertThat(decision.citations()).as(question).isEmpty();
            assertThat(decision.needsHuman()).as(question).isTrue();
        }
    }

    @Test
    void aSpanishQuestionIsAnsweredInSpanishAndAnEnglishOneInEnglish() {
        Decision spanish = decide("¿Cómo declaro un siniestro por daños de agua en mi casa?");
        assertThat(spanish.citations()).containsExactly("c-siniestro");
        assertThat(spanish.reply()).startsWith("Según nuestra información").contains("30 días");

        Decision english = decide("Which towns do you serve?");
        assertThat(english.reply()).startsWith("Here is what our help center says").contains("Madison");
    }

    @Test
    void aBillingQuestionAsksForTheRequiredPolicyNumberUntilItIsGiven() {
        Decision asking = decide("¿Cuándo se cobra la prima de mi seguro?");
        assertThat(asking.intent()).isEqualTo("billing");
        assertThat(asking.confidence()).as("asking rests on the intent, not on the evidence").isGreaterThanOrEqualTo(0.75);
        assertThat(asking.missingFields()).containsExactly("policy_number");
        assertThat(asking.reply()).contains("número de póliza");

        String withNumber = "¿Cuándo se cobra la prima? Mi póliza es GX-204518";
        // whatever the confidence, the draft now answers from the payments passage instead of asking again
        Policy answering = new Policy(0, POLICY.requiredFields(), List.of());
        Decision given = MODEL.decide(new DecisionRequest(List.of(new Turn("user", withNumber)), Map.of(),
                retrieve(withNumber), answering)).decision();
        assertThat(given.missingFields()).isEmpty();
        assertThat(given.citations()).containsExactly("c-pago");

        Decision fromContact = MODEL.decide(new DecisionRequest(List.of(new Turn("user", "When is my premium charged?")),
                Map.of("policy_number", "GX-1"), retrieve("When is my premium charged?"), POLICY)).decision();
        assertThat(fromContact.missingFields()).isEmpty();
    }

    @Test
    void toolsAreProposedByRule() {
        Decision leak = decide("Urgent: my water heater is leaking all over the basement");
        assertThat(leak.actions()).singleElement().satisfies(action -> {
            assertThat(action.tool()).isEqualTo(ToolNames.CREATE_TICKET);
            assertThat(action.args()).containsEntry("priority", "high");
        });
        Decision human = decide("I want to talk to a human please");
        assertThat(human.actions()).extracting(Decision.ProposedAction::tool).containsExactly(ToolNames.HANDOFF_TO_HUMAN);
        assertThat(human.needsHuman()).isTrue();
        assertThat(decide("Quiero cancelar mi póliza").actions()).extracting(Decision.ProposedAction::tool)
                .contains(ToolNames.CANCEL_SUBSCRIPTION);
    }
}
