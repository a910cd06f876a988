package io.aidesk.gateway.decision;

import io.aidesk.gateway.decision.offline.OfflineDecisionModel;
import io.aidesk.gateway.embedding.EmbeddingModels;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The decision model: the offline one for now; the OpenAI adapter (strict structured output) takes over with a key. */
@Configuration(proxyBeanMethods = false)
public class DecisionConfig {

    @Bean
    DecisionModel decisionModel(EmbeddingModels embeddings) {
        return new OfflineDecisionModel(embeddings.target());
    }
}
