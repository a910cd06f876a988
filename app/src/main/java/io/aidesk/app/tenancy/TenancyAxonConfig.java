package io.aidesk.app.tenancy;

import org.axonframework.commandhandling.CommandBus;
import org.axonframework.config.EventProcessingConfigurer;
import org.axonframework.queryhandling.QueryBus;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

/** Puts tenancy on every bus: stamped at dispatch, required for commands, enforced in Postgres for handlers. */
@Configuration(proxyBeanMethods = false)
public class TenancyAxonConfig {

    @Bean
    static TenantRowSecurityInterceptor tenantRowSecurityInterceptor(JdbcTemplate jdbc, PlatformTransactionManager transactions) {
        return new TenantRowSecurityInterceptor(jdbc, transactions);
    }

    @Autowired
    void commandBus(CommandBus commandBus) {
        commandBus.registerDispatchInterceptor(new TenantMetadataInterceptor<>());
        commandBus.registerHandlerInterceptor(new TenantRequiredInterceptor());
    }

    @Autowired
    void queryBus(QueryBus queryBus, TenantRowSecurityInterceptor rowSecurity) {
        queryBus.registerDispatchInterceptor(new TenantMetadataInterceptor<>());
        queryBus.registerHandlerInterceptor(rowSecurity);
    }

    @Autowired
    void eventProcessing(EventProcessingConfigurer processing, TenantRowSecurityInterceptor rowSecurity) {
        processing.usingPooledStreamingEventProcessors();
        processing.registerDefaultHandlerInterceptor((configuration, name) -> rowSecurity);
    }
}
