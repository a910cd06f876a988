package io.aidesk.app.tenancy;

import io.aidesk.api.tenancy.MetadataKeys;
import io.aidesk.api.tenancy.RowSecurity;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.Message;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Tells Postgres which tenant a handler acts for, so row-level security scopes every read-model statement to the
 * message's tenant. The setting is transaction-local, so it never leaks to the next message on the connection.
 */
public class TenantRowSecurityInterceptor implements MessageHandlerInterceptor<Message<?>> {
    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final boolean projections;

    /**
     * @param transactionManager when set, a handler that runs outside a transaction gets one (queries); when null,
     *                           such a handler is left to scope its own transactions (long-running workers)
     */
    public TenantRowSecurityInterceptor(JdbcTemplate jdbc, PlatformTransactionManager transactionManager) {
        this(jdbc, transactionManager, false);
    }

    /** @param projections whether handlers write read models: they then wait while the tenant's are rebuilt */
    public TenantRowSecurityInterceptor(JdbcTemplate jdbc, PlatformTransactionManager transactionManager,
                                        boolean projections) {
        this.jdbc = jdbc;
        this.transactions = transactionManager == null ? null : new TransactionTemplate(transactionManager);
        this.projections = projections;
    }

    @Override
    public Object handle(UnitOfWork<? extends Message<?>> unitOfWork, InterceptorChain chain) throws Exception {
        Object tenant = unitOfWork.getMessage().getMetaData().get(MetadataKeys.TENANT_ID);
        String value = tenant instanceof String s ? s : "";
        if (TransactionSynchronizationManager.isActualTransactionActive()) {
            scopeTo(value);
            return chain.proceed();
        }
        if (transactions == null) {
            return chain.proceed();
        }
        // queries run outside a transaction; a transaction-local setting needs one
        try {
            return transactions.execute(status -> {
                scopeTo(value);
                try {
                    return chain.proceed();
                } catch (RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new HandlerFailure(e);
                }
            });
        } catch (HandlerFailure failure) {
            throw (Exception) failure.getCause();
        }
    }

    private void scopeTo(String tenant) {
        if (projections) {
            jdbc.queryForRowSet(RowSecurity.SCOPE_FOR_PROJECTION_SQL, tenant, tenant);
        } else {
            jdbc.queryForObject(RowSecurity.SCOPE_SQL, String.class, tenant);
        }
    }

    private static final class HandlerFailure extends RuntimeException {
        HandlerFailure(Exception cause) {
            super(cause);
        }
    }
}
