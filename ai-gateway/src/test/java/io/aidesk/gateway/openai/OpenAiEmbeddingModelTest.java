package io.aidesk.gateway.openai;

import com.openai.client.okhttp.OpenAIOkHttpClient;
import io.aidesk.gateway.embedding.EmbeddingUnavailableException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The OpenAI adapter against a server that speaks the OpenAI protocol on loopback. */
class OpenAiEmbeddingModelTest {
    private final LoopbackOpenAi server = new LoopbackOpenAi();

    @AfterEach
    void stop() {
        server.close();
    }

    private OpenAiEmbeddingModel model(String apiKey) {
        return new OpenAiEmbeddingModel(OpenAIOkHttpClient.builder().apiKey(apiKey).baseUrl(server.baseUrl())
                .timeout(Duration.ofSeconds(5)).maxRetries(2).build(), "text-embedding-3-small", 1536);
    }

    @Test
    void aBatchComesBackInInputOrderWithTheRequestedModelAndDimension() {
        List<String> texts = List.of("water heater prices", "opening hours on saturday", "insurance claims");

        List<float[]> vectors = model(LoopbackOpenAi.API_KEY).embedDocuments(texts);

        assertThat(vectors).hasSize(3);
        for (int i = 0; i < texts.size(); i++) {
            assertThat(vectors.get(i)).as(texts.get(i)).containsExactly(LoopbackOpenAi.embed(texts.get(i), 1536));
        }
        assertThat(server.requests()).hasSize(1);
        assertThat(server.requests().get(0).path("model").asText()).isEqualTo("text-embedding-3-small");
        assertThat(server.requests().get(0).path("dimensions").asInt()).isEqualTo(1536);
        assertThat(server.requests().get(0).path("input")).hasSize(3);
    }

    @Test
    void itNamesItselfWithModelAndDimensionAndCountsTokensWithTheModelsTokenizer() {
        OpenAiEmbeddingModel model = model(LoopbackOpenAi.API_KEY);

        assertThat(model.name()).isEqualTo("openai:text-embedding-3-small@1536");
        assertThat(model.dimension()).isEqualTo(1536);
        assertThat(model.maxTokens()).isEqualTo(8191);
        // cl100k_base: "hello world" is two tokens, "tokenization" two ("token", "ization")
        assertThat(model.countTokens("hello world")).isEqualTo(2);
        assertThat(model.countTokens("tokenization")).isEqualTo(2);
        assertThat(server.requests()).as("counting tokens costs no request").isEmpty();
    }

    @Test
    void aServerErrorIsRetriedAndABadKeyIsAClearFailure() {
        server.failNext(1);
        assertThat(model(LoopbackOpenAi.API_KEY).embedQuery("hours")).hasSize(1536);
        assertThat(server.requests()).as("the failed attempt and its retry").hasSize(2);

        assertThatThrownBy(() -> model("sk-wrong").embedQuery("hours"))
                .isInstanceOf(EmbeddingUnavailableException.class)
                .hasMessageContaining("openai:text-embedding-3-small@1536 failed")
                .hasMessageContaining("401");
    }

    @Test
    void aQueryLeavesWithItsPersonalDataReplacedByPlaceholders() {
        model(LoopbackOpenAi.API_KEY).embedQuery("refund to card 4111 1111 1111 1111, mail me at ana@example.com");

        String sent = server.requests().get(0).path("input").get(0).asText();
        assertThat(sent).isEqualTo("refund to card [CARD_1], mail me at [EMAIL_1]");
    }
}
