package io.aidesk.command.crm;

import io.aidesk.api.privacy.PersonalData;
import io.aidesk.api.privacy.PrivacyEvents.ContactErased;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Scrubs an erased contact from the built-in CRM, in the transaction that records the erasure (a subscribing
 * processor): the contact's name, email, phone and fields; the subject and summary of their tickets; the notes on
 * their conversations; what set_contact_field recorded of their old values. Rows stay, so ids and counts still add up.
 */
@Component
@ProcessingGroup(CrmErasure.PROCESSING_GROUP)
class CrmErasure {
    static final String PROCESSING_GROUP = "crm-erasure";

    private final JdbcTemplate jdbc;

    CrmErasure(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @EventHandler
    void on(ContactErased event) {
        String tenant = event.tenantId();
        String contact = event.contactId();
        jdbc.update("""
                UPDATE crm_contacts SET name = ?, email = NULL, phone = NULL, fields = '{}'::jsonb, updated_at = now()
                WHERE tenant_id = ? AND id = ?
                """, PersonalData.ERASED, tenant, contact);
        jdbc.update("UPDATE crm_tickets SET subject = ?, summary = ? WHERE tenant_id = ? AND contact_id = ?",
                PersonalData.ERASED, PersonalData.ERASED, tenant, contact);
        // the contact's conversations by the read model and by the links the sealing recorded, whichever still knows
        jdbc.update("""
                UPDATE crm_notes SET note = ? WHERE tenant_id = ? AND conversation_id IN (
                    SELECT id FROM ai_conversations WHERE tenant_id = ? AND contact_id = ?
                    UNION SELECT ref FROM privacy_links WHERE tenant_id = ? AND contact_id = ?)
                """, PersonalData.ERASED, tenant, tenant, contact, tenant, contact);
        jdbc.update("""
                UPDATE crm_tool_executions SET result = result || jsonb_build_object('previous', ?::text)
                WHERE tenant_id = ? AND tool = 'set_contact_field' AND result ->> 'contact_id' = ?
                """, PersonalData.ERASED, tenant, contact);
    }
}
