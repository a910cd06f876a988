package io.aidesk.query.knowledge;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aidesk.api.knowledge.KnowledgeQueries.Citation;
import io.aidesk.api.knowledge.KnowledgeQueries.RetrievedChunk;
import io.aidesk.api.knowledge.KnowledgeQueries.SearchKnowledge;
import io.aidesk.api.knowledge.KnowledgeQueries.SearchResult;
import io.aidesk.api.tenancy.MetadataKeys;
import io.aidesk.gateway.embedding.EmbeddingModel;
import io.aidesk.gateway.embedding.EmbeddingModels;
import io.aidesk.gateway.language.Language;
import org.axonframework.messaging.annotation.MetaDataValue;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Hybrid retrieval within one tenant in two stages: a pool of candidates from vector similarity (the tenant's own
 * HNSW index, or an exact ranking of a small tenant's rows) and from full-text search (each chunk stemmed in its
 * language, the query in both), ranked by similarity plus the rarity-weighted share of the query's words each
 * candidate holds.
 */
@Component
public class KnowledgeSearch {
    /** Each side brings this many candidates per requested result, and at least MIN_POOL, for the second-stage ranking. */
    static final int CANDIDATES_PER_RESULT = 8;
    static final int MIN_POOL = 40;
    /**
     * How much the lexical share adds to the cosine similarity in the ranking (tuned on the eval's tuning half); more
     * for a Spanish query, since the offline embedding model is English only.
     */
    static final double LEXICAL_WEIGHT = 0.25;
    static final double LEXICAL_WEIGHT_SPANISH = 0.4;
    /** A word found in the title or headings counts this much again. */
    static final double TITLE_BONUS = 0.5;
    static final double TITLE_BONUS_SHARE = 1 + TITLE_BONUS;
    /** idf of a word in about a fifth of the chunks; a word three times more common is left to the vector side. */
    static final double COMMON_IDF = 1.6;
    static final int MAX_WORDS = 16;
    /** HNSW's search breadth: the bench's largest tenant (55,590 vectors) had a recall@10 of 0.93 at 100, 0.99 at 200. */
    static final int EF_SEARCH = 200;
    static final int SNIPPET_LENGTH = 240;

    private final JdbcTemplate jdbc;
    private final EmbeddingModels models;
    private final ObjectMapper json;
    private final TermCounts counts = new TermCounts();

    public KnowledgeSearch(JdbcTemplate jdbc, EmbeddingModels models, ObjectMapper json) {
        this.jdbc = jdbc;
        this.models = models;
        this.json = json;
    }

