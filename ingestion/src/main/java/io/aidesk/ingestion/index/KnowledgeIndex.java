package io.aidesk.ingestion.index;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aidesk.gateway.embedding.EmbeddingModel;
import io.aidesk.gateway.language.Language;
import io.aidesk.ingestion.chunk.Chunk;
import io.aidesk.ingestion.chunk.Chunker;
import io.aidesk.ingestion.chunk.TextHash;
import io.aidesk.ingestion.crawl.PageMeta;
import io.aidesk.ingestion.crawl.Revisit;
import io.aidesk.ingestion.parse.ParsedDocument;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Writes documents and chunks without ever duplicating them: a page whose content hash is unchanged is skipped, a
 * changed page embeds only the chunks whose hash is new, and chunks that disappeared are deleted.
 */
@Component
public class KnowledgeIndex {
    /** How many chunks go to the embedding model in one call. */
    static final int EMBED_BATCH = 32;
    /**
     * The way pages are cut into chunks; raise it when the Chunker or the chunks' embedded text change, so every
     * stored page is fetched and re-chunked in full on its next sync instead of mixing old chunks with new ones.
     */
    public static final int CHUNKING = 1;

    private final JdbcTemplate jdbc;
    private final TenantTransactions tenants;
    private final EmbeddingModel model;
    private final Chunker chunker;
    private final ObjectMapper json;

    public KnowledgeIndex(JdbcTemplate jdbc, TenantTransactions tenants, EmbeddingModel model, ObjectMapper json) {
        this.jdbc = jdbc;
        this.tenants = tenants;
        this.model = model;
        this.json = json;
        // room for the title and heading path that precede each passage inside the model's window
        this.chunker = new Chunker(model::countTokens, Math.min(320, model.maxTokens() - 96), 48);
    }

    /** What indexing one document changed. */
    public record Result(String documentId, String contentHash, int newChunks, int unchangedChunks, int removedChunks) {
    }

    /** What the index holds of a page. */
    public record Existing(String id, String contentHash, int version, int chunking, Map<String, String> chunkIdsByHash) {
    }

    /** A page an earlier sync indexed, as a re-sync revisits it: what to ask the server, and what it holds. */
    public record Indexed(Revisit revisit, String documentId, String contentHash, int chunks) {
    }

    /** The source's pages, by URL, that can be revisited: fetched, with their links, by this way of chunking. */
    public Map<String, Indexed> revisits(String tenant, String sourceId) {
        Map<String, Indexed> pages = new HashMap<>();
        tenants.inTenant(tenant, () -> {
            jdbc.query("""
                    SELECT d.id, d.url, d.content_hash, d.etag, d.last_modified, d.fetched_at, d.links,
                           (SELECT count(*) FROM ai_kb_chunks c WHERE c.tenant_id = d.tenant_id AND c.document_id = d.id) AS chunks
                    FROM ai_kb_documents d WHERE d.tenant_id = ? AND d.source_id = ? AND d.chunker = ?
                        AND d.fetched_at IS NOT NULL
                    """, rs -> {
                String[] links = (String[]) rs.getArray("links").getArray();
                pages.put(rs.getString("url"), new Indexed(new Revisit(rs.getString("etag"), rs.getString("last_modified"),
                        rs.getTimestamp("fetched_at").toInstant(), List.of(links)), rs.getString("id"),
                        rs.getString("content_hash"), rs.getInt("chunks")));
            }, tenant, sourceId, CHUNKING);
            return null;
        });
        return pages;
    }

    /** A page the server says did not change: it keeps its chunks; when it was seen is recorded. */
    public void revisited(String tenant, String documentId) {
        tenants.inTenant(tenant, () -> jdbc.update("UPDATE ai_kb_documents SET fetched_at = now() WHERE tenant_id = ? AND id = ?",
                tenant, documentId));
    }

    /** Indexes one document at once (a sync hands its pages to its pipeline instead). */
    public Result index(String tenant, String sourceId, ParsedDocument document) {
        Prepared prepared = prepare(tenant, sourceId, new Page(document, PageMeta.NONE));
        return write(tenant, sourceId, prepared, embed(prepared.texts()));
    }

    /** A document to index with what its page said. */
    public record Page(ParsedDocument document, PageMeta meta) {
    }

    /**
     * A page chunked and compared with what the index holds, before its new chunks are embedded; one whose content is
     * unchanged carries its result already and needs no embedding.
     */
    public record Prepared(Page page, String contentHash, Existing existing, List<Chunk> chunks, List<Chunk> fresh,
                           Result unchanged) {
        /** The texts to embed: the new chunks' title, heading path and passage. */
        public List<String> texts() {
            return fresh.stream().map(Chunk::embedText).toList();
        }
    }

