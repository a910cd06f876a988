package io.aidesk.app.privacy;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/** A small map whose entries expire; when full it starts afresh (lookups are cheap, staleness is what matters). */
final class TtlCache<K, V> {
    private record Entry<V>(V value, long expiresAt) {
    }

    private final ConcurrentHashMap<K, Entry<V>> entries = new ConcurrentHashMap<>();
    private final long ttlNanos;
    private final int maxEntries;

    TtlCache(Duration ttl, int maxEntries) {
        this.ttlNanos = ttl.toNanos();
        this.maxEntries = maxEntries;
    }

    V get(K key) {
        Entry<V> entry = entries.get(key);
        if (entry == null) {
            return null;
        }
        if (System.nanoTime() - entry.expiresAt() > 0) {
            entries.remove(key, entry);
            return null;
        }
        return entry.value();
    }

    void put(K key, V value) {
        if (ttlNanos <= 0) {
            return;
        }
        if (entries.size() >= maxEntries) {
            entries.clear();
        }
        entries.put(key, new Entry<>(value, System.nanoTime() + ttlNanos));
    }

    void remove(K key) {
        entries.remove(key);
    }
}
