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
            double similarity = Vectors.cosine(query, passages.get(i));
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

        Decision hours = decide("Are you open on Saturdays?");
        assertThat(hours.citations()).containsExactly("c-hours");
        assertThat(hours.confidence()).isGreaterThanOrEqualTo(0.75);
    }

    @Test
    void theReplyQuotesTheCommandThatFollowsTheSentenceNamingIt() {
        // documentation names the step in a sentence, explains it in the next and shows the command on the line after
        String content = "Removed packages leave their configuration files behind. You can purge all remaining "
                + "configuration files of removed packages. It takes a single command, run as root.\n"
                + "# apt purge '~c'\nThe packages themselves stay removed.";
        String question = "how can i get rid of the settings files that the apps i uninstalled left behind?";
        float[] query = EMBEDDINGS.embedQuery(question);
        double similarity = Vectors.cosine(query, EMBEDDINGS.embedDocuments(List.of("Leftover configuration\n" + content)).get(0));
        Evidence page = new Evidence("c-purge", "d-purge", "Leftover configuration", "https://help.test/purge", content,
                similarity, "Leftover configuration", 0.3, similarity + 0.075, 1, 1);
        Policy copilot = new Policy(0, Map.of(), List.of());

        Decision decision = MODEL.decide(new DecisionRequest(List.of(new Turn("user", question)), Map.of(),
                List.of(page), copilot)).decision();

        assertThat(decision.citations()).containsExactly("c-purge");
        assertThat(decision.reply()).contains("purge all remaining configuration files").contains("apt purge '~c'");
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
    void aProblemTheKnowledgeAnswersGetsTheAnswerBesideItsTicket() {
        // a plumbing problem, a domain the classifier never saw: it may read it off-topic first, the knowledge rules that out
        List<Evidence> emergencies = List.of(new Evidence("c-overflow", "d-overflow", "Emergencies",
                "https://help.test/emergencies", "If water is pouring out of your toilet, turn the shut-off valve "
                + "behind it clockwise to stop the water. Then call us.", 0.8));
        Decision decision = MODEL.decide(new DecisionRequest(List.of(new Turn("user",
                "Water is pouring out of the loo in our bathroom, what do I do to stop it?")), Map.of(), emergencies,
                new Policy(0, Map.of(), List.of()))).decision();

        assertThat(decision.actions()).extracting(action -> action.tool()).containsExactly(ToolNames.CREATE_TICKET);
        assertThat(decision.reply()).contains("turn the shut-off valve");
        assertThat(decision.citations()).containsExactly("c-overflow");
    }

    @Test
    void aHowToQuestionTheKnowledgeAnswersSurelyIsAnsweredAndNothingIsRequested() {
        for (String[] asked : List.of(
                // read as a plan change (0.79) by the classifier of 2026-12-02
                new String[]{"how can I move my repository to a bigger storage tier on the server?",
                        "To move a repository to a bigger storage tier on the server, open its settings, choose Storage "
                                + "and pick the larger tier.", "choose Storage"},
                new String[]{"¿cómo borro una rama del servidor remoto desde la terminal?",
                        "Para borrar una rama del servidor remoto, ejecute git push origin --delete y el nombre de la rama.",
                        "git push origin --delete"})) {
            List<Evidence> page = List.of(new Evidence("c-branch", "d-branch", "Branches", "https://help.test/branches",
                    asked[1], 0.86, "Branches", 0.9, 1.1, 1, 1));
            Decision decision = MODEL.decide(new DecisionRequest(List.of(new Turn("user", asked[0])), Map.of(), page,
                    new Policy(0.5, Map.of(), List.of()))).decision();

            assertThat(decision.actions()).as(asked[0] + " " + decision).isEmpty();
            assertThat(decision.missingFields()).as(asked[0]).isEmpty();
            assertThat(decision.reply()).as(asked[0]).contains(asked[2]);
            assertThat(decision.citations()).containsExactly("c-branch");
        }
    }

    @Test
    void theConfidenceStandsOnRecordedFeatures() {
        String question = "Which towns do you serve?";
        var result = MODEL.decide(new DecisionRequest(List.of(new Turn("user", question)), Map.of(), retrieve(question),
                POLICY));

        assertThat(result.basis().method()).isEqualTo("calibrated");
        assertThat(result.basis().features().keySet()).containsAll(Features.NAMES)
                .contains(OfflineDecisionModel.ANSWER_CONFIDENCE);
        assertThat(result.decision().confidence()).isCloseTo(Calibration.load().confidence(result.basis().features()),
                org.assertj.core.api.Assertions.within(0.001));
        assertThat(result.basis().answerConfidence()).isEqualTo(result.decision().confidence());
        assertThat(result.basis().needs()).as("what the classifier read, most likely first").isNotEmpty()
                .isSortedAccordingTo((a, b) -> Double.compare(b.probability(), a.probability()));
        assertThat(result.basis().classifier()).startsWith("softmax-");
        assertThat(result.rawOutput()).contains("confidence_basis").contains("sentence_similarity").contains("\"needs\"");
    }

    @Test
    void anUnanswerableQuestionFallsBelowTheThresholdAndCitesNothing() {
        for (String question : List.of("Do you sell car insurance for motorbikes in Tokyo?",
                "Can you fit solar panels on a flat roof?")) {
            Decision decision = decide(question);
            assertThat(decision.confidence()).as(question).isLessThan(0.75);
            assertThat(decision.citations()).as(question).isEmpty();
            assertThat(decision.needsHuman()).as(question).isTrue();
        }
    }

    @Test
    void smallTalkAndOffTopicChatGetAShortReplyWithoutCitations() {
        Decision greeting = decide("good morning!! hope your week is going well");
        assertThat(greeting.actions()).isEmpty();
        assertThat(greeting.citations()).isEmpty();
        assertThat(greeting.needsHuman()).isFalse();
        assertThat(greeting.reply()).startsWith("Hello!");

        Decision trivia = decide("Who won the football world cup in 1986?");
        assertThat(trivia.actions()).isEmpty();
        assertThat(trivia.citations()).isEmpty();
        assertThat(trivia.reply()).contains("I can only help");
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
    void anInformationQuestionNeedsNoRequiredFieldButARefundDoesAndGoesOnOnceItIsGiven() {
        Decision question = decide("¿Cuándo se cobra la prima cada mes?");
        assertThat(question.missingFields()).isEmpty();
        assertThat(question.citations()).containsExactly("c-pago");

        String refund = "Me han cargado 45 euros de más en el último recibo, quiero que me los devuelvan";
        Decision asking = decide(refund);
        assertThat(asking.intent()).isEqualTo("billing");
        assertThat(asking.missingFields()).containsExactly("policy_number");
        assertThat(asking.reply()).contains("número de póliza");
        assertThat(asking.actions()).extracting(Decision.ProposedAction::tool).containsExactly(ToolNames.ISSUE_CREDIT);

        List<Turn> conversation = List.of(new Turn("user", refund), new Turn("assistant", asking.reply()),
                new Turn("user", "claro, es la GX-204518"));
        var given = MODEL.decide(new DecisionRequest(conversation, Map.of(), retrieve("claro, es la GX-204518"), POLICY));
        assertThat(given.decision().missingFields()).isEmpty();
        assertThat(given.decision().actions()).singleElement().satisfies(action -> {
            assertThat(action.tool()).isEqualTo(ToolNames.ISSUE_CREDIT);
            assertThat(action.args()).containsEntry("amount", 45.0).containsEntry("currency", "EUR");
        });
        assertThat(given.basis().method()).isEqualTo("action");
        assertThat(given.decision().confidence()).isEqualTo(given.basis().actionConfidence());
    }

    @Test
    void whatTheCustomerAsksForDecidesTheTool() {
        Decision leak = decide("Urgent: water is pouring out from under the heater all over the basement");
        assertThat(leak.actions()).singleElement().satisfies(action -> {
            assertThat(action.tool()).isEqualTo(ToolNames.CREATE_TICKET);
            assertThat(action.args()).containsEntry("priority", "high");
        });
        Decision human = decide("I want to talk to a human please");
        assertThat(human.actions()).extracting(Decision.ProposedAction::tool).containsExactly(ToolNames.HANDOFF_TO_HUMAN);
        assertThat(human.needsHuman()).isTrue();
        assertThat(decide("Quiero cancelar mi póliza").actions()).extracting(Decision.ProposedAction::tool)
                .contains(ToolNames.CANCEL_SUBSCRIPTION);
        Decision plan = decide("Please move me onto the Premium plan from next month");
        assertThat(plan.actions()).singleElement().satisfies(action -> {
            assertThat(action.tool()).isEqualTo(ToolNames.CHANGE_PLAN);
            assertThat(action.args()).containsEntry("plan", "Premium");
        });
    }
}
