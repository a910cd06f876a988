package io.aidesk.command.crm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aidesk.api.tenancy.NotFoundException;
import io.aidesk.api.tenancy.RowSecurity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

/** The built-in CRM's tables, always read and written inside a transaction scoped to one tenant. */
@Component
public class CrmStore {
    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final TransactionTemplate ownTransactions;
    private final ObjectMapper json;

    public CrmStore(JdbcTemplate jdbc, PlatformTransactionManager transactionManager, ObjectMapper json) {
        this.jdbc = jdbc;
        this.transactions = new TransactionTemplate(transactionManager);
        this.ownTransactions = new TransactionTemplate(transactionManager);
        ownTransactions.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.json = json;
    }

    public record Subscription(String plan, String status, double creditBalance, String currency) {
    }

    public record Contact(String id, String name, String email, String phone, Map<String, String> fields,
                          Subscription subscription, Instant createdAt) {
    }

    public record Ticket(String id, String contactId, String subject, String priority, String summary, List<String> tags,
                         String status, String createdBy, Instant createdAt) {
    }

    public record Task(String id, String assigneeId, Instant dueAt, String note, String createdBy, Instant createdAt) {
    }

    public record Note(String id, String conversationId, String note, String createdBy, Instant createdAt) {
    }

    /** Runs work in one transaction in which row-level security shows only this tenant's rows. */
    public <T> T inTenant(String tenant, Supplier<T> work) {
        return transactions.execute(status -> {
            jdbc.queryForObject(RowSecurity.SCOPE_SQL, String.class, tenant);
            return work.get();
        });
    }

    /**
     * Like {@link #inTenant}, but always in a transaction of its own: a refused tool call rolls back only itself, never
     * the event handler's transaction that records the refusal.
     */
    public <T> T inOwnTransaction(String tenant, Supplier<T> work) {
        return ownTransactions.execute(status -> {
            jdbc.queryForObject(RowSecurity.SCOPE_SQL, String.class, tenant);
            return work.get();
        });
    }

    public Contact createContact(String tenant, String name, String email, String phone, String plan,
                                 Map<String, String> fields) {
        String id = UUID.randomUUID().toString();
        inTenant(tenant, () -> {
            jdbc.update("INSERT INTO crm_contacts (id, tenant_id, name, email, phone, fields) VALUES (?, ?, ?, ?, ?, ?::jsonb)",
                    id, tenant, name, email, phone, write(fields));
            if (plan != null) {
                jdbc.update("INSERT INTO crm_subscriptions (id, tenant_id, contact_id, plan) VALUES (?, ?, ?, ?)",
                        UUID.randomUUID().toString(), tenant, id, plan);
            }
            return null;
        });
        return contact(tenant, id);
    }

    /** @throws NotFoundException for an unknown id or another tenant's contact */
    public Contact contact(String tenant, String id) {
        return inTenant(tenant, () -> jdbc.query("""
                SELECT c.*, s.plan, s.status, s.credit_balance, s.currency FROM crm_contacts c
                LEFT JOIN crm_subscriptions s ON s.contact_id = c.id WHERE c.tenant_id = ? AND c.id = ?
                """, (rs, n) -> contact(rs), tenant, id)).stream().findFirst()
                .orElseThrow(() -> new NotFoundException("contact"));
    }

    public List<Contact> contacts(String tenant) {
        return inTenant(tenant, () -> jdbc.query("""
                SELECT c.*, s.plan, s.status, s.credit_balance, s.currency FROM crm_contacts c
                LEFT JOIN crm_subscriptions s ON s.contact_id = c.id WHERE c.tenant_id = ?
                ORDER BY c.created_at DESC LIMIT 200
                """, (rs, n) -> contact(rs), tenant));
    }

    public List<Ticket> tickets(String tenant, String contactId) {
        return inTenant(tenant, () -> jdbc.query("SELECT * FROM crm_tickets WHERE tenant_id = ?"
                        + (contactId == null ? "" : " AND contact_id = ?") + " ORDER BY created_at DESC LIMIT 200",
                (rs, n) -> new Ticket(rs.getString("id"), rs.getString("contact_id"), rs.getString("subject"),
                        rs.getString("priority"), rs.getString("summary"), read(rs.getString("tags"),
                        new TypeReference<List<String>>() { }), rs.getString("status"), rs.getString("created_by"),
                        rs.getTimestamp("created_at").toInstant()),
                contactId == null ? new Object[]{tenant} : new Object[]{tenant, contactId}));
    }

    public List<Task> tasks(String tenant) {
        return inTenant(tenant, () -> jdbc.query("SELECT * FROM crm_tasks WHERE tenant_id = ? ORDER BY due_at LIMIT 200",
                (rs, n) -> new Task(rs.getString("id"), rs.getString("assignee_id"), rs.getTimestamp("due_at").toInstant(),
                        rs.getString("note"), rs.getString("created_by"), rs.getTimestamp("created_at").toInstant()), tenant));
    }

    public List<Note> notes(String tenant, String conversationId) {
        return inTenant(tenant, () -> jdbc.query("SELECT * FROM crm_notes WHERE tenant_id = ?"
                        + (conversationId == null ? "" : " AND conversation_id = ?") + " ORDER BY created_at LIMIT 200",
                (rs, n) -> new Note(rs.getString("id"), rs.getString("conversation_id"), rs.getString("note"),
                        rs.getString("created_by"), rs.getTimestamp("created_at").toInstant()),
                conversationId == null ? new Object[]{tenant} : new Object[]{tenant, conversationId}));
    }

    private Contact contact(ResultSet rs) throws SQLException {
        String plan = rs.getString("plan");
        Subscription subscription = plan == null ? null
                : new Subscription(plan, rs.getString("status"), rs.getDouble("credit_balance"), rs.getString("currency"));
        return new Contact(rs.getString("id"), rs.getString("name"), rs.getString("email"), rs.getString("phone"),
                read(rs.getString("fields"), new TypeReference<Map<String, String>>() { }), subscription,
                rs.getTimestamp("created_at").toInstant());
    }

    String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write CRM data", e);
        }
    }

    private <T> T read(String value, TypeReference<T> type) {
        try {
            return json.readValue(value, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the CRM holds data that is not JSON", e);
        }
    }
}
