package io.aidesk.api.tenancy;

/** The Postgres setting every row-level security policy reads (see migrations V2: aidesk_current_tenant()). */
public final class RowSecurity {
    public static final String TENANT_SETTING = "aidesk.tenant_id";
    /** Scopes the current transaction to one tenant; transaction-local, so it never outlives the transaction. */
    public static final String SCOPE_SQL = "SELECT set_config('" + TENANT_SETTING + "', ?, true)";

    /**
     * Scopes the transaction like {@link #SCOPE_SQL} and holds the tenant's rebuild lock shared until it ends, so a
     * rebuild of the tenant's read models (which holds it exclusively) never interleaves with a projection's write.
     */
    public static final String SCOPE_FOR_PROJECTION_SQL = "SELECT set_config('" + TENANT_SETTING + "', ?, true), "
            + "pg_advisory_xact_lock_shared(hashtext('aidesk.rebuild:' || ?))";
    public static final String REBUILD_LOCK_SQL = "SELECT pg_advisory_xact_lock(hashtext('aidesk.rebuild:' || ?))";

    private RowSecurity() {
    }
}
