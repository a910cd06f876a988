package io.aidesk.app.privacy;

import io.aidesk.api.agentrun.RunQueries.RunEvent;
import io.aidesk.api.agentrun.RunQueries.RunEventList;
import io.aidesk.api.privacy.SealedData;
import io.aidesk.api.tenancy.MetadataKeys;
import org.axonframework.queryhandling.QueryBus;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Configuration;

/**
 * A run's event stream for auditors is read from the stored JSON: its sealed values are opened for the caller's
 * tenant on the way out ({@code [erased]} once the contact is erased), whichever handler read them.
 */
@Configuration(proxyBeanMethods = false)
public class SealedRunEvents {

    // not a bean: Axon's InterceptorAutoConfiguration would put every interceptor bean on every bus
    @Autowired
    void openRunEventStreams(QueryBus queryBus, SealedData sealed) {
        queryBus.registerHandlerInterceptor((unitOfWork, chain) -> {
            Object result = chain.proceed();
            if (result instanceof RunEventList list) {
                Object tenant = unitOfWork.getMessage().getMetaData().get(MetadataKeys.TENANT_ID);
                return new RunEventList(list.runId(), list.items().stream()
                        .map(event -> new RunEvent(event.sequence(), event.type(), event.timestamp(),
                                sealed.open(tenant instanceof String t ? t : null, event.payload()), event.metadata()))
                        .toList());
            }
            return result;
        });
    }
}
