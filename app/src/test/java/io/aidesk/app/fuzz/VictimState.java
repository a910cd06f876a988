package io.aidesk.app.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiFunction;

/**
 * Everything a tenant's admin and auditor can read through the API, and every row the tenant owns in the database,
 * read as the owner role (which row-level security does not filter): equal before and after means untouched.
 */
final class VictimState {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final BiFunction<String, String, Wire.Answer> get;
    private final String admin;
    private final String auditor;
    private final String url;
    private final String owner;
    private final String ownerPassword;
    private final String tenant;

    VictimState(BiFunction<String, String, Wire.Answer> get, String admin, String auditor, String url, String owner,
                String ownerPassword, String tenant) {
        this.get = get;
        this.admin = admin;
        this.auditor = auditor;
        this.url = url;
        this.owner = owner;
        this.ownerPassword = ownerPassword;
        this.tenant = tenant;
    }

    /** What each read answered, by the read ("GET /api/ai/settings") or the table ("db ai_runs"). */
    Map<String, String> read() {
        Map<String, String> state = new TreeMap<>();
        read(state, "/api/ai/settings", admin);
        read(state, "/api/ai/approvals", admin);
        read(state, "/api/crm/contacts", admin);
        read(state, "/api/crm/tickets", admin);
        read(state, "/api/crm/tasks", admin);
        read(state, "/api/crm/notes", admin);
        read(state, "/api/ai/audit/verify", auditor);
        for (String source : ids(read(state, "/api/ai/kb/sources", admin), "id")) {
            read(state, "/api/ai/kb/sources/" + source, auditor);
        }
        for (String conversation : ids(read(state, "/api/ai/conversations?limit=100", auditor), "id")) {
            read(state, "/api/ai/conversations/" + conversation, auditor);
            read(state, "/api/ai/agent/runs?conversation_id=" + conversation, admin);
        }
        for (String run : ids(read(state, "/api/ai/runs?limit=100", auditor), "run_id")) {
            read(state, "/api/ai/runs/" + run, auditor);
            read(state, "/api/ai/runs/" + run + "/events", auditor);
        }
        for (String replay : ids(read(state, "/api/ai/replays", auditor), "replay_id")) {
            read(state, "/api/ai/replays/" + replay, auditor);
        }
        for (String contact : ids(state.get("GET /api/crm/contacts"), "id")) {
            read(state, "/api/crm/contacts/" + contact, admin);
        }
        rows(state);
        return state;
    }

    private String read(Map<String, String> state, String path, String token) {
        Wire.Answer answer = get.apply(path, token);
        String seen = answer.status() + " " + answer.body();
        state.put("GET " + path, seen);
        return seen;
    }

    private static List<String> ids(String seen, String field) {
        List<String> ids = new ArrayList<>();
        try {
            JsonNode items = JSON.readTree(seen.substring(seen.indexOf(' ') + 1)).path("items");
            items.forEach(item -> ids.add(item.path(field).asText()));
        } catch (IOException e) {
            // an unreadable list has no ids to follow; the answer itself is part of the state compared
        }
        return ids;
    }

    private void rows(Map<String, String> state) {
        try (Connection connection = DriverManager.getConnection(url, owner, ownerPassword)) {
            List<String> tables = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement("SELECT table_name FROM information_schema.columns "
                    + "WHERE column_name = 'tenant_id' AND table_schema = current_schema() ORDER BY 1");
                 ResultSet names = select.executeQuery()) {
                while (names.next()) {
                    tables.add(names.getString(1));
                }
            }
            for (String table : tables) {
                state.put("db " + table, digest(connection, "SELECT count(*), md5(coalesce(string_agg(t::text, E'\\n' "
                        + "ORDER BY t::text), '')) FROM " + table + " t WHERE tenant_id = ?"));
            }
            state.put("db domain_event_entry", digest(connection, "SELECT count(*), md5(coalesce(string_agg("
                    + "event_identifier, ',' ORDER BY global_index), '')) FROM domain_event_entry "
                    + "WHERE aidesk_event_tenant(meta_data) = ?"));
        } catch (SQLException e) {
            throw new IllegalStateException("reading the victim's rows as the owner role", e);
        }
    }

    private String digest(Connection connection, String sql) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            select.setString(1, tenant);
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return row.getLong(1) + " rows, md5 " + row.getString(2);
            }
        }
    }
}
