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
import io.aidesk.gateway.embedding.EmbeddingModels;
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
    /** HNSW's search breadth; 40 (pgvector's default) gave a recall@10 of 0.86 at benchmark size. */
    static final int EF_SEARCH = 100;
    /** A tenant with at most this many vectors is searched exactly: its own index finds them in a few milliseconds. */
    public static final int EXACT_SEARCH_LIMIT = 5_000;
    static final int SNIPPET_LENGTH = 240;

    private final JdbcTemplate jdbc;
    private final EmbeddingModels models;
    private final ObjectMapper json;

    public KnowledgeSearch(JdbcTemplate jdbc, EmbeddingModels models, ObjectMapper json) {
        this.jdbc = jdbc;
        this.models = models;
        this.json = json;
    }

    @QueryHandler
    SearchResult handle(SearchKnowledge query, @MetaDataValue(MetadataKeys.TENANT_ID) String tenant) {
        if (tenant == null) {
            throw new MissingTenantException(SearchKnowledge.class.getSimpleName());
        }
        EmbeddingModel model = servingModel(tenant);
        return search(tenant, query, model.embedQuery(query.query()), model);
    }

    /**
     * The model whose vectors answer this tenant's queries: the old one while a model change re-embeds them.
     * Call it in a transaction scoped to the tenant.
     */
    public EmbeddingModel servingModel(String tenant) {
        List<String> serving = jdbc.queryForList("SELECT serving_model FROM ai_kb_embedding_state WHERE tenant_id = ?",
                String.class, tenant);
        return serving.isEmpty() ? models.target() : models.named(serving.get(0)).orElse(models.target());
    }

    /** The search itself, for a query already embedded by the given model; call it in a transaction scoped to the tenant. */
    public SearchResult search(String tenant, SearchKnowledge query, float[] embedding, EmbeddingModel model) {
        String vector = Arrays.toString(embedding);
        int candidates = query.topK() * CANDIDATES_PER_RESULT;
        String sourceFilter = query.sourceId() == null ? "" : " AND source_id = ?";
        String sql = """
                WITH vec AS (%1$s
                ), vec_ranked AS (
                    SELECT id, row_number() OVER (ORDER BY distance) AS r FROM vec
                ), q AS (
                    SELECT websearch_to_tsquery('english', ?) || websearch_to_tsquery('spanish', ?) AS query
                ), fts AS (
                    SELECT c.id, row_number() OVER (ORDER BY ts_rank_cd(c.tsv, q.query) DESC) AS r
                    FROM ai_kb_chunks c, q
                    WHERE c.tenant_id = ? AND c.embedding_model = ? AND c.tsv @@ q.query%2$s
                    ORDER BY ts_rank_cd(c.tsv, q.query) DESC LIMIT ?
                ), fused AS (
                    SELECT id, sum(1.0 / (%3$d + r)) AS rrf
                    FROM (SELECT id, r FROM vec_ranked UNION ALL SELECT id, r FROM fts) ranked GROUP BY id
                )
                SELECT c.id, c.document_id, c.source_id, c.content, c.meta::text AS meta, c.content_hash, d.version,
                       1 - (c.embedding::%4$s <=> ?::%4$s) AS similarity, f.rrf
                FROM fused f JOIN ai_kb_chunks c ON c.id = f.id JOIN ai_kb_documents d ON d.id = c.document_id
                ORDER BY f.rrf DESC, similarity DESC LIMIT ?
                """.formatted(vectorSql(tenant, model, query.sourceId() != null), sourceFilter, RRF_K, typed(model));
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
                Math.round(rs.getDouble("similarity") * 10_000) / 10_000.0, meta(rs.getString("meta")),
                rs.getString("content_hash"), rs.getInt("version")), args.toArray());
        return new SearchResult(chunks, chunks.stream().map(KnowledgeSearch::citation).toList());
    }

    /** The vector side alone, as the search runs it: the ids of the nearest chunks, nearest first (for benchmarks). */
    public List<String> nearest(String tenant, float[] embedding, EmbeddingModel model, int limit) {
        String vector = Arrays.toString(embedding);
        return jdbc.queryForList("SELECT id FROM (" + vectorSql(tenant, model, false) + ") vec ORDER BY distance",
                String.class, vector, tenant, model.name(), vector, limit);
    }

    /** The plan of the vector side, as EXPLAIN gives it (for benchmarks at size). */
    public List<String> nearestPlan(String tenant, float[] embedding, EmbeddingModel model, int limit) {
        String vector = Arrays.toString(embedding);
        return jdbc.queryForList("EXPLAIN " + vectorSql(tenant, model, false), String.class, vector, tenant,
                model.name(), vector, limit);
    }

    /**
     * A big tenant's vectors come from the HNSW index, scanned iteratively so the tenant filter still leaves enough
     * rows; a small tenant's are ranked exactly through its (tenant_id, embedding_model) index, which the planner
     * would otherwise pass over for the HNSW index and lose recall on.
     * Parameters: query vector, tenant, model [, source], query vector, limit.
     */
    private String vectorSql(String tenant, EmbeddingModel model, boolean bySource) {
        boolean exact = vectorCount(tenant, model) <= EXACT_SEARCH_LIMIT;
        if (!exact) {
            // SET LOCAL stays with this transaction (the query bus interceptor opens one per query)
            jdbc.execute("SET LOCAL hnsw.iterative_scan = relaxed_order");
            jdbc.execute("SET LOCAL hnsw.ef_search = " + EF_SEARCH);
        }
        String typed = typed(model);
        // "+ 0" keeps the planner from ordering through the HNSW index: the sort is exact
        return """
                SELECT id, embedding::%1$s <=> ?::%1$s AS distance FROM ai_kb_chunks
                WHERE tenant_id = ? AND embedding_dim = %2$d AND embedding_model = ?%3$s
                ORDER BY (embedding::%1$s <=> ?::%1$s)%4$s LIMIT ?""".formatted(typed, model.dimension(),
                bySource ? " AND source_id = ?" : "", exact ? " + 0" : "");
    }

    /** The tenant's vectors of this model, counted up to just past the exact-search limit. */
    private int vectorCount(String tenant, EmbeddingModel model) {
        Integer count = jdbc.queryForObject("SELECT count(*) FROM (SELECT 1 FROM ai_kb_chunks WHERE tenant_id = ? "
                + "AND embedding_model = ? LIMIT " + (EXACT_SEARCH_LIMIT + 1) + ") c", Integer.class, tenant, model.name());
        return count == null ? 0 : count;
    }

    private static String typed(EmbeddingModel model) {
        return "vector(" + model.dimension() + ")";
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
