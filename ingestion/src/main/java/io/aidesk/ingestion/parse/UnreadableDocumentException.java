package io.aidesk.ingestion.parse;

/** A file or page that cannot be indexed, with a reason a person can act on. */
public class UnreadableDocumentException extends RuntimeException {
    public UnreadableDocumentException(String reason) {
        super(reason);
    }

    public UnreadableDocumentException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
