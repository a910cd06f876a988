package io.aidesk.app.privacy;

import io.aidesk.api.privacy.PrivacyEvents.ContactErased;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.Timestamp;
import org.springframework.stereotype.Component;

import java.time.Instant;

/**
 * Makes sure an erased contact's key is destroyed in the transaction that records the erasure (a subscribing
 * processor; the command handler destroyed it already, this is idempotent) and evicts it from this node's cache: from
 * then on every sealed value of the contact reads as {@code [erased]}.
 */
@Component
@ProcessingGroup(KeyShredder.PROCESSING_GROUP)
class KeyShredder {
    static final String PROCESSING_GROUP = "privacy-keys";

    private final JdbcPrivacyKeys keys;

    KeyShredder(JdbcPrivacyKeys keys) {
        this.keys = keys;
    }

    @EventHandler
    void on(ContactErased event, @Timestamp Instant erasedAt) {
        keys.erase(event.tenantId(), event.contactId(), event.by(), erasedAt);
    }
}
