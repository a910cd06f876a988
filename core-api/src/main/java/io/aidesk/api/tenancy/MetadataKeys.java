package io.aidesk.api.tenancy;

/** Keys every command and event carries in its metadata; snake_case as the audit shows them. */
public final class MetadataKeys {
    public static final String TENANT_ID = "tenant_id";
    public static final String USER_ID = "user_id";
    /** The id of the request or message that started the whole flow. */
    public static final String CORRELATION_ID = "correlation_id";
    /** The id of the message that directly caused this one. */
    public static final String CAUSATION_ID = "causation_id";

    private MetadataKeys() {
    }
}
