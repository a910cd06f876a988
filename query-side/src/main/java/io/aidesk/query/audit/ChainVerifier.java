package io.aidesk.query.audit;

import io.aidesk.api.Polling;
import io.aidesk.api.audit.AuditHash;
import io.aidesk.api.audit.AuditHash.StoredEvent;
import io.aidesk.api.audit.AuditQueries;
import io.aidesk.api.audit.AuditQueries.ChainBreak;
import io.aidesk.api.audit.AuditQueries.ChainVerification;
import io.aidesk.api.audit.AuditQueries.VerifyChain;
import io.aidesk.api.tenancy.MetadataKeys;
import org.axonframework.messaging.annotation.MetaDataValue;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Recomputes a tenant's audit chain from the event store, position by position in batches: each chained event must
 * still be stored as it was hashed, each link must follow from the one before, and no event of the tenant older than
 * the newest chained one may be missing from the chain.
 */
@Component
class ChainVerifier {
    private static final int BATCH = 100;
    /**
     * An event committed after a later one was chained reaches the chainer a moment later (the tracking processor's
     * gaps): an unchained event below the head is looked at again for this long before it counts as a break.
     */
    private static final Duration IN_FLIGHT = Duration.ofSeconds(2);

    private final JdbcTemplate jdbc;
    private final StoredEvents events;

    ChainVerifier(JdbcTemplate jdbc, StoredEvents events) {
        this.jdbc = jdbc;
        this.events = events;
    }

    private record Link(long position, String eventIdentifier, String aggregateIdentifier, long sequenceNumber,
                        String payloadType, String eventHash, String linkHash) {
    }

    @QueryHandler
    ChainVerification handle(VerifyChain query, @MetaDataValue(MetadataKeys.TENANT_ID) String tenant) {
        events.requirePostgres();
        String previous = AuditHash.GENESIS;
        String head = null;
        long verified = 0;
        long newest = Long.MIN_VALUE;
        List<Link> batch;
        do {
            batch = jdbc.query("""
                    SELECT position, event_identifier, aggregate_identifier, sequence_number, payload_type, event_hash,
                           link_hash
                    FROM audit_chain WHERE tenant_id = ? AND position > ? ORDER BY position LIMIT ?
                    """, (rs, n) -> new Link(rs.getLong("position"), rs.getString("event_identifier"),
                    rs.getString("aggregate_identifier"), rs.getLong("sequence_number"), rs.getString("payload_type"),
                    rs.getString("event_hash"), rs.getString("link_hash")), tenant, verified, BATCH);
            Map<String, StoredEvent> stored = stored(batch);
            for (Link link : batch) {
                StoredEvent event = stored.get(link.eventIdentifier());
                String reason = check(link, event, previous, verified + 1);
                if (reason != null) {
                    return new ChainVerification(false, verified, head, new ChainBreak(link.position(),
                            link.eventIdentifier(), link.aggregateIdentifier(), link.sequenceNumber(),
                            simpleName(link.payloadType()), reason));
                }
                previous = link.linkHash();
                head = previous;
                verified++;
                newest = Math.max(newest, event.globalIndex());
            }
        } while (batch.size() == BATCH);
        if (verified > 0) {
            long below = newest;
            Map<String, Object> unchained = Polling.until(() -> firstUnchained(tenant, below), Objects::isNull,
                    IN_FLIGHT);
            if (unchained != null) {
                return new ChainVerification(false, verified, head, new ChainBreak(null,
                        (String) unchained.get("event_identifier"), (String) unchained.get("aggregate_identifier"),
                        ((Number) unchained.get("sequence_number")).longValue(),
                        simpleName((String) unchained.get("payload_type")), AuditQueries.NOT_IN_CHAIN));
            }
        }
        return new ChainVerification(true, verified, head, null);
    }

    /** @return why the link does not hold, or null when it does */
    private static String check(Link link, StoredEvent event, String previous, long expectedPosition) {
        if (link.position() != expectedPosition) {
            return AuditQueries.LINK_CHANGED;
        }
        if (event == null) {
            return AuditQueries.EVENT_MISSING;
        }
        String recomputed = AuditHash.eventHash(event);
        if (recomputed.equals(link.eventHash())) {
            return AuditHash.link(previous, recomputed).equals(link.linkHash()) ? null : AuditQueries.LINK_CHANGED;
        }
        // the row hashes differently: the event changed if the chain still links its recorded hash, else the chain did
        return linkOrNull(previous, link.eventHash()).equals(link.linkHash()) ? AuditQueries.PAYLOAD_CHANGED
                : AuditQueries.LINK_CHANGED;
    }

    private static String linkOrNull(String previous, String eventHash) {
        try {
            return AuditHash.link(previous, eventHash);
        } catch (IllegalArgumentException notAHash) {
            return "";
        }
    }

    private Map<String, StoredEvent> stored(List<Link> batch) {
        if (batch.isEmpty()) {
            return Map.of();
        }
        Map<String, StoredEvent> stored = new HashMap<>();
        jdbc.queryForList("SELECT " + AuditHash.EVENT_COLUMNS + " FROM domain_event_entry WHERE event_identifier IN ("
                        + String.join(", ", Collections.nCopies(batch.size(), "?")) + ")",
                batch.stream().map(Link::eventIdentifier).toArray())
                .forEach(row -> stored.put((String) row.get("event_identifier"), StoredEvent.of(row)));
        return stored;
    }

    /** The tenant's oldest stored event up to global index {@code upTo} that is not in its chain, if any. */
    private Map<String, Object> firstUnchained(String tenant, long upTo) {
        return jdbc.queryForList("""
                SELECT e.event_identifier, e.aggregate_identifier, e.sequence_number, e.payload_type
                FROM domain_event_entry e
                WHERE aidesk_event_tenant(e.meta_data) = ? AND e.global_index <= ?
                  AND NOT EXISTS (SELECT 1 FROM audit_chain c
                                  WHERE c.tenant_id = ? AND c.event_identifier = e.event_identifier)
                ORDER BY e.global_index LIMIT 1
                """, tenant, upTo, tenant).stream().findFirst().orElse(null);
    }

    private static String simpleName(String payloadType) {
        return payloadType == null ? null : payloadType.replaceFirst(".*[.$]", "");
    }
}
