package io.aidesk.ingestion.index;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

/** Uploaded files, kept in Postgres beside the tenant's other data (and under the same row-level security). */
@Component
public class KnowledgeFiles {
    public record StoredFile(String id, String fileName, String contentType, byte[] content) {
    }

    private final JdbcTemplate jdbc;
    private final TenantTransactions tenants;

    public KnowledgeFiles(JdbcTemplate jdbc, TenantTransactions tenants) {
        this.jdbc = jdbc;
        this.tenants = tenants;
    }

    public String store(String tenant, String fileName, String contentType, byte[] content) {
        String id = UUID.randomUUID().toString();
        String sha256;
        try {
            sha256 = HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(content));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        tenants.inTenant(tenant, () -> jdbc.update("""
                INSERT INTO ai_kb_files (id, tenant_id, file_name, content_type, size_bytes, sha256, content)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """, id, tenant, fileName, contentType, content.length, sha256, content));
        return id;
    }

    public StoredFile load(String tenant, String id) {
        List<StoredFile> files = tenants.inTenant(tenant, () -> jdbc.query(
                "SELECT id, file_name, content_type, content FROM ai_kb_files WHERE tenant_id = ? AND id = ?",
                (rs, n) -> new StoredFile(rs.getString("id"), rs.getString("file_name"), rs.getString("content_type"),
                        rs.getBytes("content")), tenant, id));
        if (files.isEmpty()) {
            throw new IllegalStateException("uploaded file " + id + " is gone");
        }
        return files.get(0);
    }

    public void delete(String tenant, String id) {
        tenants.inTenant(tenant, () -> jdbc.update("DELETE FROM ai_kb_files WHERE tenant_id = ? AND id = ?", tenant, id));
    }
}
