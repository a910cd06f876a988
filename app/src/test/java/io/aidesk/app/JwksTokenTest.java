package io.aidesk.app;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** With AIDESK_JWKS_URI set, AI Desk verifies the CRM's RS256 tokens against its JWKS, served here on loopback. */
// closed afterwards, so its event processors never hold segments the other tests need
@DirtiesContext
class JwksTokenTest extends ApiTest {
    private static final String ISSUER = "https://crm.example.test";
    private static final String AUDIENCE = "aidesk";
    private static final RSAKey CRM_KEY = generate("crm-2026");
    private static final HttpServer CRM = serveJwks();

    private static RSAKey generate(String keyId) {
        try {
            return new RSAKeyGenerator(2048).keyID(keyId).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static HttpServer serveJwks() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            byte[] jwks = new JWKSet(CRM_KEY.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
            server.createContext("/.well-known/jwks.json", exchange -> {
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, jwks.length);
                try (OutputStream body = exchange.getResponseBody()) {
                    body.write(jwks);
                }
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @DynamicPropertySource
    static void verifyAgainstTheCrm(DynamicPropertyRegistry properties) {
        properties.add("aidesk.security.jwt.jwks-uri",
                () -> "http://127.0.0.1:" + CRM.getAddress().getPort() + "/.well-known/jwks.json");
        properties.add("aidesk.security.jwt.issuer", () -> ISSUER);
        properties.add("aidesk.security.jwt.audience", () -> AUDIENCE);
        // asked for, but a sign-in that hands out tokens must not exist where the CRM signs them
        properties.add("aidesk.demo.sign-in", () -> "true");
    }

    @AfterAll
    static void stopCrm() {
        CRM.stop(0);
    }

    private static String crmToken(RSAKey key, String issuer, String tenant) throws JOSEException {
        return crmToken(key, crmClaims(tenant).issuer(issuer).expirationTime(Date.from(Instant.now().plusSeconds(300))));
    }

    private static JWTClaimsSet.Builder crmClaims(String tenant) {
        return new JWTClaimsSet.Builder().subject("ana").claim("tid", tenant).claim("roles", List.of("admin"))
                .audience(AUDIENCE);
    }

    private static String crmToken(RSAKey key, JWTClaimsSet.Builder claims) throws JOSEException {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
                claims.build());
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    @Test
    void theCrmsTokensMustExpireComeFromThePastAndBeForAiDesk() throws Exception {
        String tenant = newTenant();
        Date inAnHour = Date.from(Instant.now().plusSeconds(3600));

        Response noExpiry = get("/api/ai/settings", crmToken(CRM_KEY, crmClaims(tenant).issuer(ISSUER)));
        assertThat(noExpiry.status()).as("no exp").isEqualTo(401);
        assertThat(noExpiry.json().path("detail").asText()).contains("'exp'");
        Response future = get("/api/ai/settings", crmToken(CRM_KEY, crmClaims(tenant).issuer(ISSUER)
                .issueTime(Date.from(Instant.now().plusSeconds(86_400)))
                .expirationTime(Date.from(Instant.now().plusSeconds(90_000)))));
        assertThat(future.status()).as("issued a day ahead").isEqualTo(401);
        assertThat(future.json().path("detail").asText()).contains("'iat'");
        assertThat(get("/api/ai/settings", crmToken(CRM_KEY, crmClaims(tenant).issuer(ISSUER)
                .notBeforeTime(Date.from(Instant.now().plusSeconds(86_400)))
                .expirationTime(Date.from(Instant.now().plusSeconds(90_000))))).status())
                .as("valid only from tomorrow").isEqualTo(401);
        Response elsewhere = get("/api/ai/settings", crmToken(CRM_KEY, crmClaims(tenant).issuer(ISSUER)
                .audience("another-app").expirationTime(inAnHour)));
        assertThat(elsewhere.status()).as("for another audience").isEqualTo(401);
        assertThat(elsewhere.json().path("detail").asText()).contains("'aud'").contains(AUDIENCE);
        assertThat(get("/api/ai/settings", crmToken(CRM_KEY, crmClaims(tenant).issuer(ISSUER)
                .issueTime(new Date()).expirationTime(inAnHour))).status()).isEqualTo(200);
    }

    @Test
    void acceptsTheCrmsTokensAndNothingElse() throws Exception {
        String tenant = newTenant();

        assertThat(get("/api/ai/settings", crmToken(CRM_KEY, ISSUER, tenant)).status()).isEqualTo(200);

        assertThat(get("/api/ai/settings", crmToken(CRM_KEY, "https://evil.example.test", tenant)).status())
                .as("another issuer").isEqualTo(401);
        assertThat(get("/api/ai/settings", crmToken(generate("crm-2026"), ISSUER, tenant)).status())
                .as("a key the CRM never published").isEqualTo(401);
        assertThat(get("/api/ai/settings", token(tenant, "ana", "admin")).status())
                .as("the development HS256 secret is not accepted once a JWKS is configured").isEqualTo(401);
    }

    @Test
    void theDemoSignInDoesNotExist() throws Exception {
        String crm = crmToken(CRM_KEY, ISSUER, newTenant());

        assertThat(get("/api/demo/users", null).status()).isEqualTo(401);
        assertThat(call("POST", "/api/demo/sign-in", null, "{\"user_id\": \"ana@acme\"}", java.util.Map.of()).status())
                .isEqualTo(401);
        assertThat(get("/api/demo/users", crm).status()).isEqualTo(404);
        assertThat(call("POST", "/api/demo/sign-in", crm, "{\"user_id\": \"ana@acme\"}", java.util.Map.of()).status())
                .isEqualTo(404);
    }
}
