package io.aidesk.app.demo;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.aidesk.app.security.CallerClaims;
import io.aidesk.app.security.JwtProperties;
import io.aidesk.app.security.SecurityConfig;
import io.aidesk.seed.DemoTokens;
import org.springframework.context.annotation.Conditional;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;

/**
 * HS256 tokens with the claims ./aidesk token writes (sub, tid, roles, iat, exp; iss and aud when configured), signed
 * with the verifying secret.
 */
@Component
@Conditional(DemoEnabled.Signer.class)
class DemoTokenSigner implements DemoTokens {
    private final byte[] secret;
    private final String issuer;
    private final String audience;

    DemoTokenSigner(JwtProperties properties) {
        this.secret = SecurityConfig.secret(properties);
        this.issuer = properties.issuer() == null || properties.issuer().isBlank() ? null : properties.issuer();
        this.audience = properties.audience() == null || properties.audience().isBlank() ? null : properties.audience();
    }

    @Override
    public String sign(String tenant, String userId, List<String> roles, Duration lifetime) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        return sign(tenant, userId, roles, now, now.plus(lifetime));
    }

    String sign(String tenant, String userId, List<String> roles, Instant issuedAt, Instant expiresAt) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder()
                    .subject(userId)
                    .issuer(issuer) // the verifier requires it once AIDESK_JWT_ISSUER is set
                    .audience(audience) // and this once AIDESK_JWT_AUDIENCE is
                    .claim(CallerClaims.TENANT, tenant)
                    .claim(CallerClaims.ROLES, roles)
                    .issueTime(Date.from(issuedAt))
                    .expirationTime(Date.from(expiresAt))
                    .build());
            jwt.sign(new MACSigner(secret));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a demo token", e);
        }
    }
}
