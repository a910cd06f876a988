package io.aidesk.app.tenancy;

import io.aidesk.api.tenancy.MetadataKeys;
import io.aidesk.api.tenancy.MissingTenantException;
import io.aidesk.api.tenancy.TenantId;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.UnitOfWork;

/** No command is handled unless its metadata names a valid tenant. */
public class TenantRequiredInterceptor implements MessageHandlerInterceptor<CommandMessage<?>> {

    @Override
    public Object handle(UnitOfWork<? extends CommandMessage<?>> unitOfWork, InterceptorChain chain) throws Exception {
        CommandMessage<?> command = unitOfWork.getMessage();
        Object tenant = command.getMetaData().get(MetadataKeys.TENANT_ID);
        if (!(tenant instanceof String value) || !TenantId.isValid(value)) {
            throw new MissingTenantException(command.getCommandName());
        }
        return chain.proceed();
    }
}
