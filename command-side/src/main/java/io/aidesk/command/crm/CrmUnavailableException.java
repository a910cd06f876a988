package io.aidesk.command.crm;

/** The host CRM did not answer (timeout, 5xx, no connection) after the retries: the call did not run. */
public class CrmUnavailableException extends RuntimeException {
    public CrmUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
