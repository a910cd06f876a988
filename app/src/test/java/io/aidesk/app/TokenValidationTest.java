package io.aidesk.app;

import com.nimbusds.jwt.JWTClaimsSet;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** With the HS256 secret and no issuer or audience configured: a token must expire and must not come from the future. */
class TokenValidationTest extends ApiTest {
    private static final String SETTINGS = "/api/ai/settings";

    private JWTClaimsSet.Builder claims() {
        return new JWTClaimsSet.Builder().subject("ana").claim("tid", newTenant()).claim("roles", List.of("admin"));
    }

    private static Date in(Duration duration) {
        return Date.from(Instant.now().plus(duration));
    }

    private void assertRefused(JWTClaimsSet claims, String claim, String why) {
        Response refused = get(SETTINGS, sign(claims, secret));
        assertThat(refused.status()).as(why + ": " + refused).isEqualTo(401);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("invalid_token");
        assertThat(refused.json().path("detail").asText()).startsWith("the token was rejected: ").contains(claim)
                .doesNotContain("An error occurred");
    }

    @Test
    void aTokenThatNeverExpiresIsRefused() {
        assertRefused(claims().issueTime(new Date()).build(), "'exp'", "no exp");
        assertRefused(claims().expirationTime(in(Duration.ofMinutes(-5))).build(), "expired", "exp passed");
    }

    @Test
    void aTokenFromTheFutureIsRefused() {
        assertRefused(claims().issueTime(in(Duration.ofDays(1))).expirationTime(in(Duration.ofDays(2))).build(), "'iat'",
                "issued a day ahead");
        assertRefused(claims().issueTime(in(Duration.ofMinutes(5))).expirationTime(in(Duration.ofHours(1))).build(),
                "'iat'", "issued beyond the clock skew");
        assertRefused(claims().issueTime(in(Duration.ofDays(1))).expirationTime(in(Duration.ofHours(1))).build(), "'iat'",
                "issued a day ahead, expiring before that");
        assertRefused(claims().notBeforeTime(in(Duration.ofDays(1))).expirationTime(in(Duration.ofDays(2))).build(),
                "'nbf'", "valid only from tomorrow");
    }

    @Test
    void aClockAFewSecondsAheadIsTolerated() {
        String ahead = sign(claims().issueTime(in(Duration.ofSeconds(20))).notBeforeTime(in(Duration.ofSeconds(20)))
                .expirationTime(in(Duration.ofMinutes(10))).build(), secret);
        assertThat(get(SETTINGS, ahead).status()).isEqualTo(200);
        String plain = sign(claims().expirationTime(in(Duration.ofMinutes(10))).build(), secret);
        Response withoutIat = get(SETTINGS, plain);
        assertThat(withoutIat.status()).as("iat and nbf are optional: " + withoutIat).isEqualTo(200);
        String anyIssuer = sign(claims().issuer("https://anyone.example.test").audience("anything")
                .expirationTime(in(Duration.ofMinutes(10))).build(), secret);
        assertThat(get(SETTINGS, anyIssuer).status()).as("no issuer or audience configured").isEqualTo(200);
    }
}
