package io.aidesk.query.knowledge;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aidesk.api.knowledge.KnowledgeQueries.Citation;
import io.aidesk.api.knowledge.KnowledgeQueries.RetrievedChunk;
import io.aidesk.api.knowledge.KnowledgeQueries.SearchKnowledge;
import io.aidesk.api.knowledge.KnowledgeQueries.SearchResult;
import io.aidesk.api.tenancy.MetadataKeys;
import io.aidesk.api.tenancy.MissingTenantException;
import io.aidesk.gateway.embedding.EmbeddingModel;
import org.axonframework.messaging.annotation.MetaDataValue;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Hybrid retrieval within one tenant: vector similarity (HNSW, iterative scan so the tenant filter still yields top_k)
 * fused with English and Spanish full-text search by reciprocal rank fusion.
 */
@Component
public class KnowledgeSearch {
    /** Reciprocal rank fusion's damping constant (Cormack et al.). */
    static final int RRF_K = 60;
    /** Each side brings this many candidates per requested result. */
    static final int CANDIDATES_PER_RESULT = 4;
    static final int SNIPPET_LENGTH = 240;

    private final JdbcTemplate jdbc;
    private final EmbeddingModel model;
    private final ObjectMapper json;

    public KnowledgeSearch(JdbcTemplate jdbc, EmbeddingModel model, ObjectMapper json) {
        this.jdbc = jdbc;
        this.model = model;
        this.json = json;
    }

    @QueryHandler
    SearchResult handle(SearchKnowledge query, @MetaDataValue(MetadataKeys.TENANT_ID) String tenant) {
        if (tenant == null) {
            throw new MissingTenantException(SearchKnowledge.class.getSimpleName());
        }
        return search(tenant, query, model.embedQuery(query.query()));
    }

    /** The search itself, for a query already embedded; call it in a transaction scoped to the tenant. */
    public SearchResult search(String tenant, SearchKnowledge query, float[] embedding) {
        String vector = Arrays.toString(embedding);
        int candidates = query.topK() * CANDIDATES_PER_RESULT;
        // the handler runs in a transaction (see the query bus interceptor), so SET LOCAL stays with this search
        jdbc.execute("SET LOCAL hnsw.iterative_scan = relaxed_order");
        jdbc.execute("SET LOCAL hnsw.ef_search = " + Math.max(40, candidates));
        String sourceFilter = query.sourceId() == null ? "" : " AND source_id = ?";
        String typed = "vector(" + model.dimension() + ")";
        String sql = """
                WITH vec AS (
                    SELECT id, embedding::%1$s <=> ?::%1$s AS distance FROM ai_kb_chunks
                    WHERE tenant_id = ? AND embedding_dim = %2$d AND embedding_model = ?%3$s
                    ORDER BY embedding::%1$s <=> ?::%1$s LIMIT ?
                ), vec_ranked AS (
                    SELECT id, row_number() OVER (ORDER BY distance) AS r FROM vec
                ), q AS (
                    SELECT websearch_to_tsquery('english', ?) || websearch_to_tsquery('spanish', ?) AS query
                ), fts AS (
                    SELECT c.id, row_number() OVER (ORDER BY ts_rank_cd(c.tsv, q.query) DESC) AS r
                    FROM ai_kb_chunks c, q
                    WHERE c.tenant_id = ? AND c.embedding_model = ? AND c.tsv @@ q.query%3$s
                    ORDER BY ts_rank_cd(c.tsv, q.query) DESC LIMIT ?
                ), fused AS (
                    SELECT id, sum(1.0 / (%4$d + r)) AS rrf
                    FROM (SELECT id, r FROM vec_ranked UNION ALL SELECT id, r FROM fts) ranked GROUP BY id
                )
                SELECT c.id, c.document_id, c.source_id, c.content, c.meta::text AS meta,
                       1 - (c.embedding::%1$s <=> ?::%1$s) AS similarity, f.rrf
                FROM fused f JOIN ai_kb_chunks c ON c.id = f.id
                ORDER BY f.rrf DESC, similarity DESC LIMIT ?
                """.formatted(typed, model.dimension(), sourceFilter, RRF_K);
        List<Object> args = new ArrayList<>(List.of(vector, tenant, model.name()));
        if (query.sourceId() != null) {
            args.add(query.sourceId());
        }
        args.addAll(List.of(vector, candidates, query.query(), query.query(), tenant, model.name()));
        if (query.sourceId() != null) {
            args.add(query.sourceId());
        }
        args.addAll(List.of(candidates, vector, query.topK()));
        List<RetrievedChunk> chunks = jdbc.query(sql, (rs, n) -> new RetrievedChunk(rs.getString("id"),
                rs.getString("document_id"), rs.getString("source_id"), rs.getString("content"),
                Math.round(rs.getDouble("similarity") * 10_000) / 10_000.0, meta(rs.getString("meta"))), args.toArray());
        return new SearchResult(chunks, chunks.stream().map(KnowledgeSearch::citation).toList());
    }

    private static Citation citation(RetrievedChunk chunk) {
        Object title = chunk.meta().get("title");
        String url = (String) chunk.meta().get("page_url");
        if (url != null && chunk.meta().get("page") != null && !url.startsWith("file:")) {
            url = url + "#page=" + chunk.meta().get("page");
        }
        String content = chunk.content().replaceAll("\\s+", " ").strip();
        String snippet = content.length() <= SNIPPET_LENGTH ? content
                : content.substring(0, content.lastIndexOf(' ', SNIPPET_LENGTH) > 0
                ? content.lastIndexOf(' ', SNIPPET_LENGTH) : SNIPPET_LENGTH) + " …";
        return new Citation(chunk.chunkId(), title == null ? null : title.toString(), url, snippet);
    }

    private Map<String, Object> meta(String value) {
        try {
            return json.readValue(value, new TypeReference<Map<String, Object>>() { });
        } catch (IOException e) {
            throw new UncheckedIOException("a chunk holds metadata that is not JSON", e);
        }
    }
}
