package io.aidesk.app.tenancy;

import io.aidesk.api.tenancy.MetadataKeys;
import io.aidesk.api.tenancy.MissingTenantException;
import io.aidesk.api.tenancy.TenantId;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.Message;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.axonframework.queryhandling.QueryMessage;

/** No command or query is handled unless its metadata names a valid tenant: the one place that checks it is there. */
public class TenantRequiredInterceptor implements MessageHandlerInterceptor<Message<?>> {

    @Override
    public Object handle(UnitOfWork<? extends Message<?>> unitOfWork, InterceptorChain chain) throws Exception {
        Message<?> message = unitOfWork.getMessage();
        Object tenant = message.getMetaData().get(MetadataKeys.TENANT_ID);
        if (!(tenant instanceof String value) || !TenantId.isValid(value)) {
            throw new MissingTenantException(name(message));
        }
        return chain.proceed();
    }

    private static String name(Message<?> message) {
        if (message instanceof CommandMessage<?> command) {
            return command.getCommandName();
        }
        return message instanceof QueryMessage<?, ?> query ? query.getQueryName() : message.getPayloadType().getName();
    }
}
