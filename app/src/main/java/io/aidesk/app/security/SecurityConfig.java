package io.aidesk.app.security;

import io.aidesk.api.tenancy.Role;
import io.aidesk.api.tenancy.TenantId;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.web.SecurityFilterChain;

import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** The CRM's JWT is the only source of tenant, user and roles (DESIGN §5). */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(JwtProperties.class)
public class SecurityConfig {
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
                        .requestMatchers(HttpMethod.POST, "/api/ai/conversations/*/hand-back")
                        .hasAnyRole(Role.AGENT.name(), Role.ADMIN.name())
                        .requestMatchers(HttpMethod.POST, "/api/ai/agent/**")
                        .hasAnyRole(Role.SERVICE.name(), Role.AGENT.name(), Role.ADMIN.name())
                        .requestMatchers("/api/ai/approvals", "/api/ai/approvals/**").hasRole(Role.ADMIN.name())
                        .requestMatchers(HttpMethod.GET, "/api/ai/runs", "/api/ai/runs/**", "/api/ai/audit/**")
                        .hasAnyRole(Role.AUDITOR.name(), Role.ADMIN.name())
                        .requestMatchers("/api/ai/privacy/**", "/api/ai/admin/**").hasRole(Role.ADMIN.name())
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
        OAuth2TokenValidator<Jwt> standard = hasText(properties.issuer())
                ? JwtValidators.createDefaultWithIssuer(properties.issuer())
                : JwtValidators.createDefault();
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(standard, SecurityConfig::hasTenantAndUser));
        return decoder;
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
