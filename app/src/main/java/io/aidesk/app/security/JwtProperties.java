package io.aidesk.app.security;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How tokens are verified: against the CRM's JWKS URL when set, otherwise with a shared HS256 secret.
 *
 * @param secret     the HS256 secret itself (at least 32 bytes)
 * @param secretFile where to read the secret from when {@code secret} is empty (the launcher writes .aidesk/jwt-secret)
 * @param jwksUri    the CRM's JSON Web Key Set URL
 * @param issuer     when set, tokens must carry this {@code iss}
 * @param audience   when set, tokens must name this in their {@code aud}
 */
@ConfigurationProperties("aidesk.security.jwt")
public record JwtProperties(String secret, String secretFile, String jwksUri, String issuer, String audience) {
}
