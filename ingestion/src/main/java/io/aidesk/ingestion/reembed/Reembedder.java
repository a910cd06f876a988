package io.aidesk.ingestion.reembed;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aidesk.gateway.embedding.EmbeddingModel;
import io.aidesk.gateway.embedding.EmbeddingModels;
import io.aidesk.ingestion.chunk.Chunker;
import io.aidesk.ingestion.index.TenantTransactions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Moves every tenant's vectors to the configured embedding model after a model change. New vectors wait beside the
 * old ones (next_embedding) while queries keep using the old model; when a tenant has no old vector left, one
 * transaction swaps them in and points its queries at the new model. Idempotent: a restart picks up where it was.
 */
@Component
public class Reembedder {
    private static final Logger log = LoggerFactory.getLogger(Reembedder.class);
    static final int BATCH = 32;

    private final JdbcTemplate jdbc;
    private final TenantTransactions tenants;
    private final EmbeddingModels models;
    private final ObjectMapper json;
    private final boolean inBackground;

    Reembedder(JdbcTemplate jdbc, TenantTransactions tenants, EmbeddingModels models, ObjectMapper json,
               @Value("${aidesk.embedding.reembed-in-background:true}") boolean inBackground) {
        this.jdbc = jdbc;
        this.tenants = tenants;
        this.models = models;
        this.json = json;
        this.inBackground = inBackground;
    }

    @Scheduled(initialDelayString = "${aidesk.embedding.reembed-every:30s}", fixedDelayString = "${aidesk.embedding.reembed-every:30s}")
    void inBackground() {
        if (inBackground) {
            reembedAll();
        }
    }

    /** @return the tenants whose queries now use the configured model */
    public List<String> reembedAll() {
        EmbeddingModel target = models.target();
        List<String> pending = jdbc.queryForList("SELECT * FROM aidesk_tenants_to_reembed(?)", String.class, target.name());
        return pending.stream().filter(tenant -> reembed(tenant, target)).toList();
    }

    private boolean reembed(String tenant, EmbeddingModel target) {
        int remaining = track(tenant, target);
        log.info("re-embedding {} chunks of tenant {} with {}", remaining, tenant, target.name());
        while (true) {
            List<Map<String, Object>> batch = tenants.inTenant(tenant, () -> jdbc.queryForList("""
                    SELECT id, content, meta::text AS meta FROM ai_kb_chunks
                    WHERE tenant_id = ? AND embedding_model <> ? AND next_model IS DISTINCT FROM ?
                    ORDER BY id LIMIT ?
                    """, tenant, target.name(), target.name(), BATCH));
            if (batch.isEmpty()) {
                break;
            }
            List<float[]> vectors = target.embedDocuments(batch.stream().map(this::embedText).toList());
            tenants.inTenant(tenant, () -> {
                for (int i = 0; i < batch.size(); i++) {
                    jdbc.update("UPDATE ai_kb_chunks SET next_embedding = ?::vector, next_model = ? WHERE tenant_id = ? AND id = ?",
                            Arrays.toString(vectors.get(i)), target.name(), tenant, batch.get(i).get("id"));
                }
                return jdbc.update("""
                        UPDATE ai_kb_embedding_state SET reembedded = reembedded + ?, remaining = greatest(remaining - ?, 0),
                            updated_at = now() WHERE tenant_id = ?
                        """, batch.size(), batch.size(), tenant);
            });
        }
        return tenants.inTenant(tenant, () -> {
            if (remaining(tenant, target) > 0) {
                return false; // written meanwhile by a node on the old model: the next round takes them
            }
            // the switch: all of the tenant's vectors and its queries move to the new model in one transaction
            jdbc.update("""
                    UPDATE ai_kb_chunks SET embedding = next_embedding, embedding_model = next_model, embedding_dim = ?,
                        next_embedding = NULL, next_model = NULL
                    WHERE tenant_id = ? AND next_model = ?
                    """, target.dimension(), tenant, target.name());
            jdbc.update("""
                    UPDATE ai_kb_embedding_state SET serving_model = ?, remaining = 0, switched_at = now(), updated_at = now()
                    WHERE tenant_id = ?
                    """, target.name(), tenant);
            log.info("tenant {} now searches with {}", tenant, target.name());
            return true;
        });
    }

    /** Records the move; the serving model stays the one the tenant's vectors were made with. @return chunks to do */
    private int track(String tenant, EmbeddingModel target) {
        return tenants.inTenant(tenant, () -> {
            int remaining = remaining(tenant, target);
            String old = jdbc.queryForObject("""
                    SELECT min(embedding_model) FROM ai_kb_chunks WHERE tenant_id = ? AND embedding_model <> ?
                    """, String.class, tenant, target.name());
            jdbc.update("""
                    INSERT INTO ai_kb_embedding_state (tenant_id, serving_model, target_model, remaining) VALUES (?, ?, ?, ?)
                    ON CONFLICT (tenant_id) DO UPDATE SET target_model = EXCLUDED.target_model,
                        remaining = EXCLUDED.remaining, updated_at = now(),
                        serving_model = CASE WHEN ai_kb_embedding_state.serving_model = EXCLUDED.target_model
                            THEN EXCLUDED.serving_model ELSE ai_kb_embedding_state.serving_model END
                    """, tenant, old, target.name(), remaining);
            return remaining;
        });
    }

    /** Chunks still on another model and not yet re-embedded; call it in the tenant's transaction. */
    private int remaining(String tenant, EmbeddingModel target) {
        Integer count = jdbc.queryForObject("""
                SELECT count(*) FROM ai_kb_chunks WHERE tenant_id = ? AND embedding_model <> ?
                AND next_model IS DISTINCT FROM ?
                """, Integer.class, tenant, target.name(), target.name());
        return count == null ? 0 : count;
    }

    private String embedText(Map<String, Object> chunk) {
        Map<String, Object> meta;
        try {
            meta = json.readValue((String) chunk.get("meta"), new TypeReference<Map<String, Object>>() { });
        } catch (IOException e) {
            throw new UncheckedIOException("a chunk holds metadata that is not JSON", e);
        }
        Object title = meta.get("title");
        @SuppressWarnings("unchecked")
        List<String> headings = meta.get("headings") instanceof List<?> list ? (List<String>) list : List.of();
        return Chunker.embedText(title == null ? null : title.toString(), headings, (String) chunk.get("content"));
    }
}
