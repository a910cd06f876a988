package io.aidesk.app.demo;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;

/** The sign-in's two paths are open (one cannot bring a token to get one); everything else stays as SecurityConfig says. */
@Configuration(proxyBeanMethods = false)
@Conditional(DemoEnabled.SignIn.class)
class DemoSecurityConfig {

    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE)
    SecurityFilterChain demoSignIn(HttpSecurity http) throws Exception {
        http.securityMatcher("/api/demo/users", "/api/demo/sign-in")
                .csrf(csrf -> csrf.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authorizeHttpRequests(requests -> requests.anyRequest().permitAll());
        return http.build();
    }
}
