package io.aidesk.webhooks;

/** Seals endpoints' signing secrets before they are stored (the privacy module's master key holds the key). */
public interface SigningSecrets {
    byte[] seal(String tenant, String endpointId, String secret);

    String open(String tenant, String endpointId, byte[] sealed);
}
