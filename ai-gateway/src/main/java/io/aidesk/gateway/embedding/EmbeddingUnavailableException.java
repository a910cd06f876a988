package io.aidesk.gateway.embedding;

/** The embedding model could not answer (network, quota, a malformed reply); the caller decides whether to retry. */
public class EmbeddingUnavailableException extends RuntimeException {
    public EmbeddingUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
