package io.aidesk.app.security;

import io.aidesk.api.tenancy.Caller;
import io.aidesk.api.tenancy.Role;
import io.aidesk.api.tenancy.TenantId;
import org.springframework.security.oauth2.jwt.Jwt;

import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** The CRM's claims: {@code sub} is the user, {@code tid} the tenant, {@code roles} what the user may do. */
public final class CallerClaims {
    public static final String TENANT = "tid";
    public static final String ROLES = "roles";

    private CallerClaims() {
    }

    public static Caller caller(Jwt jwt) {
        return new Caller(new TenantId(jwt.getClaimAsString(TENANT)), jwt.getSubject(), roles(jwt));
    }

    /** Roles as a JSON list or a space/comma separated string; unknown roles grant nothing. */
    public static Set<Role> roles(Jwt jwt) {
        Object claim = jwt.getClaims().get(ROLES);
        List<String> names;
        if (claim instanceof Collection<?> list) {
            names = list.stream().map(String::valueOf).toList();
        } else if (claim instanceof String text) {
            names = Arrays.asList(text.split("[\\s,]+"));
        } else {
            names = List.of();
        }
        Set<Role> roles = EnumSet.noneOf(Role.class);
        names.forEach(name -> Role.fromClaim(name).ifPresent(roles::add));
        return roles;
    }
}
