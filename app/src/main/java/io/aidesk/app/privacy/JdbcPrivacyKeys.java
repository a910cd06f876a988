package io.aidesk.app.privacy;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The contacts' keys in {@code privacy_keys} and their links in {@code privacy_links}, through the SECURITY DEFINER
 * functions of V11 (which take the tenant explicitly: events are sealed and opened in threads whose transaction may
 * name no tenant). Statements join the caller's transaction, so a key made for an event that rolls back is gone with
 * it. Keys are kept for the rest of the transaction that read them, and cached for a few seconds once it commits; an
 * erasure evicts at once on this node, other nodes stop trusting their copy within the cache's time.
 */
final class JdbcPrivacyKeys implements PrivacyKeys {
    private static final int MAX_ENTRIES = 20_000;
    /** A ref is linked once and for good: its link may be kept much longer than a key. */
    private static final Duration LINK_TTL = Duration.ofMinutes(10);

    private record ContactRef(String tenant, String id) {
    }

    private record KeyRef(String tenant, UUID keyId) {
    }

    private record LinkRef(String tenant, String ref) {
    }

    private final JdbcTemplate jdbc;
    private final MasterKey master;
    private final SecureRandom random;
    private final TtlCache<KeyRef, Optional<SecretKey>> opening;
    /** Erasures seen by this node: a cache put from before the latest one is dropped. */
    private final AtomicLong erasures = new AtomicLong();
    private final TtlCache<LinkRef, String> links;

    JdbcPrivacyKeys(JdbcTemplate jdbc, MasterKey master, SecureRandom random, Duration ttl) {
        this.jdbc = jdbc;
        this.master = master;
        this.random = random;
        this.opening = new TtlCache<>(ttl, MAX_ENTRIES);
        this.links = new TtlCache<>(ttl.isZero() ? ttl : LINK_TTL, MAX_ENTRIES);
    }

    private record Row(UUID keyId, byte[] secret) {
    }

    @Override
    public ContactKey keyFor(String tenant, String contactId) {
        // never from the shared cache: the database locks the key for this transaction, so an erasure waits for it
        ContactRef ref = new ContactRef(tenant, contactId);
        ContactKey cached = (ContactKey) inTransaction().get(ref);
        if (cached != null) {
            return cached;
        }
        byte[] fresh = new byte[32];
        random.nextBytes(fresh);
        SecretKey candidate = new SecretKeySpec(fresh, "AES");
        UUID candidateId = UUID.randomUUID();
        List<Row> rows = jdbc.query("SELECT sealing_key, wrapped_secret FROM aidesk_privacy_key(?, ?, ?, ?)",
                (rs, n) -> new Row(rs.getObject("sealing_key", UUID.class), rs.getBytes("wrapped_secret")),
                tenant, contactId, candidateId, master.wrap(tenant, candidateId, candidate));
        if (rows.isEmpty()) {
            throw new IllegalStateException("no key could be made for a contact of tenant " + tenant);
        }
        Row row = rows.get(0);
        SecretKey secret = row.keyId().equals(candidateId) ? candidate : master.unwrap(tenant, row.keyId(), row.secret());
        ContactKey key = new ContactKey(row.keyId(), secret);
        inTransaction().put(ref, key);
        inTransaction().put(new KeyRef(tenant, key.keyId()), Optional.of(secret));
        long seen = erasures.get();
        afterCommit(() -> cacheUnlessErasedSince(seen, new KeyRef(tenant, key.keyId()), Optional.of(secret)));
        return key;
    }

    @Override
    @SuppressWarnings("unchecked")
    public Optional<SecretKey> key(String tenant, UUID keyId) {
        KeyRef ref = new KeyRef(tenant, keyId);
        Optional<SecretKey> cached = opening.get(ref);
        if (cached == null) {
            cached = (Optional<SecretKey>) inTransaction().get(ref);
        }
        if (cached != null) {
            return cached;
        }
        List<byte[]> rows = jdbc.query("SELECT wrapped_secret FROM aidesk_privacy_secret(?, ?)",
                (rs, n) -> rs.getBytes("wrapped_secret"), tenant, keyId);
        Optional<SecretKey> key = rows.isEmpty() || rows.get(0) == null ? Optional.empty()
                : Optional.of(master.unwrap(tenant, keyId, rows.get(0)));
        inTransaction().put(ref, key);
        long seen = erasures.get();
        afterCommit(() -> cacheUnlessErasedSince(seen, ref, key));
        return key;
    }

