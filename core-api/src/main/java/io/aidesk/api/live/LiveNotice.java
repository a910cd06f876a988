package io.aidesk.api.live;

import io.aidesk.api.live.LiveQueries.Changed;

import java.util.Optional;

/**
 * A change as it travels between nodes: a Postgres notification on {@link #CHANNEL}, sent in the transaction that
 * makes the change (so only once it commits), heard by every node's listener, which tells its own subscribers.
 */
public final class LiveNotice {
    public static final String CHANNEL = "aidesk_live";
    public static final String NOTIFY_SQL = "SELECT pg_notify('" + CHANNEL + "', ?)::text";
    private static final char SEPARATOR = '\u001f';

    /** @param tenantId whose subscribers hear of it */
    public record Notice(String tenantId, Changed change) {
    }

    private LiveNotice() {
    }

    public static String encode(String tenantId, LiveTopic topic, String id, String what) {
        return tenantId + SEPARATOR + topic.wire() + SEPARATOR + (id == null ? "" : id) + SEPARATOR + what;
    }

    /** Empty for a payload this version cannot read (a newer node's topic, say). */
    public static Optional<Notice> decode(String payload) {
        String[] parts = payload == null ? new String[0] : payload.split(String.valueOf(SEPARATOR), -1);
        if (parts.length != 4) {
            return Optional.empty();
        }
        return LiveTopic.of(parts[1]).map(topic -> new Notice(parts[0], new Changed(topic, parts[2].isEmpty() ? null
                : parts[2], parts[3])));
    }
}
