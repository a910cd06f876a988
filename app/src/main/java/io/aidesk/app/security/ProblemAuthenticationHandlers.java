package io.aidesk.app.security;

import io.aidesk.app.problems.ProblemWriter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.jwt.JwtValidationException;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.stereotype.Component;

import java.io.IOException;

/** 401 and 403 as problem details, with the Bearer challenge RFC 6750 asks for. */
@Component
class ProblemAuthenticationHandlers implements AuthenticationEntryPoint, AccessDeniedHandler {
    private static final String DECODER_PREAMBLE = "An error occurred while attempting to decode the Jwt: ";
    private final ProblemWriter problems;

    ProblemAuthenticationHandlers(ProblemWriter problems) {
        this.problems = problems;
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
            throws IOException {
        boolean sentToken = request.getHeader(HttpHeaders.AUTHORIZATION) != null;
        response.setHeader(HttpHeaders.WWW_AUTHENTICATE, sentToken ? "Bearer error=\"invalid_token\"" : "Bearer");
        String detail = sentToken
                ? "the token was rejected: " + rejection(e)
                : "send the CRM's JWT as 'Authorization: Bearer <token>'";
        problems.write(request, response, HttpStatus.UNAUTHORIZED, "Unauthorized", detail);
    }

    /** The first failed check's own description (SecurityConfig orders them), without the decoder's preamble. */
    private static String rejection(AuthenticationException e) {
        if (!(e instanceof InvalidBearerTokenException)) {
            return "invalid token";
        }
        if (e.getCause() instanceof JwtValidationException invalid) {
            return invalid.getErrors().stream().map(OAuth2Error::getDescription).filter(d -> d != null && !d.isBlank())
                    .findFirst().orElse("invalid token");
        }
        String message = e.getMessage();
        int preamble = message.indexOf(DECODER_PREAMBLE);
        return preamble < 0 ? message : message.substring(preamble + DECODER_PREAMBLE.length());
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException e)
            throws IOException {
        problems.write(request, response, HttpStatus.FORBIDDEN, "Forbidden",
                "your role may not " + request.getMethod() + " " + request.getRequestURI());
    }
}
