package io.aidesk.gateway.decision;

import io.aidesk.gateway.decision.offline.OfflineDecisionModel;
import io.aidesk.gateway.embedding.EmbeddingModels;
import io.aidesk.gateway.openai.OpenAiDecisionModel;
import io.aidesk.gateway.openai.OpenAiSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The decision model: OpenAI's (strict structured output) when an API key is configured, otherwise the offline one.
 * aidesk.decision.provider (auto | offline | openai) overrides the choice.
 */
@Configuration(proxyBeanMethods = false)
public class DecisionConfig {
    private static final Logger log = LoggerFactory.getLogger(DecisionConfig.class);

    @Bean
    DecisionModel decisionModel(OpenAiSettings openAi, EmbeddingModels embeddings,
                                @Value("${aidesk.decision.provider:auto}") String provider) {
        boolean useOpenAi = switch (provider) {
            case "openai" -> {
                if (!openAi.configured()) {
                    throw new IllegalStateException("aidesk.decision.provider=openai needs OPENAI_API_KEY");
                }
                yield true;
            }
            case "offline" -> false;
            case "auto" -> openAi.configured();
            default -> throw new IllegalStateException("aidesk.decision.provider is auto, offline or openai, not '"
                    + provider + "'");
        };
        DecisionModel model = useOpenAi ? new OpenAiDecisionModel(openAi.client(), openAi.decisionModel())
                : new OfflineDecisionModel(embeddings.target());
        log.info("deciding with {}", model.name());
        return model;
    }
}
