package io.aidesk.command.agentrun;

import io.aidesk.api.agentrun.RunStartLock;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/** A transaction-scoped Postgres advisory lock per run id: released by the commit that makes the run visible. */
@Component
class PostgresRunStartLock implements RunStartLock {
    /** The advisory locks' first key, so run starts share no lock with anything else that locks by a hash. */
    static final int RUN_STARTS = 0x52554E53;

    private final JdbcTemplate jdbc;

    PostgresRunStartLock(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void holdUntilCommit(String runId) {
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("a run's start is locked inside the transaction that starts it");
        }
        jdbc.query("SELECT pg_advisory_xact_lock(?, hashtext(?))", rs -> null, RUN_STARTS, runId);
    }
}
