package io.aidesk.api.tenancy;

import java.util.Locale;
import java.util.Optional;

/** What a caller may do, from the {@code roles} claim of its JWT. */
public enum Role {
    /** settings, sources, approvals */
    ADMIN,
    /** the copilot in the inbox */
    AGENT,
    /** logs and event streams, read-only */
    AUDITOR,
    /** CRM services sending commands */
    SERVICE;

    public String claim() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Role> fromClaim(String claim) {
        for (Role role : values()) {
            if (role.claim().equals(claim)) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }
}
