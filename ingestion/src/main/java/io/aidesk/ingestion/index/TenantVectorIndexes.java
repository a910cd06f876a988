package io.aidesk.ingestion.index;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import io.aidesk.api.knowledge.SourceStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One HNSW index per tenant and vector size, for each tenant holding at least {@code tenant-index-from} vectors of
 * that size, so a search walks its own tenant's graph and no other; a smaller tenant is ranked exactly through its
 * rows. Kept by a recurring task on the main db-scheduler (one node runs it), which builds new indexes concurrently
 * (other tenants' syncs keep writing) once the tenant has no sync queued or running, and drops those of tenants that
 * shrank to under half the limit. The application role owns no
 * table, so the DDL runs as the owner that runs the migrations.
 */
@Configuration(proxyBeanMethods = false)
public class TenantVectorIndexes {
    public static final String TASK = "knowledge-vector-indexes";
    public static final String PREFIX = "ai_kb_chunks_hnsw_";
    /** pgvector's HNSW indexes vectors of up to 2,000 dimensions; larger ones are always ranked exactly. */
    static final int MAX_INDEXED_DIMENSION = 2_000;
    /** Two rounds never build the same index at once. */
    private static final String LOCK = "aidesk.vector-indexes";
    private static final Duration LOCK_POLL = Duration.ofMillis(500);
    private static final Logger log = LoggerFactory.getLogger(TenantVectorIndexes.class);

    private final String url;
    private final String owner;
    private final String password;
    private final int from;
    private final String buildMemory;

    public TenantVectorIndexes(@Value("${spring.flyway.url}") String url, @Value("${spring.flyway.user}") String owner,
                               @Value("${spring.flyway.password}") String password,
                               @Value("${aidesk.knowledge.tenant-index-from:2000}") int from,
                               @Value("${aidesk.knowledge.index-build-memory:256MB}") String buildMemory) {
        this.url = url;
        this.owner = owner;
        this.password = password;
        this.from = from;
        this.buildMemory = buildMemory;
    }

    @Bean
    RecurringTask<Void> knowledgeVectorIndexesTask(@Value("${aidesk.knowledge.vector-index-check:1m}") Duration every) {
        return Tasks.recurring(TASK, FixedDelay.of(every)).execute((instance, context) -> maintain());
    }

    /** A tenant's index of one vector size, by the name it is kept under. */
    public record TenantIndex(String tenant, int dimension) {
        public String name() {
            return PREFIX + digest(tenant) + "_" + dimension;
        }
    }

    /** What was built and dropped in one round. */
    public record Round(List<TenantIndex> built, List<String> dropped) {
    }

    /**
     * Builds the indexes that are missing (or left invalid by a build that died) and drops those no longer needed;
     * waits for a round already running elsewhere (a node that took the task over, the bench) to end first.
     */
    public Round maintain() {
        try (SingleConnectionDataSource connection = new SingleConnectionDataSource(url, owner, password, true)) {
            JdbcTemplate sql = new JdbcTemplate(connection);
            // polled, not waited for: a build CONCURRENTLY waits for every open statement, a blocked lock call included
            while (!Boolean.TRUE.equals(sql.queryForObject("SELECT pg_try_advisory_lock(hashtext(?))", Boolean.class, LOCK))) {
                sleep();
            }
            try {
                return round(sql);
            } finally {
                sql.queryForObject("SELECT pg_advisory_unlock(hashtext(?))", Boolean.class, LOCK);
            }
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(LOCK_POLL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while another round of vector indexing ran", e);
        }
    }

    private Round round(JdbcTemplate sql) {
        Map<String, Boolean> existing = new LinkedHashMap<>();
        sql.query("""
                SELECT c.relname, i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
                WHERE i.indrelid = 'ai_kb_chunks'::regclass AND c.relname LIKE ?
                """, rs -> {
            existing.put(rs.getString(1), rs.getBoolean(2));
        }, PREFIX + "%");
        Map<String, TenantIndex> wanted = new LinkedHashMap<>();
        Set<String> kept = new HashSet<>();
        sql.query("""
                SELECT tenant_id, embedding_dim, count(*) FROM ai_kb_chunks
                WHERE embedding_dim IS NOT NULL AND embedding_dim <= ? GROUP BY tenant_id, embedding_dim
                HAVING count(*) >= ?
                """, rs -> {
            TenantIndex index = new TenantIndex(rs.getString(1), rs.getInt(2));
            kept.add(index.name());
            if (rs.getLong(3) >= from) {
                wanted.put(index.name(), index);
            }
        }, MAX_INDEXED_DIMENSION, Math.max(1, from / 2));
        List<String> dropped = existing.entrySet().stream()
                .filter(index -> !index.getValue() || !kept.contains(index.getKey()))
                .map(Map.Entry::getKey).toList();
        for (String name : dropped) {
            sql.execute("DROP INDEX CONCURRENTLY IF EXISTS " + name);
        }
        // a tenant's first big sync writes faster without the index to keep up (git-doc: pipeline / embedder 0.63 with
        // it built mid-sync, 0.74 without): its index is built once its syncs have ended
        Set<String> syncing = new HashSet<>(sql.queryForList("SELECT DISTINCT tenant_id FROM ai_kb_sources "
                + "WHERE status IN (?, ?)", String.class, SourceStatus.QUEUED, SourceStatus.SYNCING));
        List<TenantIndex> built = wanted.values().stream()
                .filter(index -> !Boolean.TRUE.equals(existing.get(index.name())))
                .filter(index -> !syncing.contains(index.tenant())).toList();
        if (!built.isEmpty()) {
            sql.execute("SET maintenance_work_mem = '" + buildMemory.replace("'", "") + "'");
            // pgvector 0.8.0, the one the launcher builds, has a bug in parallel HNSW builds (fixed in 0.8.2)
            sql.execute("SET max_parallel_maintenance_workers = 0");
        }
        for (TenantIndex index : built) {
            long start = System.nanoTime();
            // format's %L quotes the tenant id as a literal: the predicate is what the planner matches a search to;
            // at pgvector's default ef_construction (64) a 55,000-vector tenant's graph left recall@10 at 0.948
            sql.execute(sql.queryForObject("""
                    SELECT format('CREATE INDEX CONCURRENTLY IF NOT EXISTS %I ON ai_kb_chunks USING hnsw
                        ((embedding::vector(%s)) vector_cosine_ops) WITH (m = 16, ef_construction = 128)
                        WHERE tenant_id = %L AND embedding_dim = %s',
                        ?::text, ?::int, ?::text, ?::int)
                    """, String.class, index.name(), index.dimension(), index.tenant(), index.dimension()));
            log.info("built the vector index of tenant {} ({} dimensions) in {} ms", index.tenant(), index.dimension(),
                    (System.nanoTime() - start) / 1_000_000);
        }
        return new Round(built, dropped);
    }

    private static String digest(String tenant) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(tenant.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
