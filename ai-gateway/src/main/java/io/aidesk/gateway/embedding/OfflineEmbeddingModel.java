package io.aidesk.gateway.embedding;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.HuggingFaceTokenCountEstimator;
import dev.langchain4j.model.embedding.onnx.bgesmallenv15q.BgeSmallEnV15QuantizedEmbeddingModel;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * BGE small (English, v1.5, quantized) running in-process from the ONNX model inside its Maven Central jar:
 * 384 dimensions, a 512-token window, no network.
 */
public class OfflineEmbeddingModel implements EmbeddingModel {
    public static final String NAME = "bge-small-en-v1.5-q";
    /** BGE's instruction for short queries that look for passages. */
    static final String QUERY_INSTRUCTION = "Represent this sentence for searching relevant passages: ";
    private static final String TOKENIZER = "bge-small-en-v1.5-q-tokenizer.json";
    private static final int CACHED_QUERIES = 512;

    private final BgeSmallEnV15QuantizedEmbeddingModel model;
    private final HuggingFaceTokenCountEstimator tokens;
    /** A run embeds its question for the search and again for the answer's sentences: the second costs nothing. */
    private final Map<String, float[]> queries = Collections.synchronizedMap(new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, float[]> eldest) {
            return size() > CACHED_QUERIES;
        }
    });

    public OfflineEmbeddingModel(Executor executor) {
        this.model = new BgeSmallEnV15QuantizedEmbeddingModel(executor);
        this.tokens = new HuggingFaceTokenCountEstimator(tokenizerFile());
    }

    private static Path tokenizerFile() {
        try (InputStream in = BgeSmallEnV15QuantizedEmbeddingModel.class.getResourceAsStream("/" + TOKENIZER)) {
            if (in == null) {
                throw new IllegalStateException(TOKENIZER + " is missing from the embedding model's jar");
            }
            Path file = Files.createTempFile("aidesk-bge-tokenizer", ".json");
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            file.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack the embedding tokenizer", e);
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int dimension() {
        return 384;
    }

    @Override
    public int maxTokens() {
        return 512;
    }

    @Override
    public int countTokens(String text) {
        return tokens.estimateTokenCountInText(text);
    }

    @Override
    public List<float[]> embedDocuments(List<String> texts) {
        if (texts.isEmpty()) {
            return List.of();
        }
        return model.embedAll(texts.stream().map(TextSegment::from).toList()).content().stream()
                .map(embedding -> embedding.vector())
                .toList();
    }

    @Override
    public float[] embedQuery(String query) {
        float[] vector = queries.get(query);
        if (vector == null) {
            vector = model.embed(QUERY_INSTRUCTION + query).content().vector();
            queries.put(query, vector);
        }
        return vector.clone();
    }
}
