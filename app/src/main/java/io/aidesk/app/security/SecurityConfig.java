package io.aidesk.app.security;

import io.aidesk.api.tenancy.Role;
import io.aidesk.api.tenancy.TenantId;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.convert.converter.Converter;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtAudienceValidator;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.MappedJwtClaimSetConverter;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.web.SecurityFilterChain;

import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/** The CRM's JWT is the only source of tenant, user and roles (DESIGN §5). */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(JwtProperties.class)
public class SecurityConfig {
    /** How far the CRM's clock and ours may disagree on exp, nbf and iat. */
    public static final Duration CLOCK_SKEW = Duration.ofSeconds(60);
    private static final String SKEW_NOTE = " (AI Desk allows " + CLOCK_SKEW.toSeconds() + " s of clock skew)";
    private static final String[] ANY_ROLE = Arrays.stream(Role.values()).map(Enum::name).toArray(String[]::new);

    @Bean
    SecurityFilterChain api(HttpSecurity http, ProblemAuthenticationHandlers problems) throws Exception {
        JwtAuthenticationConverter roles = new JwtAuthenticationConverter();
        roles.setJwtGrantedAuthoritiesConverter(jwt -> CallerClaims.roles(jwt).stream()
                .map(role -> new SimpleGrantedAuthority("ROLE_" + role.name()))
                .map(authority -> (org.springframework.security.core.GrantedAuthority) authority)
                .toList());
        http.csrf(csrf -> csrf.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers("/actuator/health", "/actuator/health/**", "/actuator/info",
                                "/actuator/prometheus").permitAll()
                        .requestMatchers("/v3/api-docs", "/v3/api-docs/**", "/swagger-ui.html", "/swagger-ui/**").permitAll()
                        .requestMatchers(HttpMethod.PUT, "/api/ai/settings").hasRole(Role.ADMIN.name())
                        .requestMatchers(HttpMethod.GET, "/api/ai/settings").hasAnyRole(ANY_ROLE)
                        .requestMatchers(HttpMethod.GET, "/api/ai/kb/sources", "/api/ai/kb/sources/**")
                        .hasAnyRole(Role.ADMIN.name(), Role.AGENT.name(), Role.AUDITOR.name())
                        .requestMatchers("/api/ai/kb/sources", "/api/ai/kb/sources/**").hasRole(Role.ADMIN.name())
                        .requestMatchers(HttpMethod.POST, "/api/ai/kb/query").hasAnyRole(ANY_ROLE)
                        .requestMatchers(HttpMethod.POST, "/api/crm/**").hasAnyRole(Role.SERVICE.name(), Role.ADMIN.name())
                        .requestMatchers(HttpMethod.POST, "/api/ai/assist/**").hasAnyRole(Role.AGENT.name(), Role.ADMIN.name())
                        .requestMatchers(HttpMethod.POST, "/api/ai/conversations/*/hand-back",
                                "/api/ai/conversations/*/take-over")
                        .hasAnyRole(Role.AGENT.name(), Role.ADMIN.name())
                        .requestMatchers(HttpMethod.POST, "/api/ai/agent/**")
                        .hasAnyRole(Role.SERVICE.name(), Role.AGENT.name(), Role.ADMIN.name())
                        .requestMatchers("/api/ai/approvals", "/api/ai/approvals/**").hasRole(Role.ADMIN.name())
                        .requestMatchers(HttpMethod.GET, "/api/ai/runs", "/api/ai/runs/**", "/api/ai/audit/**")
                        .hasAnyRole(Role.AUDITOR.name(), Role.ADMIN.name())
                        .requestMatchers(HttpMethod.GET, "/api/ai/insights", "/api/ai/insights/**", "/api/ai/replays",
                                "/api/ai/replays/**").hasAnyRole(Role.AUDITOR.name(), Role.ADMIN.name())
                        .requestMatchers("/api/ai/replays", "/api/ai/replays/**").hasRole(Role.ADMIN.name())
                        .requestMatchers("/api/ai/privacy/**", "/api/ai/admin/**").hasRole(Role.ADMIN.name())
                        .requestMatchers("/api/ai/webhooks", "/api/ai/webhooks/**").hasRole(Role.ADMIN.name())
                        .requestMatchers(HttpMethod.POST, "/api/ai/conversations", "/api/ai/conversations/**")
                        .hasAnyRole(Role.SERVICE.name(), Role.AGENT.name(), Role.ADMIN.name())
                        .requestMatchers("/api/**", "/actuator/**").hasAnyRole(ANY_ROLE)
                        // the static settings UI: its API calls carry the token
                        .anyRequest().permitAll())
                .oauth2ResourceServer(server -> server
                        .jwt(jwt -> jwt.jwtAuthenticationConverter(roles))
                        .authenticationEntryPoint(problems)
                        .accessDeniedHandler(problems))
                .exceptionHandling(errors -> errors
                        .authenticationEntryPoint(problems)
                        .accessDeniedHandler(problems));
        return http.build();
    }

