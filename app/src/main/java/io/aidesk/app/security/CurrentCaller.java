package io.aidesk.app.security;

import io.aidesk.api.tenancy.Caller;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

import java.util.Optional;

/** The caller of the current HTTP request, when there is one. */
public final class CurrentCaller {
    private CurrentCaller() {
    }

    public static Optional<Caller> get() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication instanceof JwtAuthenticationToken token) {
            return Optional.of(CallerClaims.caller(token.getToken()));
        }
        return Optional.empty();
    }
}