    /** Chunks a page and compares it with what the index holds; a page whose content is unchanged is done here. */
    public Prepared prepare(String tenant, String sourceId, Page page) {
        ParsedDocument document = page.document();
        PageMeta meta = page.meta();
        String contentHash = TextHash.of(document.title() + "\n" + String.join("\n",
                document.blocks().stream().map(b -> String.join(" > ", b.headings()) + "\n" + b.text() + "\n" + b.page()).toList()));
        Existing existing = tenants.inTenant(tenant, () -> existing(tenant, sourceId, document.url()));
        if (existing != null && existing.contentHash().equals(contentHash) && existing.chunking() == CHUNKING) {
            tenants.inTenant(tenant, () -> jdbc.update("""
                    UPDATE ai_kb_documents SET etag = ?, last_modified = ?, links = ?, fetched_at = now()
                    WHERE tenant_id = ? AND id = ?
                    """, meta.etag(), meta.lastModified(), meta.links().toArray(String[]::new), tenant, existing.id()));
            return new Prepared(page, contentHash, existing, List.of(), List.of(),
                    new Result(existing.id(), contentHash, 0, existing.chunkIdsByHash().size(), 0));
        }
        List<Chunk> chunks = chunker.chunk(document);
        Map<String, String> kept = existing == null ? Map.of() : existing.chunkIdsByHash();
        List<Chunk> fresh = chunks.stream().filter(chunk -> !kept.containsKey(chunk.hash())).toList();
        return new Prepared(page, contentHash, existing, chunks, fresh, null);
    }

    /**
     * Writes a prepared page in one transaction.
     *
     * @param vectors its new chunks' vectors, in the order of {@link Prepared#texts()}
     */
    public Result write(String tenant, String sourceId, Prepared page, List<float[]> vectors) {
        if (page.unchanged() != null) {
            return page.unchanged();
        }
        if (vectors.size() != page.fresh().size()) {
            throw new IllegalArgumentException(page.fresh().size() + " new chunks, " + vectors.size() + " vectors");
        }
        return tenants.inTenant(tenant, () -> write(tenant, sourceId, page.page().document(), page.page().meta(),
                page.contentHash(), page.existing(), page.chunks(), page.fresh(), vectors));
    }

    /** Deletes the source's documents the sync did not see (and did not fail to fetch). @return chunks removed */
    public int removeAllBut(String tenant, String sourceId, Set<String> keepUrls) {
        return tenants.inTenant(tenant, () -> {
            List<Map<String, Object>> documents = jdbc.queryForList(
                    "SELECT id, url FROM ai_kb_documents WHERE tenant_id = ? AND source_id = ?", tenant, sourceId);
            int removed = 0;
            for (Map<String, Object> document : documents) {
                if (!keepUrls.contains((String) document.get("url"))) {
                    removed += jdbc.update("DELETE FROM ai_kb_chunks WHERE tenant_id = ? AND document_id = ?", tenant,
                            document.get("id"));
                    jdbc.update("DELETE FROM ai_kb_documents WHERE tenant_id = ? AND id = ?", tenant, document.get("id"));
                }
            }
            return removed;
        });
    }

    /** Everything of one source, for a sync that outlived its source. */
    public void purge(String tenant, String sourceId) {
        tenants.inTenant(tenant, () -> {
            jdbc.update("DELETE FROM ai_kb_chunks WHERE tenant_id = ? AND source_id = ?", tenant, sourceId);
            return jdbc.update("DELETE FROM ai_kb_documents WHERE tenant_id = ? AND source_id = ?", tenant, sourceId);
        });
    }

    private Existing existing(String tenant, String sourceId, String url) {
        List<Map<String, Object>> rows = jdbc.queryForList("""
                SELECT id, content_hash, version, chunker FROM ai_kb_documents WHERE tenant_id = ? AND source_id = ? AND url = ?
                """, tenant, sourceId, url);
        if (rows.isEmpty()) {
            return null;
        }
        String id = (String) rows.get(0).get("id");
        // a chunk of another model is kept too: a model change re-embeds it in the background (Reembedder)
        Map<String, String> chunks = new HashMap<>();
        jdbc.query("SELECT id, content_hash FROM ai_kb_chunks WHERE tenant_id = ? AND document_id = ?",
                rs -> {
                    chunks.put(rs.getString("content_hash"), rs.getString("id"));
                }, tenant, id);
        return new Existing(id, (String) rows.get(0).get("content_hash"), ((Number) rows.get(0).get("version")).intValue(),
                ((Number) rows.get(0).get("chunker")).intValue(), chunks);
    }

