package io.aidesk.webhooks;

import io.aidesk.api.privacy.PrivacyEvents.ContactErased;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * An erased contact's words leave the outbox with the erasure (a subscribing processor: the same transaction): the
 * payloads keep their ids and say they were erased, pending ones are sent so.
 */
@Component
@ProcessingGroup("webhook-erasure")
class WebhookErasure {
    private final JdbcTemplate jdbc;

    WebhookErasure(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @EventHandler
    void on(ContactErased event) {
        jdbc.update("""
                UPDATE ai_webhook_deliveries
                SET payload = jsonb_build_object('type', payload -> 'type', 'timestamp', payload -> 'timestamp',
                        'data', jsonb_build_object('tenant_id', payload -> 'data' -> 'tenant_id',
                                                   'run_id', payload -> 'data' -> 'run_id',
                                                   'conversation_id', payload -> 'data' -> 'conversation_id',
                                                   'contact_id', payload -> 'data' -> 'contact_id',
                                                   'erased', true))
                WHERE tenant_id = ? AND contact_id = ?
                """, event.tenantId(), event.contactId());
    }
}
