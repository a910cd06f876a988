package io.aidesk.command.privacy;

import io.aidesk.api.InvalidCommandException;
import io.aidesk.api.privacy.PrivacyCommands.EraseContact;
import io.aidesk.api.privacy.PrivacyEvents.ContactErased;
import io.aidesk.api.tenancy.MetadataKeys;
import io.aidesk.api.tenancy.MissingTenantException;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventhandling.EventBus;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.messaging.annotation.MetaDataValue;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

/**
 * Erases a contact: destroys the contact's key, then records {@link ContactErased} for the caller's tenant; in this
 * same transaction subscribing handlers scrub the built-in CRM and the read models and evict cached keys.
 *
 * <p>Stateless on purpose: every request is recorded and acts. A contact's data that arrives after an erasure (a run
 * still going, or the CRM using the same id again) is sealed under a new key, which a second erasure destroys, so a
 * second erasure is never refused.
 */
@Component
class ContactErasure {
    static final int MAX_CONTACT_ID = 128;

    /** What the caller is answered: the erasure as recorded. */
    record Erasure(String contactId, Instant erasedAt, String erasedBy) {
    }

    private final EventBus events;
    private final JdbcTemplate jdbc;

    ContactErasure(EventBus events, JdbcTemplate jdbc) {
        this.events = events;
        this.jdbc = jdbc;
    }

    /** Contact ids are the CRM's: the built-in CRM's are UUIDs, a host CRM's may be anything up to 128 characters. */
    static String contactId(String value) {
        if (value == null || value.isBlank()) {
            throw new InvalidCommandException("contact_id", "name the contact to erase (contact_id)");
        }
        if (value.strip().length() > MAX_CONTACT_ID || value.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidCommandException("contact_id", "contact_id is the CRM's contact id (1 to " + MAX_CONTACT_ID
                    + " printable characters)");
        }
        return value.strip();
    }

    @CommandHandler
    Erasure handle(EraseContact command, @MetaDataValue(MetadataKeys.TENANT_ID) String tenant,
                   @MetaDataValue(MetadataKeys.USER_ID) String user) {
        if (tenant == null) {
            throw new MissingTenantException(EraseContact.class.getSimpleName());
        }
        String contact = contactId(command.contactId());
        String by = user == null ? "system" : user;
        GenericEventMessage<ContactErased> erased = new GenericEventMessage<>(new ContactErased(tenant, contact, by));
        // the key goes first: this waits for transactions still writing under it, so the scrubs below see their rows
        jdbc.queryForObject("SELECT aidesk_privacy_erase(?, ?, ?, ?)", UUID.class, tenant, contact, by,
                OffsetDateTime.ofInstant(erased.getTimestamp(), ZoneOffset.UTC));
        events.publish(erased);
        return new Erasure(contact, erased.getTimestamp(), by);
    }
}