    @Override
    public Optional<String> contactOf(String tenant, String ref) {
        LinkRef key = new LinkRef(tenant, ref);
        String cached = links.get(key);
        if (cached == null) {
            cached = (String) inTransaction().get(key);
        }
        if (cached != null) {
            return Optional.of(cached);
        }
        String contact = jdbc.queryForObject("SELECT aidesk_privacy_contact(?, ?)", String.class, tenant, ref);
        if (contact != null) {
            inTransaction().put(key, contact);
            afterCommit(() -> links.put(key, contact));
        }
        return Optional.ofNullable(contact);
    }

    @Override
    public void link(String tenant, String ref, String contactId) {
        LinkRef key = new LinkRef(tenant, ref);
        if (links.get(key) != null || inTransaction().get(key) != null) {
            return;
        }
        // the first link stands: what is cached is what the table holds
        String linked = jdbc.queryForObject("SELECT aidesk_privacy_link(?, ?, ?)", String.class, tenant, ref, contactId);
        if (linked != null) {
            inTransaction().put(key, linked);
            afterCommit(() -> links.put(key, linked));
        }
    }

    /**
     * Destroys the contact's key in the caller's transaction.
     *
     * @return the id of the key destroyed
     */
    UUID erase(String tenant, String contactId, String by, Instant at) {
        UUID keyId = jdbc.queryForObject("SELECT aidesk_privacy_erase(?, ?, ?, ?)", UUID.class, tenant, contactId, by,
                OffsetDateTime.ofInstant(at, ZoneOffset.UTC));
        Runnable evict = () -> {
            erasures.incrementAndGet();
            opening.remove(new KeyRef(tenant, keyId));
        };
        inTransaction().remove(new ContactRef(tenant, contactId));
        inTransaction().remove(new KeyRef(tenant, keyId));
        evict.run();
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            // a reader that cached the key between now and the commit must not keep it
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    evict.run();
                }
            });
        }
        return keyId;
    }

    /**
     * What this transaction read or made, for the rest of it (an aggregate's events open with one lookup of their
     * key): the shared caches take it only once it commits. Outside a transaction, nothing is kept.
     */
    private Map<Object, Object> inTransaction() {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            return new HashMap<>();
        }
        @SuppressWarnings("unchecked")
        Map<Object, Object> seen = (Map<Object, Object>) TransactionSynchronizationManager.getResource(this);
        if (seen == null) {
            Map<Object, Object> fresh = new HashMap<>();
            TransactionSynchronizationManager.bindResource(this, fresh);
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                // a transaction started inside this one (REQUIRES_NEW) sees nothing this one has not committed
                @Override
                public void suspend() {
                    TransactionSynchronizationManager.unbindResource(JdbcPrivacyKeys.this);
                }

                @Override
                public void resume() {
                    TransactionSynchronizationManager.bindResource(JdbcPrivacyKeys.this, fresh);
                }

                @Override
                public void afterCompletion(int status) {
                    TransactionSynchronizationManager.unbindResourceIfPossible(JdbcPrivacyKeys.this);
                }
            });
            seen = fresh;
        }
        return seen;
    }

    /** A key read or made in a transaction is trusted by others only once that transaction committed. */
    /** A reader that read a key before an erasure committed must not put it back after the erasure evicted it. */
    private void cacheUnlessErasedSince(long seen, KeyRef ref, Optional<SecretKey> key) {
        if (erasures.get() == seen) {
            opening.put(ref, key);
        }
    }

    private static void afterCommit(Runnable cache) {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    cache.run();
                }
            });
        } else {
            cache.run();
        }
    }
}
