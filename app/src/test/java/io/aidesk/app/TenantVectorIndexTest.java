package io.aidesk.app;

import io.aidesk.api.tenancy.RowSecurity;
import io.aidesk.gateway.embedding.EmbeddingModel;
import io.aidesk.gateway.embedding.EmbeddingModels;
import io.aidesk.ingestion.index.TenantVectorIndexes;
import io.aidesk.ingestion.index.TenantVectorIndexes.Round;
import io.aidesk.ingestion.index.TenantVectorIndexes.TenantIndex;
import io.aidesk.query.knowledge.KnowledgeSearch;
import com.github.kagkarlsson.scheduler.ScheduledExecutionsFilter;
import com.github.kagkarlsson.scheduler.SchedulerClient;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.io.StringReader;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A tenant that holds enough vectors gets an HNSW index of its own, which its searches walk and no other tenant's
 * do; a small tenant is ranked exactly; the index goes when the tenant's knowledge does.
 */
class TenantVectorIndexTest extends ApiTest {
    private static final int LARGE = 2_000;
    private static final int SMALL = 300;

    @Value("${spring.datasource.url}")
    String url;
    @Value("${spring.flyway.user}")
    String owner;
    @Value("${spring.flyway.password}")
    String ownerPassword;
    @Value("${aidesk.knowledge.tenant-index-from:2000}")
    int indexFrom;
    @Autowired
    TenantVectorIndexes indexes;
    @Autowired
    KnowledgeSearch search;
    @Autowired
    EmbeddingModels models;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    PlatformTransactionManager transactionManager;
    @Autowired
    SchedulerClient scheduler;

    @Test
    void aLargeTenantsSearchWalksItsOwnIndexAndASmallTenantsIsExact() throws Exception {
        assertThat(indexFrom).as("the test loads just enough vectors for an index").isEqualTo(LARGE);
        assertThat(scheduler.getScheduledExecutionsForTask(TenantVectorIndexes.TASK,
                Void.class, ScheduledExecutionsFilter.all()))
                .as("the rounds below are what the recurring task runs on its own").hasSize(1);
        EmbeddingModel model = models.target();
        String large = newTenant();
        String small = newTenant();
        Random random = new Random(7);
        float[][] largeVectors = load(large, LARGE, model, random);
        float[][] smallVectors = load(small, SMALL, model, random);

        TenantIndex index = new TenantIndex(large, model.dimension());
        ownerSql("INSERT INTO ai_kb_sources (id, tenant_id, type, url, status, config, created_at, created_by) "
                + "VALUES ('src-" + large + "', '" + large + "', 'url', 'https://docs.test/', 'syncing', '{}', now(), 'test')");
        assertThat(indexes.maintain().built()).as("not while the tenant's sync writes").doesNotContain(index);
        ownerSql("UPDATE ai_kb_sources SET status = 'ok' WHERE id = 'src-" + large + "'");

        Round round = indexes.maintain();
        assertThat(round.built()).contains(index).doesNotContain(new TenantIndex(small, model.dimension()));
        assertThat(validIndexes()).contains(index.name());
        assertThat(indexes.maintain().built()).as("a second round finds nothing to do").isEmpty();

        assertThat(inTenant(large, () -> String.join("\n", search.nearestPlan(large, largeVectors[0], model, 40))))
                .contains(index.name());
        assertThat(inTenant(small, () -> String.join("\n", search.nearestPlan(small, smallVectors[0], model, 40))))
                .doesNotContain(TenantVectorIndexes.PREFIX);
        for (int i = 0; i < 20; i++) {
            int row = i * (LARGE / 20);
            List<String> nearest = inTenant(large, () -> search.nearest(large, largeVectors[row], model, 10));
            assertThat(nearest).as("a stored vector finds its own chunk first, through the tenant's index")
                    .hasSize(10).first().isEqualTo(large + "-c" + row);
        }
        List<String> smallNearest = inTenant(small, () -> search.nearest(small, smallVectors[3], model, 10));
        assertThat(smallNearest).hasSize(10).first().isEqualTo(small + "-c3");
        assertThat(smallNearest).allMatch(id -> id.startsWith(small));

        ownerSql("DELETE FROM ai_kb_documents WHERE tenant_id = '" + large + "'");
        assertThat(indexes.maintain().dropped()).containsExactly(index.name());
        assertThat(validIndexes()).doesNotContain(index.name());
    }