    /** Embeds texts as chunks, in calls of at most {@link #EMBED_BATCH}. */
    public List<float[]> embed(List<String> texts) {
        List<float[]> vectors = new ArrayList<>(texts.size());
        for (int from = 0; from < texts.size(); from += EMBED_BATCH) {
            vectors.addAll(model.embedDocuments(texts.subList(from, Math.min(texts.size(), from + EMBED_BATCH))));
        }
        return vectors;
    }

    private Result write(String tenant, String sourceId, ParsedDocument document, PageMeta page, String contentHash,
                         Existing existing, List<Chunk> chunks, List<Chunk> fresh, List<float[]> vectors) {
        String documentId;
        String[] links = page.links().toArray(String[]::new);
        if (existing == null) {
            documentId = UUID.randomUUID().toString();
            jdbc.update("""
                    INSERT INTO ai_kb_documents (id, tenant_id, source_id, url, title, content_hash, version, meta, etag,
                        last_modified, links, fetched_at, chunker)
                    VALUES (?, ?, ?, ?, ?, ?, 1, ?::jsonb, ?, ?, ?, now(), ?)
                    """, documentId, tenant, sourceId, document.url(), document.title(), contentHash,
                    write(Map.of("blocks", document.blocks().size())), page.etag(), page.lastModified(), links, CHUNKING);
        } else {
            documentId = existing.id();
            jdbc.update("""
                    UPDATE ai_kb_documents SET title = ?, content_hash = ?, version = version + 1, updated_at = now(),
                        meta = ?::jsonb, etag = ?, last_modified = ?, links = ?, fetched_at = now(), chunker = ?
                    WHERE tenant_id = ? AND id = ?
                    """, document.title(), contentHash, write(Map.of("blocks", document.blocks().size())), page.etag(),
                    page.lastModified(), links, CHUNKING, tenant, documentId);
        }
        Map<String, Chunk> wanted = new LinkedHashMap<>();
        chunks.forEach(chunk -> wanted.put(chunk.hash(), chunk));
        int removed = 0;
        if (existing != null) {
            removed = jdbc.update("DELETE FROM ai_kb_chunks WHERE tenant_id = ? AND document_id = ? AND "
                            + "NOT (content_hash = ANY (?))", tenant, documentId, wanted.keySet().toArray(String[]::new));
            for (Chunk chunk : chunks) {
                String keptId = existing.chunkIdsByHash().get(chunk.hash());
                if (keptId != null) {
                    jdbc.update("UPDATE ai_kb_chunks SET chunk_index = ?, meta = ?::jsonb WHERE tenant_id = ? AND id = ?",
                            chunk.index(), write(meta(document, chunk)), tenant, keptId);
                }
            }
        }
        if (!fresh.isEmpty()) {
            // a tenant's first vectors decide which model answers its queries
            jdbc.update("""
                    INSERT INTO ai_kb_embedding_state (tenant_id, serving_model, target_model) VALUES (?, ?, ?)
                    ON CONFLICT (tenant_id) DO NOTHING
                    """, tenant, model.name(), model.name());
        }
        List<Object[]> rows = new ArrayList<>(fresh.size());
        for (int i = 0; i < fresh.size(); i++) {
            Chunk chunk = fresh.get(i);
            rows.add(new Object[] {UUID.randomUUID().toString(), tenant, sourceId, documentId, chunk.index(),
                    chunk.content(), chunk.hash(), chunk.tokens(), Arrays.toString(vectors.get(i)), model.name(),
                    model.dimension(), write(meta(document, chunk)), Language.of(chunk.content())});
        }
        jdbc.batchUpdate("""
                INSERT INTO ai_kb_chunks (id, tenant_id, source_id, document_id, chunk_index, content, content_hash,
                    token_count, embedding, embedding_model, embedding_dim, meta, language)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?::vector, ?, ?, ?::jsonb, ?)
                """, rows);
        return new Result(documentId, contentHash, fresh.size(), chunks.size() - fresh.size(), removed);
    }

    private static Map<String, Object> meta(ParsedDocument document, Chunk chunk) {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("page_url", document.url());
        meta.put("title", document.title());
        meta.put("headings", chunk.headings());
        if (chunk.page() != null) {
            meta.put("page", chunk.page());
        }
        return meta;
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write chunk metadata", e);
        }
    }
}
