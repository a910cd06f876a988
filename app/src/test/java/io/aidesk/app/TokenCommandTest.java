package io.aidesk.app;

import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Date;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** `./aidesk token` signs what the app verifies: HS256 with .aidesk/jwt-secret and the CRM's claims. */
class TokenCommandTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    private record Run(int exit, String out, String err) {
    }

    private static Run aidesk(String... args) throws IOException, InterruptedException {
        return aidesk(java.util.Map.of(), args);
    }

    private static Run aidesk(java.util.Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("sh", ROOT.resolve("aidesk").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile());
        builder.environment().putAll(env);
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        return new Run(process.waitFor(), out, err);
    }

    @Test
    void printsATokenSignedWithTheDevelopmentSecret() throws Exception {
        Run run = aidesk("token", "--tenant", "acme", "--role", "admin,agent", "--user", "ana@acme");

        assertThat(run.exit()).as(run.err()).isZero();
        SignedJWT jwt = SignedJWT.parse(run.out());
        byte[] secret = Files.readString(ROOT.resolve(".aidesk/jwt-secret")).strip().getBytes(StandardCharsets.UTF_8);
        assertThat(jwt.verify(new MACVerifier(secret))).isTrue();
        assertThat(jwt.getJWTClaimsSet().getSubject()).isEqualTo("ana@acme");
        assertThat(jwt.getJWTClaimsSet().getStringClaim("tid")).isEqualTo("acme");
        assertThat(jwt.getJWTClaimsSet().getStringListClaim("roles")).containsExactly("admin", "agent");
        assertThat(jwt.getJWTClaimsSet().getExpirationTime()).isAfter(new Date());
        assertThat(jwt.getJWTClaimsSet().getIssueTime()).isBeforeOrEqualTo(new Date());
        assertThat(jwt.getJWTClaimsSet().getIssuer()).as("no issuer configured").isNull();
        assertThat(jwt.getJWTClaimsSet().getAudience()).isEmpty();
    }

    @Test
    void carriesTheIssuerAndTheAudienceTheAppRequires() throws Exception {
        Run run = aidesk(java.util.Map.of("AIDESK_JWT_ISSUER", "https://crm.example.test", "AIDESK_JWT_AUDIENCE", "aidesk"),
                "token", "--tenant", "acme", "--role", "admin");

        assertThat(run.exit()).as(run.err()).isZero();
        SignedJWT jwt = SignedJWT.parse(run.out());
        assertThat(jwt.getJWTClaimsSet().getIssuer()).isEqualTo("https://crm.example.test");
        assertThat(jwt.getJWTClaimsSet().getAudience()).containsExactly("aidesk");
        assertThat(jwt.getJWTClaimsSet().getStringClaim("tid")).isEqualTo("acme");

        Run quoted = aidesk(java.util.Map.of("AIDESK_JWT_ISSUER", "a\"b"), "token", "--tenant", "acme", "--role", "admin");
        assertThat(quoted.exit()).isNotZero();
        assertThat(quoted.err()).contains("quote");
    }

    @Test
    void refusesWhatTheAppWouldRefuseWithAnExplanation() throws Exception {
        Run badRole = aidesk("token", "--tenant", "acme", "--role", "root");
        assertThat(badRole.exit()).isNotZero();
        assertThat(badRole.err()).contains("unknown role 'root'").contains("admin, agent, auditor, service");

        Run badTenant = aidesk("token", "--tenant", "a b", "--role", "admin");
        assertThat(badTenant.exit()).isNotZero();
        assertThat(badTenant.err()).contains("not a tenant id");

        Run missing = aidesk("token", "--role", "admin");
        assertThat(missing.exit()).isNotZero();
        assertThat(missing.err()).contains("--tenant");
    }
}