    @QueryHandler
    SearchResult handle(SearchKnowledge query, @MetaDataValue(MetadataKeys.TENANT_ID) String tenant) {
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
        settings();
        int pool = Math.max(MIN_POOL, query.topK() * CANDIDATES_PER_RESULT);
        Map<String, Double> weights = termWeights(tenant, model, query);
        List<String> words = new ArrayList<>(weights.keySet());
        Double[] idf = words.stream().map(weights::get).toArray(Double[]::new);
        double mass = TITLE_BONUS_SHARE * weights.values().stream().mapToDouble(Double::doubleValue).sum();
        // each side brings a pool of candidates; the pool is ranked by similarity plus the rarity-weighted share of the
        // query's words a chunk holds, its title and headings counting half again (weight A)
        String sql = """
                WITH vec AS (%1$s
                ), words AS (
                    SELECT w.idf, plainto_tsquery('aidesk_english', w.word) || plainto_tsquery('aidesk_spanish', w.word) AS q,
                           to_tsquery('aidesk_english', w.word || ':A') || to_tsquery('aidesk_spanish', w.word || ':A') AS qa
                    FROM unnest(?::text[], ?::float8[]) AS w(word, idf)
                ), fts AS (
                    -- one index lookup per word (the session's tenant's chunks), summing the rarities of the words a
                    -- chunk holds; the commonest words (idf below COMMON_IDF / 3) would bring most of the tenant for
                    -- almost nothing
                    SELECT m.id, sum(w.idf) AS lex
                    FROM words w CROSS JOIN LATERAL aidesk_chunks_matching(w.q, ?::text, ?::text) m
                    WHERE w.idf >= ?
                    GROUP BY m.id ORDER BY lex DESC LIMIT ?
                ), scored AS (
                    -- the pool's chunks looked up by id (an array, so no misestimate can turn it into a scan of the
                    -- tenant), each side's rank read from its ordered ids
                    SELECT c.id, c.document_id, c.source_id, c.content, c.meta::text AS meta, c.content_hash, d.version,
                           1 - (c.embedding::%2$s <=> ?::%2$s) AS similarity,
                           coalesce((SELECT sum(w.idf * ((c.tsv @@ w.q)::int + %3$s * (c.tsv @@ w.qa)::int))
                                     FROM words w), 0) / ? AS lexical,
                           coalesce(array_position(ARRAY(SELECT id FROM vec ORDER BY distance), c.id), 0) AS vector_rank,
                           coalesce(array_position(ARRAY(SELECT id FROM fts ORDER BY lex DESC), c.id), 0) AS lexical_rank
                    FROM ai_kb_chunks c JOIN ai_kb_documents d ON d.id = c.document_id
                    WHERE c.id = ANY (ARRAY(SELECT id FROM vec UNION SELECT id FROM fts))
                )
                SELECT *, similarity + ? * lexical AS relevance FROM scored
                ORDER BY relevance DESC, similarity DESC LIMIT ?
                """.formatted(vectorSql(query.sourceId() != null, model), typed(model), TITLE_BONUS);
        List<Object> args = new ArrayList<>(List.of(vector, tenant, model.name()));
        if (query.sourceId() != null) {
            args.add(query.sourceId());
        }
        args.addAll(List.of(vector, pool, words.toArray(String[]::new), idf));
        args.add(model.name());
        args.add(query.sourceId());
        double lexicalWeight = Language.SPANISH.equals(Language.of(query.query())) ? LEXICAL_WEIGHT_SPANISH : LEXICAL_WEIGHT;
        args.addAll(List.of(COMMON_IDF / 3, pool, vector, mass == 0 ? 1 : mass, lexicalWeight, query.topK()));
        List<RetrievedChunk> chunks = jdbc.query(sql, (rs, n) -> new RetrievedChunk(rs.getString("id"),
                rs.getString("document_id"), rs.getString("source_id"), rs.getString("content"),
                round(rs.getDouble("similarity")), meta(rs.getString("meta")), rs.getString("content_hash"),
                rs.getInt("version"), round(rs.getDouble("lexical")), round(rs.getDouble("relevance")),
                rs.getInt("vector_rank"), rs.getInt("lexical_rank")), args.toArray());
        return new SearchResult(chunks, chunks.stream().map(KnowledgeSearch::citation).toList(), weights);
    }

    /**
     * The query's words, each weighted by its rarity among the tenant's chunks (BM25's idf), so a word on every page
     * ("git" in Git's manual) counts for little and a rare one for much; a word no chunk holds weighs most of all, since
     * the knowledge lacks it. Stop words of the query's language are left out.
     */
    Map<String, Double> termWeights(String tenant, EmbeddingModel model, SearchKnowledge query) {
        List<String> words = Words.of(query.query(), MAX_WORDS);
        if (words.isEmpty()) {
            return Map.of();
        }
        String language = Language.SPANISH.equals(Language.of(query.query())) ? "aidesk_spanish" : "aidesk_english";
        String source = query.sourceId();
        String totalKey = TermCounts.key(tenant, model.name(), source, "", "");
        List<String> uncounted = words.stream()
                .filter(word -> counts.get(TermCounts.key(tenant, model.name(), source, language, word)).isEmpty()).toList();
        if (!uncounted.isEmpty() || counts.get(totalKey).isEmpty()) {
            count(tenant, model, source, language, uncounted, totalKey);
        }
        int chunks = counts.get(totalKey).orElse(0);
        Map<String, Double> weights = new LinkedHashMap<>();
        for (String word : words) {
            int df = counts.get(TermCounts.key(tenant, model.name(), source, language, word)).orElse(TermCounts.STOP_WORD);
            if (df != TermCounts.STOP_WORD) {
                weights.put(word, round(Math.log(1 + (chunks - df + 0.5) / (df + 0.5))));
            }
        }
        return weights;
    }

