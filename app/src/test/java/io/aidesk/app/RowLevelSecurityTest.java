package io.aidesk.app;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Connects as the application role itself: even a query with no WHERE tenant_id sees only one tenant's rows. */
class RowLevelSecurityTest extends ApiTest {

    @Value("${spring.datasource.url}")
    String url;
    @Value("${spring.datasource.username}")
    String appUser;
    @Value("${spring.datasource.password}")
    String appPassword;
    @Value("${spring.flyway.user}")
    String owner;
    @Value("${spring.flyway.password}")
    String ownerPassword;

    private void insertAsOwner(String tenant) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url, owner, ownerPassword);
             PreparedStatement insert = connection.prepareStatement("""
                     INSERT INTO ai_assistant_settings (tenant_id, copilot_enabled, autopilot_enabled,
                         confidence_threshold, allowed_tools, escalation_rules, log_content, required_fields,
                         revision, updated_at, updated_by)
                     VALUES (?, true, false, 0.75, '[]', '[]', 'full', '{}', 1, now(), 'test')
                     """)) {
            insert.setString(1, tenant);
            insert.executeUpdate();
        }
    }

    private static List<String> tenantsVisible(Connection connection) throws SQLException {
        List<String> tenants = new ArrayList<>();
        try (Statement select = connection.createStatement();
             ResultSet rows = select.executeQuery("SELECT tenant_id FROM ai_assistant_settings")) {
            while (rows.next()) {
                tenants.add(rows.getString(1));
            }
        }
        return tenants;
    }

    private static void scope(Connection connection, String tenant) throws SQLException {
        try (PreparedStatement set = connection.prepareStatement("SELECT set_config('aidesk.tenant_id', ?, false)")) {
            set.setString(1, tenant);
            set.execute();
        }
    }

    @Test
    void theApplicationRoleSeesOnlyItsTenantsRowsWithoutAnyWhereClause() throws SQLException {
        String a = newTenant();
        String b = newTenant();
        insertAsOwner(a);
        insertAsOwner(b);

        try (Connection app = DriverManager.getConnection(url, appUser, appPassword)) {
            assertThat(tenantsVisible(app)).as("no tenant set: nothing").isEmpty();

            scope(app, a);
            assertThat(tenantsVisible(app)).containsExactly(a);

            scope(app, b);
            assertThat(tenantsVisible(app)).containsExactly(b);

            try (Statement update = app.createStatement()) {
                assertThat(update.executeUpdate("UPDATE ai_assistant_settings SET copilot_enabled = false"))
                        .as("an update without WHERE touches B's row only").isEqualTo(1);
            }
            assertThatThrownBy(() -> {
                try (PreparedStatement insert = app.prepareStatement("""
                        INSERT INTO ai_assistant_settings (tenant_id, copilot_enabled, autopilot_enabled,
                            confidence_threshold, allowed_tools, escalation_rules, log_content, required_fields,
                            revision, updated_at, updated_by)
                        VALUES (?, true, false, 0.75, '[]', '[]', 'full', '{}', 1, now(), 'mallory')
                        """)) {
                    insert.setString(1, newTenant());
                    insert.executeUpdate();
                }
            }).as("writing another tenant's row").isInstanceOf(SQLException.class)
                    .hasMessageContaining("row-level security");
        }
    }

    @Test
    void theApplicationRoleOwnsNothingAndCannotBypassRowSecurity() throws SQLException {
        try (Connection app = DriverManager.getConnection(url, appUser, appPassword);
             Statement query = app.createStatement();
             ResultSet role = query.executeQuery("""
                     SELECT r.rolsuper, r.rolbypassrls,
                            (SELECT count(*) FROM pg_tables t WHERE t.tableowner = r.rolname) AS owned
                     FROM pg_roles r WHERE r.rolname = current_user
                     """)) {
            assertThat(role.next()).isTrue();
            assertThat(role.getBoolean("rolsuper")).isFalse();
            assertThat(role.getBoolean("rolbypassrls")).isFalse();
            assertThat(role.getLong("owned")).isZero();
        }
    }
}
