package io.aidesk.bench;

import io.aidesk.api.knowledge.KnowledgeQueries.SearchKnowledge;
import io.aidesk.api.knowledge.KnowledgeQueries.SearchResult;
import io.aidesk.api.tenancy.RowSecurity;
import io.aidesk.gateway.embedding.EmbeddingModel;
import io.aidesk.ingestion.index.TenantVectorIndexes;
import io.aidesk.query.knowledge.KnowledgeSearch;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.io.StringReader;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * 200,000 synthetic chunks over 20 tenants of Zipf-like sizes (the smallest holds about 1 %), 384-dimension vectors
 * clustered by topic. Measures the production hybrid search (embedding excluded) cold and warm, its vector side alone,
 * the HTTP query (embedding included), recall@10 of the HNSW candidates against exact search within the tenant, and that every search
 * returns top_k results.
 */
final class RetrievalBench {
    private static final int DIM = 384;
    private static final int TOPICS = 40;
    private static final int TOP_K = 10;
    /** Passes over the same queries after the first, which reads from disk what the cache does not hold yet. */
    private static final int WARM_PASSES = 2;

    private RetrievalBench() {
    }

    static void run(String[] args) throws Exception {
        int total = Bench.option(args, "chunks", 200_000);
        int tenants = Bench.option(args, "tenants", 20);
        int queriesPerTenant = Bench.option(args, "queries", 25);
        try (BenchApp app = new BenchApp()) {
            EmbeddingModel model = app.bean(EmbeddingModel.class);
            int[] sizes = sizes(total, tenants);
            Random random = new Random(42);
            float[][][] centroids = new float[tenants][TOPICS][];
            for (int t = 0; t < tenants; t++) {
                for (int c = 0; c < TOPICS; c++) {
                    centroids[t][c] = unit(gaussian(random, 1.0f));
                }
            }
            // --reuse keeps the chunks an earlier run loaded (the launcher keeps the database), to measure a change quickly
            boolean reuse = Arrays.asList(args).contains("--reuse") && loaded() == total;
            TenantVectorIndexes indexes = app.bean(TenantVectorIndexes.class);
            if (reuse) {
                indexes.maintain();
            }
            double loadSeconds = reuse ? 0 : load(sizes, centroids, model.name(), random, indexes);
            Random queryRandom = new Random(43);
            JdbcTemplate jdbc = app.bean(JdbcTemplate.class);
            TransactionTemplate tx = new TransactionTemplate(app.bean(PlatformTransactionManager.class));
            KnowledgeSearch search = app.bean(KnowledgeSearch.class);

            // the same queries in every pass: the first reads index pages from disk, the later ones from the cache
            float[][][] queries = new float[tenants][queriesPerTenant][];
            String[][] texts = new String[tenants][queriesPerTenant];
            for (int t = 0; t < tenants; t++) {
                for (int q = 0; q < queriesPerTenant; q++) {
                    queries[t][q] = unit(add(centroids[t][queryRandom.nextInt(TOPICS)], gaussian(queryRandom, 0.08f)));
                    texts[t][q] = "topic" + queryRandom.nextInt(TOPICS) + " service price";
                }
            }
            List<Double> coldMs = new ArrayList<>();
            List<Double> hybridMs = new ArrayList<>();
            List<Double> vectorMs = new ArrayList<>();
            List<Double> httpMs = new ArrayList<>();
            double[] recallByTenant = new double[tenants];
            int fewest = Integer.MAX_VALUE;
            for (int pass = 0; pass < 1 + WARM_PASSES; pass++) {
                for (int t = 0; t < tenants; t++) {
                    String tenant = tenant(t);
                    for (int q = 0; q < queriesPerTenant; q++) {
                        float[] query = queries[t][q];
                        SearchKnowledge request = new SearchKnowledge(texts[t][q], TOP_K, null);
                        long start = System.nanoTime();
                        SearchResult result = tx.execute(status -> {
                            jdbc.queryForObject(RowSecurity.SCOPE_SQL, String.class, tenant);
                            return search.search(tenant, request, query, model);
                        });
                        (pass == 0 ? coldMs : hybridMs).add((System.nanoTime() - start) / 1e6);
                        fewest = Math.min(fewest, result.chunks().size());
                        if (pass > 0) {
                            long vectorStart = System.nanoTime();
                            tx.execute(status -> {
                                jdbc.queryForObject(RowSecurity.SCOPE_SQL, String.class, tenant);
                                return search.nearest(tenant, query, model, TOP_K * 4);
                            });
                            vectorMs.add((System.nanoTime() - vectorStart) / 1e6);
                        }
                    }
                }
            }
            for (int t = 0; t < tenants; t++) {
                String tenant = tenant(t);
                String token = app.token(tenant);
                double recall = 0;
                for (int q = 0; q < queriesPerTenant; q++) {
                    recall += recall(tx, jdbc, search, tenant, model, queries[t][q]);
                    long httpStart = System.nanoTime();
                    app.call("POST", "/api/ai/kb/query", token, "{\"query\": \"" + texts[t][q] + "\", \"top_k\": " + TOP_K + "}");
                    httpMs.add((System.nanoTime() - httpStart) / 1e6);
                }
                recallByTenant[t] = recall / queriesPerTenant;
            }
            String largePlan = plan(tx, jdbc, search, tenant(0), model, centroids[0][0]);
            String smallPlan = plan(tx, jdbc, search, tenant(tenants - 1), model, centroids[tenants - 1][0]);
            System.out.printf("""
                    retrieval bench: %d chunks over %d tenants (largest %d, smallest %d = %.1f %%), %d dims, %d queries, %d cores
                      load + tenants' HNSW builds   %6.1f s
                      hybrid search, first pass (cold)    p50 %6.1f ms   p95 %6.1f ms
                      hybrid search, embedding excluded   p50 %6.1f ms   p95 %6.1f ms   (%d warm passes)
                      vector side alone                   p50 %6.1f ms   p95 %6.1f ms
                      HTTP /kb/query, embedding included  p50 %6.1f ms   p95 %6.1f ms
                      recall@10 vs exact within tenant    mean %.3f   largest tenant %.3f   smallest tenant %.3f   worst %.3f
                      fewest results for top_k=%d         %d
                      largest tenant's vector plan:       %s
                      smallest tenant's vector plan:      %s
                    """,
                    total, tenants, sizes[0], sizes[tenants - 1], 100.0 * sizes[tenants - 1] / total, DIM,
                    coldMs.size(), Runtime.getRuntime().availableProcessors(), loadSeconds,
                    percentile(coldMs, 50), percentile(coldMs, 95), percentile(hybridMs, 50), percentile(hybridMs, 95),
                    WARM_PASSES, percentile(vectorMs, 50), percentile(vectorMs, 95),
                    percentile(httpMs, 50), percentile(httpMs, 95),
                    Arrays.stream(recallByTenant).average().orElse(0), recallByTenant[0], recallByTenant[tenants - 1],
                    Arrays.stream(recallByTenant).min().orElse(0), TOP_K, fewest, largePlan, smallPlan);
        }
    }

