package io.aidesk.api.knowledge;

import java.util.Optional;

/**
 * The secrets of URL sources (their credentials), kept apart from the source's events and read model so no read ever
 * carries them. Stored sealed; only the crawler asks for them back.
 */
public interface SourceSecrets {
    /** Keeps (or replaces) the source's credentials. */
    void keep(String tenant, String sourceId, UrlCredentials credentials);

    /** The source's credentials; empty when it has none. */
    Optional<UrlCredentials> of(String tenant, String sourceId);

    /** Forgets the source's credentials (the source was deleted, or its registration refused). */
    void forget(String tenant, String sourceId);
}
