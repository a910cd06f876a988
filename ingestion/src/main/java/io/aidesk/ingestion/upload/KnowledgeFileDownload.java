package io.aidesk.ingestion.upload;

import io.aidesk.api.tenancy.Caller;
import io.aidesk.api.tenancy.Ids;
import io.aidesk.api.tenancy.NotFoundException;
import io.aidesk.ingestion.index.KnowledgeFiles;
import io.aidesk.ingestion.index.TenantTransactions;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A file citation that opens: the uploaded file a cited chunk came from, as it was stored, for a signed-in caller of
 * the chunk's tenant (the inbox and the run detail link a file citation here; the UI adds #page=N for a PDF).
 */
@RestController
class KnowledgeFileDownload {
    private final JdbcTemplate jdbc;
    private final TenantTransactions tenants;
    private final KnowledgeFiles files;

    KnowledgeFileDownload(JdbcTemplate jdbc, TenantTransactions tenants, KnowledgeFiles files) {
        this.jdbc = jdbc;
        this.tenants = tenants;
        this.files = files;
    }

    /** 404 when the chunk is not the tenant's, is gone (the file was synced again or deleted) or is not from a file. */
    @GetMapping("/api/ai/kb/chunks/{chunkId}/file")
    ResponseEntity<byte[]> download(@PathVariable String chunkId, Caller caller) {
        String tenant = caller.tenantId().value();
        String chunk = Ids.known(chunkId, "cited file");
        List<String> fileIds = tenants.inTenant(tenant, () -> jdbc.queryForList("""
                SELECT s.file_id FROM ai_kb_chunks c JOIN ai_kb_sources s ON s.id = c.source_id
                WHERE c.tenant_id = ? AND c.id = ? AND s.file_id IS NOT NULL
                """, String.class, tenant, chunk));
        if (fileIds.isEmpty()) {
            throw new NotFoundException("cited file (the passage is gone, or it is not from an uploaded file)");
        }
        KnowledgeFiles.StoredFile file;
        try {
            file = files.load(tenant, fileIds.get(0));
        } catch (IllegalStateException gone) {
            // the source was deleted between the two reads
            throw new NotFoundException("cited file (it was deleted)");
        }
        MediaType type;
        try {
            type = MediaType.parseMediaType(file.contentType());
        } catch (IllegalArgumentException e) {
            type = MediaType.APPLICATION_OCTET_STREAM;
        }
        // inline, so a PDF opens in the browser at its #page; the name survives a save
        return ResponseEntity.ok().contentType(type)
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.inline()
                        .filename(file.fileName(), StandardCharsets.UTF_8).build().toString())
                .header("X-Content-Type-Options", "nosniff")
                // a tenant's uploaded HTML runs no script on AI Desk's origin
                .header("Content-Security-Policy", "sandbox")
                .header(HttpHeaders.CACHE_CONTROL, "private, no-store")
                .body(file.content());
    }
}
