package io.aidesk.api.tenancy;

/** The Postgres setting every row-level security policy reads (see migrations V2: aidesk_current_tenant()). */
public final class RowSecurity {
    public static final String TENANT_SETTING = "aidesk.tenant_id";
    /** Scopes the current transaction to one tenant; transaction-local, so it never outlives the transaction. */
    public static final String SCOPE_SQL = "SELECT set_config('" + TENANT_SETTING + "', ?, true)";

    private RowSecurity() {
    }
}
