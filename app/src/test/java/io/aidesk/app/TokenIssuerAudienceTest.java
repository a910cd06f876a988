package io.aidesk.app;

import com.nimbusds.jwt.JWTClaimsSet;
import org.junit.jupiter.api.Test;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * HS256 with AIDESK_JWT_ISSUER and AIDESK_JWT_AUDIENCE set: a token must name both, and what `./aidesk token` and the
 * demo's sign-in issue (with the launcher's .aidesk/jwt-secret) still passes.
 */
// closed afterwards, so its event processors never hold segments the other tests need
@DirtiesContext
class TokenIssuerAudienceTest extends ApiTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final String ISSUER = "https://crm.example.test";
    private static final String AUDIENCE = "aidesk";
    private static final String SETTINGS = "/api/ai/settings";

    private static String aidesk(Map<String, String> env, String... args) {
        try {
            List<String> command = new java.util.ArrayList<>(List.of("sh", ROOT.resolve("aidesk").toString()));
            command.addAll(List.of(args));
            ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile());
            builder.environment().putAll(env);
            Process process = builder.start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            assertThat(process.waitFor()).as(err).isZero();
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String launcherSecret() {
        try {
            return Files.readString(ROOT.resolve(".aidesk/jwt-secret")).strip();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @DynamicPropertySource
    static void requireIssuerAndAudience(DynamicPropertyRegistry properties) {
        // the launcher writes its secret on first use; the app reads it as `./aidesk run` has it do
        aidesk(Map.of(), "token", "--tenant", "acme", "--role", "admin");
        properties.add("aidesk.security.jwt.secret", () -> "");
        properties.add("aidesk.security.jwt.secret-file", () -> ROOT.resolve(".aidesk/jwt-secret").toString());
        properties.add("aidesk.security.jwt.issuer", () -> ISSUER);
        properties.add("aidesk.security.jwt.audience", () -> AUDIENCE);
        properties.add("aidesk.demo.sign-in", () -> "true");
    }

    private String token(String issuer, List<String> audience) {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().subject("ana").claim("tid", newTenant())
                .claim("roles", List.of("admin")).issuer(issuer).issueTime(new Date())
                .expirationTime(Date.from(Instant.now().plusSeconds(600)));
        if (audience != null) {
            claims.audience(audience);
        }
        return sign(claims.build(), launcherSecret());
    }

    private void assertRefused(String token, String detail) {
        Response refused = get(SETTINGS, token);
        assertThat(refused.status()).as(refused.toString()).isEqualTo(401);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.json().path("detail").asText()).contains(detail);
    }

    @Test
    void theIssuerAndTheAudienceMustBeTheConfiguredOnes() {
        assertThat(get(SETTINGS, token(ISSUER, List.of(AUDIENCE))).status()).isEqualTo(200);
        assertThat(get(SETTINGS, token(ISSUER, List.of("another-app", AUDIENCE))).status()).as("one of its audiences")
                .isEqualTo(200);

        assertRefused(token("https://evil.example.test", List.of(AUDIENCE)),
                "the token's 'iss' (issuer) is 'https://evil.example.test'; AI Desk accepts only tokens issued by '"
                        + ISSUER + "'");
        assertRefused(token(null, List.of(AUDIENCE)), "the token has no 'iss' (issuer) claim");
        assertRefused(token(ISSUER, List.of("another-app")), "the token's 'aud' (audience) is [another-app]");
        assertRefused(token(ISSUER, null), "the token has no 'aud' (audience) claim");
    }

    @Test
    void theLaunchersAndTheDemosTokensPass() throws Exception {
        String launcher = aidesk(Map.of("AIDESK_JWT_ISSUER", ISSUER, "AIDESK_JWT_AUDIENCE", AUDIENCE),
                "token", "--tenant", newTenant(), "--role", "admin");
        assertThat(get(SETTINGS, launcher).status()).isEqualTo(200);
        String withoutThem = aidesk(Map.of(), "token", "--tenant", newTenant(), "--role", "admin");
        assertRefused(withoutThem, "'iss'");

        Response signedIn = call("POST", "/api/demo/sign-in", null, "{\"user_id\": \"ana@acme\"}", Map.of());
        assertThat(signedIn.status()).as(signedIn.toString()).isEqualTo(200);
        assertThat(get(SETTINGS, signedIn.json().path("token").asText()).status()).isEqualTo(200);
    }
}
