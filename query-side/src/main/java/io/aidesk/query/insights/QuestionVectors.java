package io.aidesk.query.insights;

import io.aidesk.gateway.embedding.EmbeddingModel;
import org.springframework.stereotype.Component;

import java.util.LinkedHashMap;
import java.util.Map;

/** Questions' embeddings, kept for the next read of the gaps: the same questions come back every time. */
@Component
class QuestionVectors {
    static final int CAPACITY = 20_000;

    private final Map<String, float[]> cache = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, float[]> eldest) {
            return size() > CAPACITY;
        }
    };

    float[] of(EmbeddingModel model, String text) {
        String key = model.name() + "\n" + text;
        synchronized (cache) {
            float[] known = cache.get(key);
            if (known != null) {
                return known;
            }
        }
        float[] vector = model.embedQuery(text);
        synchronized (cache) {
            cache.put(key, vector);
        }
        return vector;
    }
}
