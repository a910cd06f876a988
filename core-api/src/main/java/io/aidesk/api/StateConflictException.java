package io.aidesk.api;

/** The request is valid but the record is no longer in a state that allows it (an approval decided twice); 409. */
public class StateConflictException extends RuntimeException {
    public StateConflictException(String message) {
        super(message);
    }
}
