package io.aidesk.gateway.openai;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import com.openai.client.OpenAIClient;
import com.openai.errors.OpenAIException;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.Embedding;
import com.openai.models.embeddings.EmbeddingCreateParams;
import io.aidesk.gateway.embedding.EmbeddingModel;
import io.aidesk.gateway.embedding.EmbeddingUnavailableException;

import java.util.Comparator;
import java.util.List;

/**
 * OpenAI's embeddings (text-embedding-3-small by default) through openai-java. Token counts use the model's own
 * tokenizer (cl100k_base, via jtokkit) so chunks are sized in the tokens the model reads.
 */
public class OpenAiEmbeddingModel implements EmbeddingModel {
    /** The input window of OpenAI's third-generation embedding models. */
    static final int MAX_TOKENS = 8191;
    private static final Encoding TOKENIZER = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.CL100K_BASE);

    private final OpenAIClient client;
    private final String model;
    private final int dimension;

    public OpenAiEmbeddingModel(OpenAIClient client, String model, int dimension) {
        this.client = client;
        this.model = model;
        this.dimension = dimension;
    }

    @Override
    public String name() {
        // the dimension is part of the name: text-embedding-3 vectors shortened to another size are not comparable
        return "openai:" + model + "@" + dimension;
    }

    @Override
    public int dimension() {
        return dimension;
    }

    @Override
    public int maxTokens() {
        return MAX_TOKENS;
    }

    @Override
    public int countTokens(String text) {
        return TOKENIZER.countTokensOrdinary(text);
    }

    @Override
    public List<float[]> embedDocuments(List<String> texts) {
        if (texts.isEmpty()) {
            return List.of();
        }
        CreateEmbeddingResponse response;
        try {
            response = client.embeddings().create(EmbeddingCreateParams.builder()
                    .model(model)
                    .dimensions(dimension)
                    .encodingFormat(EmbeddingCreateParams.EncodingFormat.FLOAT)
                    .inputOfArrayOfStrings(texts)
                    .build());
        } catch (OpenAIException e) {
            throw new EmbeddingUnavailableException(name() + " failed: " + e.getMessage(), e);
        }
        List<Embedding> data = response.data().stream().sorted(Comparator.comparingLong(Embedding::index)).toList();
        if (data.size() != texts.size()) {
            throw new EmbeddingUnavailableException(name() + " answered " + data.size() + " vectors for " + texts.size()
                    + " texts", null);
        }
        return data.stream().map(this::vector).toList();
    }

    /** A query is a customer's words: its personal data leaves as placeholders, which cost retrieval nothing. */
    @Override
    public float[] embedQuery(String query) {
        return embedDocuments(List.of(new PiiRedactor().redact(query))).get(0);
    }

    private float[] vector(Embedding embedding) {
        List<Float> values = embedding.embedding();
        if (values.size() != dimension) {
            throw new EmbeddingUnavailableException(name() + " answered a vector of " + values.size()
                    + " dimensions", null);
        }
        float[] vector = new float[values.size()];
        for (int i = 0; i < vector.length; i++) {
            vector[i] = values.get(i);
        }
        return vector;
    }
}