    private static String tenant(int t) {
        return "bench-tenant-" + t;
    }

    /** Zipf-like shares: tenant i holds a share proportional to 1/(i+1). */
    private static int[] sizes(int total, int tenants) {
        double sum = 0;
        for (int i = 0; i < tenants; i++) {
            sum += 1.0 / (i + 1);
        }
        int[] sizes = new int[tenants];
        int assigned = 0;
        for (int i = 0; i < tenants; i++) {
            sizes[i] = (int) Math.round(total / sum / (i + 1));
            assigned += sizes[i];
        }
        sizes[0] += total - assigned;
        return sizes;
    }

    /** COPY as the owner (the application role is under row-level security), the tenants' HNSW builds, a vacuum. */
    private static double load(int[] sizes, float[][][] centroids, String modelName, Random random,
                               TenantVectorIndexes indexes) throws Exception {
        long start = System.nanoTime();
        try (Connection owner = BenchApp.ownerConnection(); Statement sql = owner.createStatement()) {
            CopyManager copy = owner.unwrap(PGConnection.class).getCopyAPI();
            for (int t = 0; t < sizes.length; t++) {
                StringBuilder documents = new StringBuilder();
                StringBuilder chunks = new StringBuilder();
                int documentCount = (sizes[t] + 99) / 100;
                for (int d = 0; d < documentCount; d++) {
                    documents.append("t").append(t).append("-d").append(d).append('\t').append(tenant(t)).append("\tsrc-")
                            .append(t).append("\thttps://t").append(t).append(".test/").append(d).append("\tDoc ").append(d)
                            .append('\t').append("0".repeat(64)).append('\n');
                }
                copy.copyIn("COPY ai_kb_documents (id, tenant_id, source_id, url, title, content_hash) FROM STDIN",
                        new StringReader(documents.toString()));
                for (int i = 0; i < sizes[t]; i++) {
                    int topic = random.nextInt(centroids[t].length);
                    float[] vector = unit(add(centroids[t][topic], gaussian(random, 0.06f)));
                    chunks.append("t").append(t).append("-c").append(i).append('\t').append(tenant(t)).append("\tsrc-").append(t)
                            .append("\tt").append(t).append("-d").append(i / 100).append('\t').append(i % 100)
                            .append("\ttopic").append(topic).append(" service price answer number ").append(i)
                            .append('\t').append(String.format("%064d", i)).append("\t12\t")
                            .append(Arrays.toString(vector).replace(" ", "")).append('\t').append(modelName)
                            .append('\t').append(DIM).append('\n');
                    if (chunks.length() > 8_000_000) {
                        copyChunks(copy, chunks);
                    }
                }
                copyChunks(copy, chunks);
            }
            sql.execute("ANALYZE ai_kb_chunks");
        }
        // what the recurring task does once a minute, done now: an index for every tenant above the limit
        indexes.maintain();
        try (Connection owner = BenchApp.ownerConnection(); Statement sql = owner.createStatement()) {
            // what autovacuum does to a table at rest, so the passes do not measure the load's aftermath
            sql.execute("VACUUM (ANALYZE) ai_kb_documents");
            sql.execute("VACUUM (ANALYZE) ai_kb_chunks");
        }
        return (System.nanoTime() - start) / 1e9;
    }

