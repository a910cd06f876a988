package io.aidesk.app.privacy;

import javax.crypto.SecretKey;
import java.util.Optional;
import java.util.UUID;

/** The contacts' keys and which contact a conversation or run is about, by tenant. */
interface PrivacyKeys {
    /** A contact's live key. */
    record ContactKey(UUID keyId, SecretKey secret) {
    }

    /** The contact's live key, made in the current transaction when the contact has none (or it was destroyed). */
    ContactKey keyFor(String tenant, String contactId);

    /** @return the key, or empty when it was destroyed (or is not one of the tenant's keys) */
    Optional<SecretKey> key(String tenant, UUID keyId);

    /** @return the contact a conversation or run id is about, when known */
    Optional<String> contactOf(String tenant, String ref);

    /** Records that a conversation or run is about the contact; the first link of a ref stands. */
    void link(String tenant, String ref, String contactId);
}
