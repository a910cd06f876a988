package io.aidesk.api.privacy;

import java.util.Map;

/**
 * Opens what the event store keeps sealed, for readers of an event's JSON as stored (an audit view of raw payloads).
 * Events read through Axon are opened already. A value whose contact was erased opens as {@link PersonalData#ERASED}
 * (an object as {@code {"erased": "[erased]"}}, a list as {@code ["[erased]"]}).
 */
public interface SealedData {
    /** Every sealed value is a string that starts so, whatever field it is in. */
    String PREFIX = "aidesk-sealed:";

    /** @return the payload with each sealed value opened for this tenant (the payload itself when nothing is sealed) */
    Map<String, Object> open(String tenantId, Map<String, Object> payload);

    static boolean isSealed(Object value) {
        return value instanceof String text && text.startsWith(PREFIX);
    }
}
