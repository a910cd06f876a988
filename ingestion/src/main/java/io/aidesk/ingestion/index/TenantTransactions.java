package io.aidesk.ingestion.index;

import io.aidesk.api.tenancy.RowSecurity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.function.Supplier;

/** Short transactions scoped to one tenant, for workers that run outside any message transaction. */
@Component
public class TenantTransactions {
    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;

    public TenantTransactions(JdbcTemplate jdbc, PlatformTransactionManager transactionManager) {
        this.jdbc = jdbc;
        this.transactions = new TransactionTemplate(transactionManager);
    }

    public <T> T inTenant(String tenant, Supplier<T> work) {
        return transactions.execute(status -> {
            jdbc.queryForObject(RowSecurity.SCOPE_SQL, String.class, tenant);
            return work.get();
        });
    }
}
