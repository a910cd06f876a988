package io.aidesk.gateway.embedding;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.util.List;

/** Counts every text sent to the model (aidesk.embedding.texts) and times the calls: re-syncs are held to zero. */
public class MeteredEmbeddingModel implements EmbeddingModel {
    public static final String TEXTS = "aidesk.embedding.texts";

    private final EmbeddingModel model;
    private final Counter documents;
    private final Counter queries;
    private final Timer timer;

    public MeteredEmbeddingModel(EmbeddingModel model, MeterRegistry registry) {
        this.model = model;
        this.documents = Counter.builder(TEXTS).tag("model", model.name()).tag("kind", "document").register(registry);
        this.queries = Counter.builder(TEXTS).tag("model", model.name()).tag("kind", "query").register(registry);
        this.timer = Timer.builder("aidesk.embedding.calls").tag("model", model.name()).register(registry);
    }

    @Override
    public String name() {
        return model.name();
    }

    @Override
    public int dimension() {
        return model.dimension();
    }

    @Override
    public int maxTokens() {
        return model.maxTokens();
    }

    @Override
    public int countTokens(String text) {
        return model.countTokens(text);
    }

    @Override
    public List<float[]> embedDocuments(List<String> texts) {
        documents.increment(texts.size());
        return timer.record(() -> model.embedDocuments(texts));
    }

    @Override
    public float[] embedQuery(String query) {
        queries.increment();
        return timer.record(() -> model.embedQuery(query));
    }
}