    @Bean
    JwtDecoder jwtDecoder(JwtProperties properties) {
        NimbusJwtDecoder decoder = hasText(properties.jwksUri())
                ? NimbusJwtDecoder.withJwkSetUri(properties.jwksUri()).build()
                : NimbusJwtDecoder.withSecretKey(new SecretKeySpec(secret(properties), "HmacSHA256"))
                        .macAlgorithm(MacAlgorithm.HS256).build();
        decoder.setClaimSetConverter(claimsAsWritten());
        decoder.setJwtValidator(validator(properties));
        return decoder;
    }

    /**
     * Spring's claim conversion, except that a missing {@code iat} stays missing (Spring would write exp - 1 s, a time
     * in the future the iat check would refuse), and an {@code iat} not before the {@code exp} is named as such.
     */
    static Converter<Map<String, Object>, Map<String, Object>> claimsAsWritten() {
        MappedJwtClaimSetConverter spring = MappedJwtClaimSetConverter.withDefaults(Map.of());
        return claims -> {
            Map<String, Object> mapped = new HashMap<>(spring.convert(claims));
            if (claims.get(JwtClaimNames.IAT) == null) {
                mapped.remove(JwtClaimNames.IAT);
            }
            if (mapped.get(JwtClaimNames.IAT) instanceof Instant issuedAt
                    && mapped.get(JwtClaimNames.EXP) instanceof Instant expiresAt && !expiresAt.isAfter(issuedAt)) {
                throw new IllegalArgumentException("the token's 'iat' (issued at) is " + issuedAt
                        + ", not before its 'exp' (expiry) " + expiresAt);
            }
            return mapped;
        };
    }

