package io.aidesk.app.privacy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.aidesk.webhooks.SigningSecrets;
import org.axonframework.serialization.ChainingConverter;
import org.axonframework.serialization.RevisionResolver;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.json.JacksonSerializer;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

/**
 * Personal data in events is sealed with its contact's key (crypto-shredding): the events' serializer seals and opens
 * it; tokens, sagas and deadlines keep Axon's plain general serializer.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(PrivacyProperties.class)
public class PrivacyConfig {
    private final SecureRandom random = new SecureRandom();

    @Bean
    JdbcPrivacyKeys privacyKeys(JdbcTemplate jdbc, PrivacyProperties properties) {
        return new JdbcPrivacyKeys(jdbc, MasterKey.of(properties, random), random, properties.keyCacheTtl());
    }

    @Bean
    JdbcSourceSecrets sourceSecrets(JdbcTemplate jdbc, PlatformTransactionManager transactions,
                                    PrivacyProperties properties) {
        return new JdbcSourceSecrets(jdbc, transactions, MasterKey.of(properties, random));
    }

    /** Webhook endpoints' signing secrets, sealed like sources' credentials and bound to their tenant and endpoint. */
    @Bean
    SigningSecrets webhookSigningSecrets(PrivacyProperties properties) {
        MasterKey key = MasterKey.of(properties, random);
        return new SigningSecrets() {
            @Override
            public byte[] seal(String tenant, String endpointId, String secret) {
                return key.seal(boundTo(tenant, endpointId), secret.getBytes(StandardCharsets.UTF_8));
            }

            @Override
            public String open(String tenant, String endpointId, byte[] sealed) {
                return new String(key.open(boundTo(tenant, endpointId), sealed), StandardCharsets.UTF_8);
            }

            private static String boundTo(String tenant, String endpointId) {
                return "webhook|" + tenant + "|" + endpointId;
            }
        };
    }

    @Bean
    Sealer sealer(JdbcPrivacyKeys keys, @Qualifier("defaultAxonObjectMapper") ObjectMapper mapper) {
        return new Sealer(keys, mapper, random);
    }

    /**
     * What {@code axon.serializer.events: jackson} builds (Axon's JacksonSerializer over the defaultAxonObjectMapper),
     * sealing as it goes. Declaring a bean of this name takes the place of Axon's own.
     */
    @Bean
    @Qualifier("eventSerializer")
    Serializer eventSerializer(RevisionResolver revisionResolver, Sealer sealer,
                               @Qualifier("defaultAxonObjectMapper") ObjectMapper mapper) {
        JacksonSerializer jackson = JacksonSerializer.builder()
                .revisionResolver(revisionResolver)
                .converter(new ChainingConverter(getClass().getClassLoader()))
                .objectMapper(mapper)
                .build();
        return new SealingSerializer(jackson, sealer);
    }
}
