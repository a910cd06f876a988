package io.aidesk.api.tenancy;

import java.util.Objects;
import java.util.Set;

/** Who is asking: resolved from a verified JWT, never from a request body. */
public record Caller(TenantId tenantId, String userId, Set<Role> roles) {
    public Caller {
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(userId, "userId");
        roles = Set.copyOf(roles);
    }

    public boolean has(Role role) {
        return roles.contains(role);
    }
}
