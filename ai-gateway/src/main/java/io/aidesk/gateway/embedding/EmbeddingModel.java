package io.aidesk.gateway.embedding;

import java.util.List;

/** Turns text into vectors. Chunks and queries are embedded differently by retrieval models, so they are two calls. */
public interface EmbeddingModel {

    /** Recorded with every chunk, so vectors of different models are never compared. */
    String name();

    int dimension();

    /** The model's input window; text past it is cut by the model, so chunks are sized below it. */
    int maxTokens();

    int countTokens(String text);

    List<float[]> embedDocuments(List<String> texts);

    float[] embedQuery(String query);
}
