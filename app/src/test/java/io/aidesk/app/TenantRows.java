package io.aidesk.app;

import io.aidesk.api.tenancy.RowSecurity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** A tenant's tables as the application role reads them: in a transaction scoped to the tenant by row-level security. */
record TenantRows(JdbcTemplate jdbc, PlatformTransactionManager transactions) {

    <T> T as(String tenant, Supplier<T> work) {
        return new TransactionTemplate(transactions).execute(status -> {
            jdbc.queryForObject(RowSecurity.SCOPE_SQL, String.class, tenant);
            return work.get();
        });
    }

    /** Every row of each table, as JSON text, in a stable order. */
    Map<String, List<String>> of(String tenant, List<String> tables) {
        return as(tenant, () -> {
            Map<String, List<String>> rows = new LinkedHashMap<>();
            tables.forEach(table -> rows.put(table, jdbc.queryForList("SELECT row_to_json(t)::text FROM " + table
                    + " t WHERE tenant_id = ? ORDER BY 1", String.class, tenant)));
            return rows;
        });
    }

    /** Every row of each table as one text to search, each line naming its table. */
    String text(String tenant, List<String> tables) {
        StringBuilder text = new StringBuilder();
        of(tenant, tables).forEach((table, rows) -> rows.forEach(row -> text.append(table).append(": ").append(row)
                .append('\n')));
        return text.toString();
    }
}
