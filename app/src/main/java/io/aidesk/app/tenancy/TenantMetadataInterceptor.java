package io.aidesk.app.tenancy;

import io.aidesk.api.tenancy.Caller;
import io.aidesk.api.tenancy.MetadataKeys;
import io.aidesk.app.security.CurrentCaller;
import org.axonframework.messaging.Message;
import org.axonframework.messaging.MessageDispatchInterceptor;
import org.slf4j.MDC;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BiFunction;

/**
 * Stamps every dispatched command and query with the caller's tenant and user and the request's correlation id.
 * Messages sent inside a unit of work already carry them through the correlation data providers.
 */
public class TenantMetadataInterceptor<T extends Message<?>> implements MessageDispatchInterceptor<T> {

    @Override
    @SuppressWarnings("unchecked")
    public BiFunction<Integer, T, T> handle(List<? extends T> messages) {
        return (index, message) -> {
            Map<String, Object> added = new HashMap<>();
            if (!message.getMetaData().containsKey(MetadataKeys.TENANT_ID)) {
                Optional<Caller> caller = CurrentCaller.get();
                caller.ifPresent(c -> {
                    added.put(MetadataKeys.TENANT_ID, c.tenantId().value());
                    added.put(MetadataKeys.USER_ID, c.userId());
                });
            }
            if (!message.getMetaData().containsKey(MetadataKeys.CORRELATION_ID)) {
                String fromRequest = MDC.get(MetadataKeys.CORRELATION_ID);
                added.put(MetadataKeys.CORRELATION_ID, fromRequest != null ? fromRequest : UUID.randomUUID().toString());
            }
            return added.isEmpty() ? message : (T) message.andMetaData(added);
        };
    }
}