    /**
     * What a token must satisfy in either mode (HS256 secret or JWKS): an {@code exp}, not yet passed; {@code nbf} and
     * {@code iat}, when present, not in the future; {@code iss} and {@code aud} when configured; a tenant and a user.
     * Each check is Spring Security's; the first failure's description is the 401's detail, so ours come first.
     */
    static OAuth2TokenValidator<Jwt> validator(JwtProperties properties) {
        List<OAuth2TokenValidator<Jwt>> checks = new ArrayList<>();
        checks.add(explained(new JwtClaimValidator<Instant>(JwtClaimNames.EXP, Objects::nonNull),
                jwt -> "the token has no 'exp' (expiry) claim; AI Desk accepts only tokens that expire"));
        checks.add(explained(new JwtTimestampValidator(CLOCK_SKEW), SecurityConfig::outOfTime));
        checks.add(explained(new JwtClaimValidator<Instant>(JwtClaimNames.IAT,
                        issuedAt -> issuedAt == null || !issuedAt.isAfter(Instant.now().plus(CLOCK_SKEW))),
                jwt -> "the token's 'iat' (issued at) is " + jwt.getIssuedAt() + ", in the future" + SKEW_NOTE));
        String issuer = properties.issuer();
        if (hasText(issuer)) {
            checks.add(explained(new JwtIssuerValidator(issuer), jwt -> (jwt.getClaim(JwtClaimNames.ISS) == null
                    ? "the token has no 'iss' (issuer) claim"
                    : "the token's 'iss' (issuer) is '" + jwt.getClaimAsString(JwtClaimNames.ISS) + "'")
                    + "; AI Desk accepts only tokens issued by '" + issuer + "'"));
        }
        String audience = properties.audience();
        if (hasText(audience)) {
            checks.add(explained(new JwtAudienceValidator(audience), jwt -> (jwt.getAudience() == null
                    ? "the token has no 'aud' (audience) claim"
                    : "the token's 'aud' (audience) is " + jwt.getAudience())
                    + "; AI Desk accepts only tokens for '" + audience + "'"));
        }
        checks.add(SecurityConfig::hasTenantAndUser);
        // Spring's defaults after ours (certificate-bound tokens' thumbprint, and the timestamps again)
        checks.add(JwtValidators.createDefault());
        return new DelegatingOAuth2TokenValidator<>(checks);
    }

    private static String outOfTime(Jwt jwt) {
        Instant expiresAt = jwt.getExpiresAt();
        if (expiresAt != null && expiresAt.plus(CLOCK_SKEW).isBefore(Instant.now())) {
            return "the token expired at " + expiresAt + SKEW_NOTE;
        }
        return "the token's 'nbf' (not before) is " + jwt.getNotBefore() + ", in the future" + SKEW_NOTE;
    }

    /** A Spring Security check whose failure is described for the caller, naming the claim and what was expected. */
    private static OAuth2TokenValidator<Jwt> explained(OAuth2TokenValidator<Jwt> check, Function<Jwt, String> detail) {
        return jwt -> check.validate(jwt).hasErrors()
                ? OAuth2TokenValidatorResult.failure(
                        new OAuth2Error(OAuth2ErrorCodes.INVALID_TOKEN, detail.apply(jwt), null))
                : OAuth2TokenValidatorResult.success();
    }

    private static OAuth2TokenValidatorResult hasTenantAndUser(Jwt jwt) {
        if (!TenantId.isValid(jwt.getClaimAsString(CallerClaims.TENANT))) {
            return OAuth2TokenValidatorResult.failure(new OAuth2Error("invalid_token",
                    "the token has no valid 'tid' (tenant) claim", null));
        }
        if (!hasText(jwt.getSubject())) {
            return OAuth2TokenValidatorResult.failure(new OAuth2Error("invalid_token",
                    "the token has no 'sub' (user) claim", null));
        }
        return OAuth2TokenValidatorResult.success();
    }

    /** The HS256 secret tokens are verified with (and the demo's sign-in signs with). */
    public static byte[] secret(JwtProperties properties) {
        String secret = properties.secret();
        if (!hasText(secret) && hasText(properties.secretFile())) {
            Path file = Path.of(properties.secretFile());
            try {
                secret = Files.exists(file) ? Files.readString(file).strip() : null;
            } catch (IOException e) {
                throw new IllegalStateException("cannot read the JWT secret from " + file.toAbsolutePath(), e);
            }
        }
        if (!hasText(secret)) {
            throw new IllegalStateException("no JWT secret: start AI Desk with ./aidesk run (it writes .aidesk/jwt-secret),"
                    + " or set AIDESK_JWT_SECRET, or set AIDESK_JWKS_URI to verify the CRM's tokens");
        }
        byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
        if (bytes.length < 32) {
            throw new IllegalStateException("the JWT secret must be at least 32 bytes for HS256");
        }
        return bytes;
    }

    static boolean hasText(String value) {
        return value != null && !value.isBlank();
    }
}
