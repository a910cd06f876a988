package io.aidesk.projections.audit;

import io.aidesk.api.audit.AuditHash;
import io.aidesk.api.audit.AuditHash.StoredEvent;
import io.aidesk.api.tenancy.MetadataKeys;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Map;

/**
 * Appends every event, as domain_event_entry holds it, to its tenant's hash chain (audit_chain): the evidence that the
 * store still holds the events it was given. One tracking segment on one thread, from the first event ever stored; a
 * failure is retried, never skipped (app's AxonConfig). A redelivered event is chained once.
 *
 * <p>This is NOT a rebuildable read model: never reset this processor's token to rebuild it and never empty the
 * table. A reset is harmless (chained events are skipped), but the chain of events whose rows changed since cannot be
 * made again: that is the point.
 */
@Component
@ProcessingGroup(AuditChainer.PROCESSING_GROUP)
// the chain hashes rows of Axon's JDBC tables; with Axon Server as the event store there are none to vouch for
@ConditionalOnProperty(name = "axon.axonserver.enabled", havingValue = "false", matchIfMissing = true)
class AuditChainer {
    static final String PROCESSING_GROUP = "audit-chain";
    private static final Logger log = LoggerFactory.getLogger(AuditChainer.class);

    private final JdbcTemplate jdbc;

    AuditChainer(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Row-level security is scoped to the event's tenant by the default handler interceptor. */
    @EventHandler
    void on(EventMessage<?> event) {
        String tenant = event.getMetaData().get(MetadataKeys.TENANT_ID) instanceof String s && !s.isBlank() ? s : null;
        if (tenant == null) {
            log.warn("event {} ({}) has no tenant and is not chained", event.getIdentifier(),
                    event.getPayloadType().getSimpleName());
            return;
        }
        if (!jdbc.queryForList("SELECT 1 FROM audit_chain WHERE tenant_id = ? AND event_identifier = ?", Integer.class,
                tenant, event.getIdentifier()).isEmpty()) {
            return;
        }
        List<Map<String, Object>> rows = jdbc.queryForList("SELECT " + AuditHash.EVENT_COLUMNS
                + " FROM domain_event_entry WHERE event_identifier = ?", event.getIdentifier());
        if (rows.isEmpty()) {
            // delivered from the store, gone from it since: nothing left to vouch for
            log.error("event {} of tenant {} is no longer in the event store and cannot be chained",
                    event.getIdentifier(), tenant);
            return;
        }
        StoredEvent stored = StoredEvent.of(rows.get(0));
        String eventHash = AuditHash.eventHash(stored);
        List<Map<String, Object>> previous = jdbc.queryForList(
                "SELECT position, link_hash FROM audit_chain WHERE tenant_id = ? ORDER BY position DESC LIMIT 1",
                tenant);
        long position = previous.isEmpty() ? 1 : ((Number) previous.get(0).get("position")).longValue() + 1;
        String link = AuditHash.link(previous.isEmpty() ? AuditHash.GENESIS : (String) previous.get(0).get("link_hash"),
                eventHash);
        jdbc.update("""
                INSERT INTO audit_chain (tenant_id, position, global_index, event_identifier, aggregate_identifier,
                                         sequence_number, payload_type, event_hash, link_hash)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (tenant_id, event_identifier) DO NOTHING
                """, tenant, position, stored.globalIndex(), stored.eventIdentifier(), stored.aggregateIdentifier(),
                stored.sequenceNumber(), stored.payloadType(), eventHash, link);
    }
}
