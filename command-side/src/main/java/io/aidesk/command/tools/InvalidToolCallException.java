package io.aidesk.command.tools;

/** A tool call that may not run as asked: bad arguments, an unknown tool, a contact of another tenant. */
public class InvalidToolCallException extends RuntimeException {
    private final String field;

    public InvalidToolCallException(String field, String message) {
        super(message);
        this.field = field;
    }

    /** The argument at fault (args.contact_id), or "tool". */
    public String field() {
        return field;
    }
}