    /** Counts the tenant's chunks, and those holding each word (a stop word of the language counts as one). */
    private void count(String tenant, EmbeddingModel model, String source, String language, List<String> words,
                       String totalKey) {
        String sourceFilter = source == null ? "" : " AND c.source_id = ?";
        List<Object> args = new ArrayList<>(List.of(tenant, model.name()));
        if (source != null) {
            args.add(source);
        }
        Integer total = jdbc.queryForObject("SELECT count(*) FROM ai_kb_chunks c WHERE c.tenant_id = ? "
                + "AND c.embedding_model = ?" + sourceFilter, Integer.class, args.toArray());
        counts.put(totalKey, total == null ? 0 : total);
        if (words.isEmpty()) {
            return;
        }
        // the chunks of the session's tenant holding each word, through the full-text index (see V18)
        jdbc.query("""
                SELECT w.word, numnode(plainto_tsquery(?::regconfig, w.word)) = 0 AS stop,
                    (SELECT count(*) FROM aidesk_chunks_matching(plainto_tsquery('aidesk_english', w.word)
                        || plainto_tsquery('aidesk_spanish', w.word), ?::text, ?::text)) AS df
                FROM unnest(?::text[]) AS w(word)
                """, rs -> {
            counts.put(TermCounts.key(tenant, model.name(), source, language, rs.getString("word")),
                    rs.getBoolean("stop") ? TermCounts.STOP_WORD : rs.getInt("df"));
        }, language, model.name(), source, words.toArray(String[]::new));
    }

    private static double round(double value) {
        return Math.round(value * 10_000) / 10_000.0;
    }

    /** The vector side alone, as the search runs it: the ids of the nearest chunks, nearest first (for benchmarks). */
    public List<String> nearest(String tenant, float[] embedding, EmbeddingModel model, int limit) {
        String vector = Arrays.toString(embedding);
        settings();
        return jdbc.queryForList("SELECT id FROM (" + vectorSql(false, model) + ") vec ORDER BY distance",
                String.class, vector, tenant, model.name(), vector, limit);
    }

    /** The plan of the vector side, as EXPLAIN gives it (for benchmarks at size). */
    public List<String> nearestPlan(String tenant, float[] embedding, EmbeddingModel model, int limit) {
        String vector = Arrays.toString(embedding);
        settings();
        return jdbc.queryForList("EXPLAIN " + vectorSql(false, model), String.class, vector, tenant,
                model.name(), vector, limit);
    }

    /**
     * The tenant's nearest vectors: through the tenant's own HNSW index when it has one (TenantVectorIndexes builds one
     * once it holds enough vectors), scanned iteratively so the model filter still leaves enough rows; otherwise
     * ranked exactly through its rows. Either way no other tenant's vectors are read.
     * Parameters: query vector, tenant, model [, source], query vector, limit.
     */
    private static String vectorSql(boolean bySource, EmbeddingModel model) {
        String typed = typed(model);
        return """
                SELECT id, embedding::%1$s <=> ?::%1$s AS distance FROM ai_kb_chunks
                WHERE tenant_id = ? AND embedding_dim = %2$d AND embedding_model = ?%3$s
                ORDER BY embedding::%1$s <=> ?::%1$s LIMIT ?""".formatted(typed, model.dimension(),
                bySource ? " AND source_id = ?" : "");
    }

    /** The search's settings, in one round trip; SET LOCAL stays with this transaction (one per query on the bus). */
    private void settings() {
        jdbc.execute(String.join("; ",
                // a stop word makes an empty text-search query, which Postgres reports with a notice per row
                "SET LOCAL client_min_messages = warning",
                "SET LOCAL hnsw.iterative_scan = relaxed_order",
                "SET LOCAL hnsw.ef_search = " + EF_SEARCH,
                // a tenant's index is partial (WHERE tenant_id = 'its id'): only a plan made for the bound tenant uses it
                "SET LOCAL plan_cache_mode = force_custom_plan"));
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
