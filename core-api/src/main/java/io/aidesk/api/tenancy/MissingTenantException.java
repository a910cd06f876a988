package io.aidesk.api.tenancy;

/** A message reached a handler without the tenant it must act for. */
public class MissingTenantException extends RuntimeException {
    public MissingTenantException(String messageType) {
        super(messageType + " carries no " + MetadataKeys.TENANT_ID + " in its metadata");
    }
}
