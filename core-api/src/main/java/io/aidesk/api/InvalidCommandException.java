package io.aidesk.api;

/** An aggregate refused a command because a field breaks one of its rules. */
public class InvalidCommandException extends RuntimeException {
    private final String field;

    public InvalidCommandException(String field, String detail) {
        super(detail);
        this.field = field;
    }

    /** The snake_case name of the offending field, as the API spells it. */
    public String field() {
        return field;
    }
}
