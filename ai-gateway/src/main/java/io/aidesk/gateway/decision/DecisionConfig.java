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

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The decision model: OpenAI's (strict structured output) when an API key is configured, otherwise the offline one.
 * aidesk.decision.provider (auto | offline | openai) overrides the choice.
 */
@Configuration(proxyBeanMethods = false)
public class DecisionConfig {
    private static final Logger log = LoggerFactory.getLogger(DecisionConfig.class);
    private static final Pattern OPENAI_MODEL = Pattern.compile("openai:[A-Za-z0-9._:-]{1,64}");

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

    @Bean
    DecisionModels decisionModels(DecisionModel configured, OpenAiSettings openAi, EmbeddingModels embeddings) {
        Map<String, DecisionModel> made = new ConcurrentHashMap<>(Map.of(configured.name(), configured));
        return new DecisionModels() {
            @Override
            public DecisionModel configured() {
                return configured;
            }

            @Override
            public Optional<DecisionModel> named(String name) {
                if (name == null) {
                    return Optional.empty();
                }
                if (OfflineDecisionModel.NAME.equals(name)) {
                    return Optional.of(made.computeIfAbsent(name, n -> new OfflineDecisionModel(embeddings.target())));
                }
                if (openAi.configured() && OPENAI_MODEL.matcher(name).matches()) {
                    return Optional.of(made.computeIfAbsent(name, n -> new OpenAiDecisionModel(openAi.client(),
                            n.substring("openai:".length()))));
                }
                return Optional.ofNullable(made.get(name));
            }

            @Override
            public List<String> offered() {
                List<String> names = new ArrayList<>(List.of(configured.name()));
                if (!names.contains(OfflineDecisionModel.NAME)) {
                    names.add(OfflineDecisionModel.NAME);
                }
                if (openAi.configured()) {
                    names.add("openai:<model>");
                }
                return names;
            }
        };
    }
}
