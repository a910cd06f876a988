package io.aidesk.query.knowledge;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * How many of a tenant's chunks hold a word, remembered for a few minutes: counting a common word reads thousands of
 * rows, and the rarity it gives only ranks, so a count a sync has since changed a little does no harm. Keys carry the
 * tenant, so no count is ever shared between tenants.
 */
final class TermCounts {
    static final long TTL_MILLIS = 5 * 60_000;
    static final int ENTRIES = 50_000;
    /** The count of a stop word of the query's language: it is no word to weigh. */
    static final int STOP_WORD = -1;

    private record Count(int chunks, long at) {
    }

    private final Map<String, Count> counts = Collections.synchronizedMap(new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Count> eldest) {
            return size() > ENTRIES;
        }
    });

    static String key(String tenant, String model, String source, String language, String word) {
        return String.join("\u0000", tenant, model, source == null ? "" : source, language, word);
    }

    Optional<Integer> get(String key) {
        Count count = counts.get(key);
        if (count == null || System.currentTimeMillis() - count.at() > TTL_MILLIS) {
            return Optional.empty();
        }
        return Optional.of(count.chunks());
    }

    void put(String key, int chunks) {
        counts.put(key, new Count(chunks, System.currentTimeMillis()));
    }
}
