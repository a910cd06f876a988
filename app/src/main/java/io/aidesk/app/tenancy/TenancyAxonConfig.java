package io.aidesk.app.tenancy;

import io.aidesk.app.rebuild.ReadModelRebuild;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.config.EventProcessingConfigurer;
import org.axonframework.queryhandling.QueryBus;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

/** Puts tenancy on every bus: stamped at dispatch, required for commands and queries, enforced in Postgres for handlers. */
@Configuration(proxyBeanMethods = false)
public class TenancyAxonConfig {

    // the interceptors are not beans: Axon's InterceptorAutoConfiguration would put every interceptor bean on every bus
    @Autowired
    void commandBus(CommandBus commandBus) {
        commandBus.registerDispatchInterceptor(new TenantMetadataInterceptor<>());
        commandBus.registerHandlerInterceptor(new TenantRequiredInterceptor());
    }

    @Autowired
    void queryBus(QueryBus queryBus, JdbcTemplate jdbc, PlatformTransactionManager transactions) {
        queryBus.registerDispatchInterceptor(new TenantMetadataInterceptor<>());
        queryBus.registerHandlerInterceptor(new TenantRequiredInterceptor());
        queryBus.registerHandlerInterceptor(new TenantRowSecurityInterceptor(jdbc, transactions));
    }

    @Autowired
    void eventProcessing(EventProcessingConfigurer processing, JdbcTemplate jdbc) {
        TenantRowSecurityInterceptor rowSecurity = new TenantRowSecurityInterceptor(jdbc, null);
        TenantRowSecurityInterceptor readModels = new TenantRowSecurityInterceptor(jdbc, null, true);
        processing.usingPooledStreamingEventProcessors();
        // only the projections a rebuild replays wait for it; workers, sagas and the audit chain go on
        processing.registerDefaultHandlerInterceptor((configuration, name) ->
                ReadModelRebuild.PROJECTIONS.contains(name) ? readModels : rowSecurity);
    }
}
