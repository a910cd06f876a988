package io.aidesk.api.tenancy;

/** An id that is unknown or belongs to another tenant: both answer the same, so ids do not leak. */
public class NotFoundException extends RuntimeException {
    public NotFoundException(String what) {
        super(what + " not found");
    }
}
