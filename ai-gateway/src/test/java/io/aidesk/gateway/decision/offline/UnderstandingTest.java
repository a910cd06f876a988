package io.aidesk.gateway.decision.offline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aidesk.api.decision.ConfidenceBasis.NeedScore;
import io.aidesk.api.decision.CustomerNeed;
import io.aidesk.gateway.embedding.OfflineEmbeddingModel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The fitted classifier as the offline model loads it: it reads the held-out messages `bench understand` kept beside
 * this test as well as the bench reported, and tells the needs apart in wordings of its own.
 */
class UnderstandingTest {
    private static final ExecutorService POOL = Executors.newFixedThreadPool(2);
    private static final OfflineEmbeddingModel EMBEDDINGS = new OfflineEmbeddingModel(POOL);
    private static final Understanding UNDERSTANDING = Understanding.load(EMBEDDINGS);

    @AfterAll
    static void stop() {
        POOL.shutdownNow();
    }

    @Test
    void theFittedModelReproducesItsHeldOutAccuracy() throws IOException {
        JsonNode model;
        try (InputStream in = Understanding.class.getResourceAsStream(Understanding.RESOURCE)) {
            model = new ObjectMapper().readTree(in);
        }
        List<String[]> held;
        try (InputStream in = UnderstandingTest.class.getResourceAsStream("/offline/understanding-held.tsv")) {
            held = Arrays.stream(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n"))
                    .filter(line -> !line.isBlank()).map(line -> line.split("\t")).toList();
        }
        assertThat(held).hasSize(model.path("held_out").path("messages").asInt());

        long right = held.stream().filter(row -> UNDERSTANDING.understand(row[3]).need().wire().equals(row[1])).count();

        assertThat(right / (double) held.size()).isCloseTo(model.path("held_out").path("need_accuracy").asDouble(),
                within(0.01));
    }

    @Test
    void eachNeedIsReadInWordingsOfItsOwn() {
        assertThat(UNDERSTANDING.understand("Until what hour does the branch on Main Street stay open on weekdays?").need())
                .isEqualTo(CustomerNeed.QUESTION);
        assertThat(UNDERSTANDING.understand("Since Tuesday the heating makes a grinding noise and the radiators stay cold.").need())
                .isEqualTo(CustomerNeed.PROBLEM_REPORT);
        assertThat(UNDERSTANDING.understand("Ya no voy a seguir con ustedes, quiero rescindir el contrato este mes.").need())
                .isEqualTo(CustomerNeed.CANCELLATION);
        assertThat(UNDERSTANDING.understand("hey, thanks a ton, have a lovely evening").need())
                .isEqualTo(CustomerNeed.SMALL_TALK);
    }

    @Test
    void aQuestionBesideAProblemIsReadSentenceBySentence() {
        Understanding.Understood both = UNDERSTANDING.understand(
                "The shower in the upstairs bathroom has been leaking through the ceiling since last night. "
                        + "Also, what time do you open on Saturdays?");

        assertThat(List.of(both.need(), both.alsoAsked().isEmpty() ? both.need() : both.alsoAsked().get(0).need()))
                .contains(CustomerNeed.PROBLEM_REPORT, CustomerNeed.QUESTION);
    }

    @Test
    void aQuestionAboutASensitiveActionIsNoRequestForIt() {
        Understanding.Understood asked = UNDERSTANDING.understand("Is it possible to end the lawn mowing contract before summer is over?");
        Understanding.Understood requested = UNDERSTANDING.understand("End my lawn mowing contract today, I am done with it.");

        assertThat(asked.need()).isEqualTo(CustomerNeed.QUESTION);
        assertThat(requested.need()).isEqualTo(CustomerNeed.CANCELLATION);
    }

    @Test
    void theSentenceAskingForMoneyBackLeadsTheProblemBehindIt() {
        Understanding.Understood both = UNDERSTANDING.understand(
                "The gutter crew left a dent in the garage door. I'd like a $40 credit for it.");

        assertThat(both.need()).isEqualTo(CustomerNeed.CREDIT_REFUND);
    }

    @Test
    void theDataASentenceGivesWithItsRequestIsPartOfTheRequest() {
        List<NeedScore> read = List.of(new NeedScore(CustomerNeed.CREDIT_REFUND, 0.66), new NeedScore(CustomerNeed.GIVES_DATA, 0.34));

        assertThat(Understanding.withoutItsData("Please refund the $40 call-out fee, order [data]", read).probability())
                .as("the order number given is no need beside the refund").isCloseTo(1.0, within(0.001));
        assertThat(Understanding.withoutItsData("Please refund the $40 call-out fee", read).probability()).isEqualTo(0.66);
        List<NeedScore> data = List.of(new NeedScore(CustomerNeed.GIVES_DATA, 0.7), new NeedScore(CustomerNeed.CREDIT_REFUND, 0.3));
        assertThat(Understanding.withoutItsData("order [data]", data).need()).isEqualTo(CustomerNeed.GIVES_DATA);
    }

    @Test
    void spanishIsReadInWordingsOfItsOwn() {
        assertThat(UNDERSTANDING.understand("Se soltó el canalón con el viento de anoche. ¿Podéis mandar a alguien para repararlo?")
                .need()).isEqualTo(CustomerNeed.TICKET_REQUEST);
        assertThat(UNDERSTANDING.understand("El cortacésped que me vendisteis no arranca desde el lunes").need())
                .isEqualTo(CustomerNeed.PROBLEM_REPORT);
        assertThat(UNDERSTANDING.understand("Me arrepiento de haber contratado el cortacésped mensual, quiero darlo de baja ya").need())
                .isEqualTo(CustomerNeed.CANCELLATION);
    }
}
