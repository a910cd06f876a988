package io.aidesk.gateway.embedding;

import io.aidesk.gateway.openai.OpenAiEmbeddingModel;
import io.aidesk.gateway.openai.OpenAiSettings;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The embedding model: OpenAI's when an API key is configured, otherwise the offline BGE model on a small pool of
 * its own. aidesk.embedding.provider (auto | offline | openai) overrides the choice.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(OpenAiSettings.class)
public class EmbeddingConfig {
    private static final Logger log = LoggerFactory.getLogger(EmbeddingConfig.class);

    @Bean
    EmbeddingModel embeddingModel(EmbeddingModels models) {
        return models.target();
    }

    @Bean
    EmbeddingModels embeddingModels(OpenAiSettings openAi, MeterRegistry registry,
                                    @Value("${aidesk.embedding.provider:auto}") String provider) {
        boolean useOpenAi = switch (provider) {
            case "openai" -> {
                if (!openAi.configured()) {
                    throw new IllegalStateException("aidesk.embedding.provider=openai needs OPENAI_API_KEY");
                }
                yield true;
            }
            case "offline" -> false;
            case "auto" -> openAi.configured();
            default -> throw new IllegalStateException("aidesk.embedding.provider is auto, offline or openai, not '"
                    + provider + "'");
        };
        EmbeddingModel target = new MeteredEmbeddingModel(useOpenAi ? openAi(openAi) : offline(), registry);
        log.info("embedding knowledge with {} ({} dimensions)", target.name(), target.dimension());
        Map<String, Supplier<EmbeddingModel>> available = new HashMap<>();
        // the offline model can always answer for vectors it made; OpenAI's only while a key is configured
        available.put(OfflineEmbeddingModel.NAME, () -> new MeteredEmbeddingModel(offline(), registry));
        if (openAi.configured()) {
            EmbeddingModel remote = openAi(openAi);
            available.put(remote.name(), () -> new MeteredEmbeddingModel(remote, registry));
        }
        return new EmbeddingModels(target, available);
    }

    private static EmbeddingModel openAi(OpenAiSettings settings) {
        return new OpenAiEmbeddingModel(settings.client(), settings.embeddingModel(), settings.embeddingDimension());
    }

    private static EmbeddingModel offline() {
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
        return new OfflineEmbeddingModel(new FairShareExecutor(threads, "aidesk-embedding"));
    }
}