    /** As the owner, which row-level security does not hold to. */
    private void ownerSql(String statement) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url, owner, ownerPassword);
             Statement sql = connection.createStatement()) {
            sql.execute(statement);
        }
    }

    private <T> T inTenant(String tenant, Supplier<T> work) {
        return new TransactionTemplate(transactionManager).execute(status -> {
            jdbc.queryForObject(RowSecurity.SCOPE_SQL, String.class, tenant);
            return work.get();
        });
    }

    private List<String> validIndexes() {
        try (Connection connection = DriverManager.getConnection(url, owner, ownerPassword)) {
            return new JdbcTemplate(new SingleConnectionDataSource(connection, true))
                    .queryForList("""
                            SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
                            WHERE i.indrelid = 'ai_kb_chunks'::regclass AND i.indisvalid
                            """, String.class);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** COPY as the owner: one document per 100 chunks, vectors clustered around 20 topics as real pages are. */
    private float[][] load(String tenant, int count, EmbeddingModel model, Random random) throws Exception {
        int dimension = model.dimension();
        float[][] topics = new float[20][];
        for (int t = 0; t < topics.length; t++) {
            topics[t] = unit(gaussian(random, dimension, 1));
        }
        float[][] vectors = new float[count][];
        StringBuilder documents = new StringBuilder();
        StringBuilder chunks = new StringBuilder();
        for (int d = 0; d < (count + 99) / 100; d++) {
            documents.append(tenant).append("-d").append(d).append('\t').append(tenant).append("\tsrc\thttps://")
                    .append(d).append(".test/\tDoc\t").append("0".repeat(64)).append('\n');
        }
        for (int i = 0; i < count; i++) {
            float[] noise = gaussian(random, dimension, 0.1f);
            float[] topic = topics[random.nextInt(topics.length)];
            for (int k = 0; k < dimension; k++) {
                noise[k] += topic[k];
            }
            vectors[i] = unit(noise);
            chunks.append(tenant).append("-c").append(i).append('\t').append(tenant).append("\tsrc\t").append(tenant)
                    .append("-d").append(i / 100).append('\t').append(i % 100).append("\tchunk ").append(i).append('\t')
                    .append(String.format("%064d", i)).append("\t3\t").append(Arrays.toString(vectors[i]).replace(" ", ""))
                    .append('\t').append(model.name()).append('\t').append(dimension).append('\n');
        }
        try (Connection connection = DriverManager.getConnection(url, owner, ownerPassword)) {
            var copy = connection.unwrap(PGConnection.class).getCopyAPI();
            copy.copyIn("COPY ai_kb_documents (id, tenant_id, source_id, url, title, content_hash) FROM STDIN",
                    new StringReader(documents.toString()));
            copy.copyIn("COPY ai_kb_chunks (id, tenant_id, source_id, document_id, chunk_index, content, content_hash, "
                    + "token_count, embedding, embedding_model, embedding_dim) FROM STDIN", new StringReader(chunks.toString()));
        }
        return vectors;
    }

    private static float[] gaussian(Random random, int dimension, float scale) {
        float[] v = new float[dimension];
        for (int i = 0; i < dimension; i++) {
            v[i] = (float) random.nextGaussian() * scale;
        }
        return v;
    }

    private static float[] unit(float[] v) {
        double norm = 0;
        for (float x : v) {
            norm += x * x;
        }
        for (int i = 0; i < v.length; i++) {
            v[i] /= (float) Math.sqrt(norm);
        }
        return v;
    }
}
