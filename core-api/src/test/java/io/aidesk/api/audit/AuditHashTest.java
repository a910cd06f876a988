package io.aidesk.api.audit;

import io.aidesk.api.audit.AuditHash.StoredEvent;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AuditHashTest {
    private static final byte[] PAYLOAD = "{\"confidenceThreshold\":0.8}".getBytes(StandardCharsets.UTF_8);
    private static final byte[] METADATA = "{\"tenant_id\":\"acme\",\"user_id\":\"ana\"}".getBytes(StandardCharsets.UTF_8);
    private static final StoredEvent EVENT = new StoredEvent(42, "ev-1", "settings-acme", 3, "AssistantSettings",
            "2026-12-01T10:00:00.123Z", "io.aidesk.api.settings.AssistantSettingsChanged", null, PAYLOAD, METADATA);

    private static StoredEvent event(long globalIndex, String eventIdentifier, String aggregate, long sequence,
                                     String type, String timeStamp, String payloadType, String revision,
                                     byte[] payload, byte[] metaData) {
        return new StoredEvent(globalIndex, eventIdentifier, aggregate, sequence, type, timeStamp, payloadType,
                revision, payload, metaData);
    }

    private static byte[] flipped(byte[] bytes, int at) {
        byte[] copy = bytes.clone();
        copy[at] ^= 1;
        return copy;
    }

    /** The documented encoding, written out independently of AuditHash. */
    @Test
    void theEventHashIsTheSha256OfTheLengthPrefixedColumnsInTheDocumentedOrder() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        for (Object field : new Object[]{"aidesk-audit-chain/v1", 42L, "ev-1", "settings-acme", 3L, "AssistantSettings",
                "2026-12-01T10:00:00.123Z", "io.aidesk.api.settings.AssistantSettingsChanged", null, PAYLOAD,
                METADATA}) {
            if (field == null) {
                out.writeInt(-1);
            } else if (field instanceof Long number) {
                out.writeInt(8);
                out.writeLong(number);
            } else {
                byte[] value = field instanceof String text ? text.getBytes(StandardCharsets.UTF_8) : (byte[]) field;
                out.writeInt(value.length);
                out.write(value);
            }
        }
        String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes.toByteArray()));

        assertThat(AuditHash.eventHash(EVENT)).isEqualTo(expected).hasSize(64).matches("[0-9a-f]{64}");
        assertThat(AuditHash.eventHash(event(42, "ev-1", "settings-acme", 3, "AssistantSettings",
                "2026-12-01T10:00:00.123Z", "io.aidesk.api.settings.AssistantSettingsChanged", null, PAYLOAD.clone(),
                METADATA.clone()))).as("the same row, other arrays").isEqualTo(expected);
    }

    @Test
    void changingAnyColumnChangesTheHash() {
        Map<String, StoredEvent> changed = new LinkedHashMap<>();
        changed.put("global_index", event(43, "ev-1", "settings-acme", 3, "AssistantSettings",
                EVENT.timeStamp(), EVENT.payloadType(), null, PAYLOAD, METADATA));
        changed.put("event_identifier", event(42, "ev-2", "settings-acme", 3, "AssistantSettings",
                EVENT.timeStamp(), EVENT.payloadType(), null, PAYLOAD, METADATA));
        changed.put("aggregate_identifier", event(42, "ev-1", "settings-globex", 3, "AssistantSettings",
                EVENT.timeStamp(), EVENT.payloadType(), null, PAYLOAD, METADATA));
        changed.put("sequence_number", event(42, "ev-1", "settings-acme", 4, "AssistantSettings",
                EVENT.timeStamp(), EVENT.payloadType(), null, PAYLOAD, METADATA));
        changed.put("type", event(42, "ev-1", "settings-acme", 3, "AgentRun",
                EVENT.timeStamp(), EVENT.payloadType(), null, PAYLOAD, METADATA));
        changed.put("type null", event(42, "ev-1", "settings-acme", 3, null,
                EVENT.timeStamp(), EVENT.payloadType(), null, PAYLOAD, METADATA));
        changed.put("time_stamp", event(42, "ev-1", "settings-acme", 3, "AssistantSettings",
                "2026-12-01T10:00:00.124Z", EVENT.payloadType(), null, PAYLOAD, METADATA));
        changed.put("payload_type", event(42, "ev-1", "settings-acme", 3, "AssistantSettings",
                EVENT.timeStamp(), "io.aidesk.api.settings.Other", null, PAYLOAD, METADATA));
        changed.put("payload_revision", event(42, "ev-1", "settings-acme", 3, "AssistantSettings",
                EVENT.timeStamp(), EVENT.payloadType(), "1", PAYLOAD, METADATA));
        changed.put("payload_revision empty", event(42, "ev-1", "settings-acme", 3, "AssistantSettings",
                EVENT.timeStamp(), EVENT.payloadType(), "", PAYLOAD, METADATA));
        changed.put("payload", event(42, "ev-1", "settings-acme", 3, "AssistantSettings",
                EVENT.timeStamp(), EVENT.payloadType(), null, flipped(PAYLOAD, PAYLOAD.length - 3), METADATA));
        changed.put("payload longer", event(42, "ev-1", "settings-acme", 3, "AssistantSettings",
                EVENT.timeStamp(), EVENT.payloadType(), null, "{\"confidenceThreshold\":0.8} ".getBytes(StandardCharsets.UTF_8),
                METADATA));
        changed.put("meta_data", event(42, "ev-1", "settings-acme", 3, "AssistantSettings",
                EVENT.timeStamp(), EVENT.payloadType(), null, PAYLOAD, flipped(METADATA, 15)));
        changed.put("meta_data null", event(42, "ev-1", "settings-acme", 3, "AssistantSettings",
                EVENT.timeStamp(), EVENT.payloadType(), null, PAYLOAD, null));
        changed.put("meta_data empty", event(42, "ev-1", "settings-acme", 3, "AssistantSettings",
                EVENT.timeStamp(), EVENT.payloadType(), null, PAYLOAD, new byte[0]));

        String original = AuditHash.eventHash(EVENT);
        Map<String, String> hashes = new HashMap<>();
        changed.forEach((column, event) -> {
            String hash = AuditHash.eventHash(event);
            assertThat(hash).as(column).isNotEqualTo(original);
            assertThat(hashes.put(hash, column)).as(column + " hashes like another change").isNull();
        });
    }

    @Test
    void bytesMovedFromOneColumnToTheNextChangeTheHash() {
        StoredEvent split = event(42, "ev-1", "settings-acm", 3, "eAssistantSettings", EVENT.timeStamp(),
                EVENT.payloadType(), null, PAYLOAD, METADATA);
        StoredEvent payloadIntoMetadata = event(42, "ev-1", "settings-acme", 3, "AssistantSettings",
                EVENT.timeStamp(), EVENT.payloadType(), null, new byte[0], concat(PAYLOAD, METADATA));

        assertThat(List.of(AuditHash.eventHash(split), AuditHash.eventHash(payloadIntoMetadata)))
                .doesNotContain(AuditHash.eventHash(EVENT)).doesNotHaveDuplicates();
    }

    @Test
    void aLinkIsTheSha256OfThePreviousLinkAndTheEventHash() throws Exception {
        String first = AuditHash.eventHash(EVENT);
        byte[] both = concat(new byte[32], HexFormat.of().parseHex(first));
        String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(both));

        String link = AuditHash.link(AuditHash.GENESIS, first);
        assertThat(AuditHash.GENESIS).isEqualTo("0".repeat(64));
        assertThat(link).isEqualTo(expected);
        String second = AuditHash.eventHash(event(43, "ev-2", "settings-acme", 4, "AssistantSettings",
                EVENT.timeStamp(), EVENT.payloadType(), null, PAYLOAD, METADATA));
        assertThat(AuditHash.link(link, second)).as("another previous link")
                .isNotEqualTo(AuditHash.link(AuditHash.GENESIS, second));
        assertThat(AuditHash.link(link, second)).as("another event").isNotEqualTo(AuditHash.link(link, first));
        assertThat(AuditHash.link(second, link)).as("the order").isNotEqualTo(AuditHash.link(link, second));
        assertThatThrownBy(() -> AuditHash.link("abc", first)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AuditHash.link(AuditHash.GENESIS, null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aJdbcColumnMapReadsAsTheStoredEvent() {
        Map<String, Object> columns = new HashMap<>();
        columns.put("global_index", 42L);
        columns.put("event_identifier", "ev-1");
        columns.put("aggregate_identifier", "settings-acme");
        columns.put("sequence_number", 3L);
        columns.put("type", "AssistantSettings");
        columns.put("time_stamp", "2026-12-01T10:00:00.123Z");
        columns.put("payload_type", "io.aidesk.api.settings.AssistantSettingsChanged");
        columns.put("payload_revision", null);
        columns.put("payload", PAYLOAD);
        columns.put("meta_data", METADATA);

        assertThat(AuditHash.eventHash(StoredEvent.of(columns))).isEqualTo(AuditHash.eventHash(EVENT));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = new byte[a.length + b.length];
        System.arraycopy(a, 0, both, 0, a.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }
}
