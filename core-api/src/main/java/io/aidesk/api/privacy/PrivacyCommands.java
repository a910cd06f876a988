package io.aidesk.api.privacy;

/** A data subject's rights over what AI Desk keeps of them; the tenant and the user travel in the metadata. */
public final class PrivacyCommands {
    private PrivacyCommands() {
    }

    /** Destroys the contact's key: everything sealed with it reads as {@link PersonalData#ERASED} from then on. */
    public record EraseContact(String contactId) {
    }
}
