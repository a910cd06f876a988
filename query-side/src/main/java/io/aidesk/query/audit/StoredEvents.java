package io.aidesk.query.audit;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aidesk.api.FeatureDisabledException;
import io.aidesk.api.knowledge.UrlCredentials;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.io.IOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The event store as a reviewer reads it: a tenant's events in order, each opened by the event serializer (so sealed
 * personal data reads as it was, or as erased) and shown in the form it is stored in.
 */
@Component
public class StoredEvents {
    private static final String COLUMNS = """
            SELECT global_index, aggregate_identifier, sequence_number, type, event_identifier, payload_type,
                   payload_revision, time_stamp, payload, meta_data FROM domain_event_entry
            """;
    private static final int FETCH_SIZE = 500;

    /**
     * @param type    the event's name (ToolCallApproved)
     * @param payload the event's fields as stored, personal data opened
     */
    public record StoredEvent(long globalIndex, String eventId, String aggregateId, String aggregateType,
                              long sequence, String type, Instant timestamp, Object event, JsonNode payload,
                              Map<String, Object> metadata) {
    }

    /** Where the events are: the audit's scans read Axon's JDBC tables, which Axon Server does not fill. */
    private final boolean inPostgres;
    private final JdbcTemplate jdbc;
    private final Serializer serializer;
    private final ObjectMapper stored;
    private final TransactionTemplate readOnly;

    public StoredEvents(JdbcTemplate jdbc, @Qualifier("eventSerializer") Serializer serializer,
                        @Qualifier("defaultAxonObjectMapper") ObjectMapper stored, PlatformTransactionManager transactions,
                        @Value("${axon.axonserver.enabled:false}") boolean axonServer) {
        this.inPostgres = !axonServer;
        this.jdbc = jdbc;
        this.serializer = serializer;
        this.stored = stored;
        this.readOnly = new TransactionTemplate(transactions);
        this.readOnly.setReadOnly(true);
    }

    /**
     * @throws FeatureDisabledException with Axon Server as the event store: the export, the run stream and a rebuild
     *                                  must not answer as if there were no events
     */
    public void requirePostgres() {
        if (!inPostgres) {
            throw new FeatureDisabledException("the audit's event export, run streams and rebuilds read the event store "
                    + "in Postgres; with Axon Server as the event store they are not available");
        }
    }

    /**
     * One aggregate's events in order, only those of the tenant (chosen before any is read, let alone opened); none
     * with Axon Server, where readers keep to their read models.
     */
    public List<StoredEvent> ofAggregate(String tenant, String aggregateId) {
        List<StoredEvent> events = new ArrayList<>();
        if (!inPostgres) {
            return events;
        }
        jdbc.query(COLUMNS + " WHERE aggregate_identifier = ? AND aidesk_event_tenant(meta_data) = ? "
                + "ORDER BY sequence_number", rs -> {
            events.add(read(rs));
        }, aggregateId, tenant);
        return events;
    }

    /** Several aggregates' events, each aggregate's in order, only those of the tenant. */
    public Map<String, List<StoredEvent>> ofAggregates(String tenant, Collection<String> aggregateIds) {
        Map<String, List<StoredEvent>> events = new HashMap<>();
        if (aggregateIds.isEmpty() || !inPostgres) {
            return events;
        }
        String marks = String.join(", ", Collections.nCopies(aggregateIds.size(), "?"));
        List<Object> args = new ArrayList<>(aggregateIds);
        args.add(tenant);
        jdbc.query(COLUMNS + " WHERE aggregate_identifier IN (" + marks + ") AND aidesk_event_tenant(meta_data) = ? "
                + "ORDER BY aggregate_identifier, sequence_number", rs -> {
            StoredEvent event = read(rs);
            events.computeIfAbsent(event.aggregateId(), id -> new ArrayList<>()).add(event);
        }, args.toArray());
        return events;
    }

    /** Every event of the tenant stored in [from, to), in the order they were stored, streamed from a cursor. */
    public void ofTenant(String tenant, Instant from, Instant to, Consumer<StoredEvent> each) {
        ofTenant(tenant, event -> {
            if (!event.timestamp().isBefore(from) && event.timestamp().isBefore(to)) {
                each.accept(event);
            }
        }, " AND time_stamp >= ? AND time_stamp < ?", from.minusSeconds(1).toString(), to.plusSeconds(1).toString());
    }

    /** Every event of the tenant, in the order they were stored, streamed from a cursor. */
    public void ofTenant(String tenant, Consumer<StoredEvent> each) {
        ofTenant(tenant, each, "");
    }

    // aidesk_event_tenant(meta_data) is indexed (migration V10); timestamps are ISO strings of varying precision, so a
    // time window is a second wider in SQL and exact in Java
    private void ofTenant(String tenant, Consumer<StoredEvent> each, String window, Object... bounds) {
        requirePostgres();
        Object[] args = new Object[bounds.length + 1];
        args[0] = tenant;
        System.arraycopy(bounds, 0, args, 1, bounds.length);
        readOnly.executeWithoutResult(status -> {
            JdbcTemplate cursor = new JdbcTemplate(jdbc.getDataSource());
            cursor.setFetchSize(FETCH_SIZE);
            cursor.query(COLUMNS + " WHERE aidesk_event_tenant(meta_data) = ?" + window + " ORDER BY global_index",
                    rs -> {
                        each.accept(read(rs));
                    }, args);
        });
    }

    /** Knowledge events stored before SourceRegistered revision 2 kept a source's credentials in its url: masked. */
    private static JsonNode withoutSecrets(JsonNode payload) {
        if (payload instanceof ObjectNode event && event.path("url").isTextual()) {
            event.put("url", UrlCredentials.masked(event.get("url").textValue()));
        }
        return payload;
    }

    private StoredEvent read(ResultSet rs) throws SQLException {
        String payloadType = rs.getString("payload_type");
        Object event = serializer.deserialize(new SimpleSerializedObject<>(rs.getBytes("payload"), byte[].class,
                payloadType, rs.getString("payload_revision")));
        byte[] metadata = rs.getBytes("meta_data");
        try {
            return new StoredEvent(rs.getLong("global_index"), rs.getString("event_identifier"),
                    rs.getString("aggregate_identifier"), rs.getString("type"), rs.getLong("sequence_number"),
                    payloadType.replaceFirst(".*[.$]", ""), Instant.parse(rs.getString("time_stamp")), event,
                    withoutSecrets(stored.valueToTree(event)),
                    metadata == null ? Map.of() : stored.readValue(metadata, new TypeReference<Map<String, Object>>() { }));
        } catch (IOException e) {
            throw new IllegalStateException("a stored event's metadata is not JSON", e);
        }
    }
}
