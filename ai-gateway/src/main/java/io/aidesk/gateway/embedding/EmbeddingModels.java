package io.aidesk.gateway.embedding;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The model new vectors are made with (the target), and the models that can still embed queries for vectors made
 * earlier, so a tenant keeps being answered from its old vectors while a model change re-embeds them.
 */
public class EmbeddingModels {
    private final EmbeddingModel target;
    private final Map<String, Supplier<EmbeddingModel>> available;
    private final Map<String, EmbeddingModel> loaded = new ConcurrentHashMap<>();

    /** @param available models by name, built on first use (the offline model takes a few seconds to load) */
    public EmbeddingModels(EmbeddingModel target, Map<String, Supplier<EmbeddingModel>> available) {
        this.target = target;
        this.available = Map.copyOf(available);
        loaded.put(target.name(), target);
    }

    public EmbeddingModel target() {
        return target;
    }

    /** @return the model of that name, if this deployment can still run it */
    public Optional<EmbeddingModel> named(String name) {
        if (name == null) {
            return Optional.empty();
        }
        Supplier<EmbeddingModel> factory = available.get(name);
        if (!loaded.containsKey(name) && factory == null) {
            return Optional.empty();
        }
        return Optional.of(loaded.computeIfAbsent(name, n -> factory.get()));
    }
}
