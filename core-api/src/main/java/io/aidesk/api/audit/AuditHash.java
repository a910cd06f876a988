package io.aidesk.api.audit;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * The hashes of the audit chain, for the chainer that writes it and the verifier that recomputes it.
 *
 * <p>{@code event_hash} = SHA-256 over the stored row of domain_event_entry, each field length-prefixed: a 4-byte
 * big-endian length and the bytes, a null field as length -1 ({@code ffffffff}) and no bytes; strings in UTF-8,
 * numbers as 8 big-endian bytes. The fields, in this order: the version tag {@value #VERSION}, global_index,
 * event_identifier, aggregate_identifier, sequence_number, type, time_stamp, payload_type, payload_revision, payload,
 * meta_data (payload and meta_data as the raw bytes stored).
 *
 * <p>{@code link_hash} = SHA-256 over the 32 bytes of the tenant's previous link_hash ({@link #GENESIS}, 32 zero
 * bytes, for its first event) and the 32 bytes of this event_hash. Both are written as 64 lower-case hex digits.
 */
public final class AuditHash {
    public static final String VERSION = "aidesk-audit-chain/v1";
    /** The link before a tenant's first event. */
    public static final String GENESIS = "0".repeat(64);
    /** The columns of domain_event_entry that {@link StoredEvent#of} reads, for a SELECT. */
    public static final String EVENT_COLUMNS = "global_index, event_identifier, aggregate_identifier, sequence_number, "
            + "type, time_stamp, payload_type, payload_revision, payload, meta_data";

    private static final HexFormat HEX = HexFormat.of();

    private AuditHash() {
    }

    /** A row of domain_event_entry as stored: what the chain vouches for. */
    public record StoredEvent(long globalIndex, String eventIdentifier, String aggregateIdentifier, long sequenceNumber,
                              String type, String timeStamp, String payloadType, String payloadRevision,
                              byte[] payload, byte[] metaData) {

        /** @param columns the row by column name, as a JDBC column map gives it (see {@link #EVENT_COLUMNS}) */
        public static StoredEvent of(Map<String, ?> columns) {
            return new StoredEvent(((Number) columns.get("global_index")).longValue(),
                    (String) columns.get("event_identifier"), (String) columns.get("aggregate_identifier"),
                    ((Number) columns.get("sequence_number")).longValue(), (String) columns.get("type"),
                    (String) columns.get("time_stamp"), (String) columns.get("payload_type"),
                    (String) columns.get("payload_revision"), (byte[]) columns.get("payload"),
                    (byte[]) columns.get("meta_data"));
        }
    }

    public static String eventHash(StoredEvent event) {
        ByteArrayOutputStream canonical = new ByteArrayOutputStream();
        field(canonical, text(VERSION));
        field(canonical, number(event.globalIndex()));
        field(canonical, text(event.eventIdentifier()));
        field(canonical, text(event.aggregateIdentifier()));
        field(canonical, number(event.sequenceNumber()));
        field(canonical, text(event.type()));
        field(canonical, text(event.timeStamp()));
        field(canonical, text(event.payloadType()));
        field(canonical, text(event.payloadRevision()));
        field(canonical, event.payload());
        field(canonical, event.metaData());
        return HEX.formatHex(sha256(canonical.toByteArray()));
    }

    /** @param previous the tenant's previous link_hash, or {@link #GENESIS} */
    public static String link(String previous, String eventHash) {
        byte[] both = new byte[64];
        System.arraycopy(digest(previous), 0, both, 0, 32);
        System.arraycopy(digest(eventHash), 0, both, 32, 32);
        return HEX.formatHex(sha256(both));
    }

    private static byte[] digest(String hex) {
        byte[] bytes = hex == null || hex.length() != 64 ? null : HEX.parseHex(hex);
        if (bytes == null) {
            throw new IllegalArgumentException("not a SHA-256 in hex: " + hex);
        }
        return bytes;
    }

    private static void field(ByteArrayOutputStream out, byte[] value) {
        out.writeBytes(ByteBuffer.allocate(4).putInt(value == null ? -1 : value.length).array());
        if (value != null) {
            out.writeBytes(value);
        }
    }

    private static byte[] text(String value) {
        return value == null ? null : value.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] number(long value) {
        return ByteBuffer.allocate(8).putLong(value).array();
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
