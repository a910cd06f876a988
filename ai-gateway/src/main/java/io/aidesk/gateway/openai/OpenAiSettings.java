package io.aidesk.gateway.openai;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * The OpenAI connection (aidesk.openai.*). With no API key the offline models serve instead.
 *
 * @param baseUrl        any OpenAI-compatible server
 * @param embeddingModel the embedding model; its dimension is asked for explicitly, so a deployment can shorten it
 * @param decisionModel  the chat model that decides, with structured output
 */
@ConfigurationProperties("aidesk.openai")
public record OpenAiSettings(
        String apiKey,
        @DefaultValue("https://api.openai.com/v1") String baseUrl,
        @DefaultValue("text-embedding-3-small") String embeddingModel,
        @DefaultValue("1536") int embeddingDimension,
        @DefaultValue("gpt-4o-mini") String decisionModel,
        @DefaultValue("30s") Duration timeout,
        @DefaultValue("2") int maxRetries) {

    public boolean configured() {
        return apiKey != null && !apiKey.isBlank();
    }

    /** A client for these settings: openai-java retries 429s, 5xx and timeouts maxRetries times with backoff. */
    public OpenAIClient client() {
        return OpenAIOkHttpClient.builder().apiKey(apiKey).baseUrl(baseUrl).timeout(timeout).maxRetries(maxRetries).build();
    }
}