    /** The chunks already in the database, counted as the owner (row-level security would show none). */
    private static long loaded() throws Exception {
        try (Connection owner = BenchApp.ownerConnection(); Statement sql = owner.createStatement();
             var rows = sql.executeQuery("SELECT count(*) FROM ai_kb_chunks")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static void copyChunks(CopyManager copy, StringBuilder chunks) throws Exception {
        copy.copyIn("COPY ai_kb_chunks (id, tenant_id, source_id, document_id, chunk_index, content, content_hash, "
                + "token_count, embedding, embedding_model, embedding_dim) FROM STDIN", new StringReader(chunks.toString()));
        chunks.setLength(0);
    }

    /** The production query's vector candidates (top 10 of its 40) against an exact scan of the tenant's rows. */
    private static double recall(TransactionTemplate tx, JdbcTemplate jdbc, KnowledgeSearch search, String tenant,
                                 EmbeddingModel model, float[] query) {
        return tx.execute(status -> {
            jdbc.queryForObject(RowSecurity.SCOPE_SQL, String.class, tenant);
            List<String> approximate = search.nearest(tenant, query, model, TOP_K * 4);
            List<String> exact = jdbc.queryForList("""
                    SELECT id FROM ai_kb_chunks WHERE tenant_id = ? AND embedding_dim = 384 AND embedding_model = ?
                    ORDER BY (embedding::vector(384) <=> ?::vector(384)) + 0 LIMIT 10
                    """, String.class, tenant, model.name(), Arrays.toString(query));
            Set<String> hits = new HashSet<>(approximate.subList(0, Math.min(TOP_K, approximate.size())));
            hits.retainAll(exact);
            return exact.isEmpty() ? 1.0 : (double) hits.size() / exact.size();
        });
    }

    /** The scan the vector side uses for this tenant, from EXPLAIN at benchmark size. */
    private static String plan(TransactionTemplate tx, JdbcTemplate jdbc, KnowledgeSearch search, String tenant,
                               EmbeddingModel model, float[] query) {
        return tx.execute(status -> {
            jdbc.queryForObject(RowSecurity.SCOPE_SQL, String.class, tenant);
            List<String> lines = search.nearestPlan(tenant, query, model, TOP_K * 4);
            return lines.stream().filter(line -> line.contains("Scan")).map(String::strip).findFirst()
                    .orElse(String.join(" / ", lines));
        });
    }

    private static float[] gaussian(Random random, float scale) {
        float[] v = new float[DIM];
        for (int i = 0; i < DIM; i++) {
            v[i] = (float) random.nextGaussian() * scale;
        }
        return v;
    }

    private static float[] add(float[] a, float[] b) {
        float[] v = new float[DIM];
        for (int i = 0; i < DIM; i++) {
            v[i] = a[i] + b[i];
        }
        return v;
    }

    private static float[] unit(float[] v) {
        double norm = 0;
        for (float x : v) {
            norm += x * x;
        }
        float inv = (float) (1 / Math.sqrt(norm));
        float[] u = new float[DIM];
        for (int i = 0; i < DIM; i++) {
            u[i] = v[i] * inv;
        }
        return u;
    }

    private static double percentile(List<Double> values, int p) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }
}
