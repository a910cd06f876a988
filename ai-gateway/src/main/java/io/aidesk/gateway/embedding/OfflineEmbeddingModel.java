package io.aidesk.gateway.embedding;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.HuggingFaceTokenCountEstimator;
import dev.langchain4j.model.embedding.onnx.OnnxBertBiEncoder;
import dev.langchain4j.model.embedding.onnx.PoolingMode;
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
    private static final String WEIGHTS = "bge-small-en-v1.5-q.onnx";
    private static final int CACHED_QUERIES = 512;

    private final Encoder model;
    private final HuggingFaceTokenCountEstimator tokens;
    /** A run embeds its question for the search and again for the answer's sentences: the second costs nothing. */
    private final Map<String, float[]> queries = Collections.synchronizedMap(new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, float[]> eldest) {
            return size() > CACHED_QUERIES;
        }
    });

    public OfflineEmbeddingModel(Executor executor) {
        this.model = new Encoder(executor);
        this.tokens = new HuggingFaceTokenCountEstimator(tokenizerFile());
    }

    /**
     * LangChain4j's BGE encoder (the executor embeds a call's texts in parallel, one each) on an ONNX session of its
     * own, one thread per text and no spinning: the default session also ran a pool of intra-op threads per text,
     * spinning while idle, so two texts kept four threads busy on two cores and starved the sync that fed them.
     */
    private static final class Encoder extends AbstractInProcessEmbeddingModel {
        Encoder(Executor executor) {
            super(executor);
        }

        @Override
        protected OnnxBertBiEncoder model() {
            return Session.ENCODER;
        }

        @Override
        protected Integer knownDimension() {
            return 384;
        }
    }

    /** One session per process, loaded on first use, shared by every instance (each test context makes one). */
    private static final class Session {
        static final OnnxBertBiEncoder ENCODER = load();

        private static OnnxBertBiEncoder load() {
            // the options live as long as the session made with them: once per process, never closed
            OrtSession.SessionOptions options = new OrtSession.SessionOptions();
            try (InputStream weights = resource(WEIGHTS); InputStream tokenizer = resource(TOKENIZER)) {
                options.setIntraOpNumThreads(1);
                options.setInterOpNumThreads(1);
                options.addConfigEntry("session.intra_op.allow_spinning", "0");
                options.addConfigEntry("session.inter_op.allow_spinning", "0");
                OrtEnvironment environment = OrtEnvironment.getEnvironment();
                return new OnnxBertBiEncoder(environment, environment.createSession(weights.readAllBytes(), options),
                        tokenizer, PoolingMode.CLS);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the embedding model from its jar", e);
            } catch (OrtException e) {
                throw new IllegalStateException("ONNX Runtime cannot load the embedding model", e);
            }
        }
    }

    private static InputStream resource(String name) {
        InputStream in = BgeSmallEnV15QuantizedEmbeddingModel.class.getResourceAsStream("/" + name);
        if (in == null) {
            throw new IllegalStateException(name + " is missing from the embedding model's jar");
        }
        return in;
    }

    private static Path tokenizerFile() {
        try (InputStream in = resource(TOKENIZER)) {
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
