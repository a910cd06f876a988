package io.aidesk.app.privacy;

import io.aidesk.api.knowledge.SourceSecrets;
import io.aidesk.api.knowledge.UrlCredentials;
import io.aidesk.api.tenancy.RowSecurity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Sources' credentials in ai_kb_source_secrets, sealed with the master key and bound to their tenant and source (a
 * row copied to another source does not open). No read model, event or API answer carries them.
 */
final class JdbcSourceSecrets implements SourceSecrets {
    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final MasterKey masterKey;

    JdbcSourceSecrets(JdbcTemplate jdbc, PlatformTransactionManager transactions, MasterKey masterKey) {
        this.jdbc = jdbc;
        this.transactions = new TransactionTemplate(transactions);
        this.masterKey = masterKey;
    }

    @Override
    public void keep(String tenant, String sourceId, UrlCredentials credentials) {
        byte[] sealed = masterKey.seal(boundTo(tenant, sourceId), encode(credentials));
        inTenant(tenant, () -> jdbc.update("""
                INSERT INTO ai_kb_source_secrets (tenant_id, source_id, secret) VALUES (?, ?, ?)
                ON CONFLICT (tenant_id, source_id) DO UPDATE SET secret = EXCLUDED.secret, created_at = now()
                """, tenant, sourceId, sealed));
    }

    @Override
    public Optional<UrlCredentials> of(String tenant, String sourceId) {
        List<byte[]> rows = inTenant(tenant, () -> jdbc.queryForList(
                "SELECT secret FROM ai_kb_source_secrets WHERE tenant_id = ? AND source_id = ?", byte[].class,
                tenant, sourceId));
        return rows.stream().findFirst().map(sealed -> decode(masterKey.open(boundTo(tenant, sourceId), sealed)));
    }

    @Override
    public void forget(String tenant, String sourceId) {
        inTenant(tenant, () -> jdbc.update("DELETE FROM ai_kb_source_secrets WHERE tenant_id = ? AND source_id = ?",
                tenant, sourceId));
    }

    private <T> T inTenant(String tenant, Supplier<T> work) {
        return transactions.execute(status -> {
            jdbc.queryForObject(RowSecurity.SCOPE_SQL, String.class, tenant);
            return work.get();
        });
    }

    private static String boundTo(String tenant, String sourceId) {
        return "kb-source|" + tenant + "|" + sourceId;
    }

    private static byte[] encode(UrlCredentials credentials) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF(credentials.username());
            out.writeUTF(credentials.password());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static UrlCredentials decode(byte[] secret) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(secret))) {
            return new UrlCredentials(in.readUTF(), in.readUTF());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
