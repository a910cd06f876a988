package io.aidesk.api.privacy;

/** What happened to a contact's personal data, tenant-tagged. */
public final class PrivacyEvents {
    private PrivacyEvents() {
    }

    /** The contact's key is destroyed; read models scrub what they hold of the contact. */
    public record ContactErased(String tenantId, String contactId, String by) {
    }
}
