package io.aidesk.ingestion.sync;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * At most N syncs of one tenant run at once across every node, so one tenant's crawls never take every worker. A slot
 * is a Postgres advisory lock held by a connection for the length of the sync: a node that dies lets go of its slots
 * with its connections.
 */
@Component
class TenantSlots {
    private static final Logger log = LoggerFactory.getLogger(TenantSlots.class);
    private final DataSource dataSource;
    private final int perTenant;

    TenantSlots(DataSource dataSource, @Value("${aidesk.ingestion.syncs-per-tenant:2}") int perTenant) {
        this.dataSource = dataSource;
        this.perTenant = perTenant;
    }

    /** A slot held: closing it lets go. */
    static final class Slot implements AutoCloseable {
        private final Connection connection;
        private final String tenant;
        private final int number;

        private Slot(Connection connection, String tenant, int number) {
            this.connection = connection;
            this.tenant = tenant;
            this.number = number;
        }

        @Override
        public void close() {
            try (connection) {
                lock(connection, "SELECT pg_advisory_unlock(hashtext('aidesk.sync:' || ?), ?)", tenant, number);
            } catch (SQLException e) {
                // the pool drops a broken connection, and Postgres the locks it held
                log.warn("letting go of a sync slot of tenant {} failed: {}", tenant, e.getMessage());
            }
        }
    }

    /** @return a free slot of the tenant's, or empty when all N are taken */
    Optional<Slot> tryTake(String tenant) throws SQLException {
        Connection connection = dataSource.getConnection();
        try {
            for (int number = 0; number < perTenant; number++) {
                if (lock(connection, "SELECT pg_try_advisory_lock(hashtext('aidesk.sync:' || ?), ?)", tenant, number)) {
                    return Optional.of(new Slot(connection, tenant, number));
                }
            }
        } catch (SQLException | RuntimeException e) {
            connection.close();
            throw e;
        }
        connection.close();
        return Optional.empty();
    }

    private static boolean lock(Connection connection, String sql, String tenant, int number) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, tenant);
            statement.setInt(2, number);
            try (ResultSet result = statement.executeQuery()) {
                return result.next() && result.getBoolean(1);
            }
        }
    }
}
