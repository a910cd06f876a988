package io.aidesk.api;

/** The tenant has switched off what was asked for (the copilot, say); answered 409. */
public class FeatureDisabledException extends RuntimeException {
    public FeatureDisabledException(String message) {
        super(message);
    }
}
