package io.aidesk.api;

/** The caller's role may not do what was asked, though the path is open to it (an agent following approvals); 403. */
public class ForbiddenException extends RuntimeException {
    public ForbiddenException(String message) {
        super(message);
    }
}
