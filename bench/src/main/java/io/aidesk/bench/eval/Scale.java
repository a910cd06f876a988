package io.aidesk.bench.eval;

import io.aidesk.bench.BenchApp;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The draft's latency in a tenant of at least {@link #CHUNKS} chunks (the real corpora's chunks, copied as the owner
 * into one tenant as often as it takes), so the larger-tenant path of the search (HNSW) is what answers.
 */
final class Scale {
    static final int CHUNKS = 10_000;
    static final String TENANT = "eval-10k";

    private Scale() {
    }

    /** @return the draft latencies (ms) of the questions asked in the big tenant */
    static List<Double> draftLatencies(BenchApp app, List<Question> questions) throws SQLException {
        int chunks = fill();
        String token = app.token(TENANT);
        String conversation = app.call("POST", "/api/ai/conversations", token,
                "{\"channel\": \"web\", \"contact_id\": \"eval\"}").path("id").asText();
        List<Double> latencies = new ArrayList<>();
        for (Question question : questions) {
            long started = System.nanoTime();
            app.call("POST", "/api/ai/assist/draft-reply", token,
                    EvalBench.json(Map.of("conversation_id", conversation, "message", question.text())));
            latencies.add((System.nanoTime() - started) / 1e6);
        }
        System.out.printf("%s: %d chunks%n", TENANT, chunks);
        return latencies;
    }

    /** Copies every eval tenant's documents and chunks into the big tenant until it holds CHUNKS. */
    private static int fill() throws SQLException {
        try (Connection owner = BenchApp.ownerConnection()) {
            int count = count(owner);
            for (int copy = 1; count < CHUNKS && copy <= 10; copy++) {
                String suffix = "-10k-" + copy;
                try (PreparedStatement documents = owner.prepareStatement("""
                        INSERT INTO ai_kb_documents (id, tenant_id, source_id, url, title, content_hash, version, meta)
                        SELECT id || ?, ?, source_id, url || '#' || ?, title, content_hash, version, meta
                        FROM ai_kb_documents WHERE tenant_id LIKE 'eval-%' AND tenant_id <> ? AND id NOT LIKE '%-10k-%'
                        ON CONFLICT DO NOTHING""");
                     PreparedStatement rows = owner.prepareStatement("""
                        INSERT INTO ai_kb_chunks (id, tenant_id, source_id, document_id, chunk_index, content, content_hash,
                            token_count, embedding, embedding_model, embedding_dim, meta, language)
                        SELECT gen_random_uuid()::text, ?, source_id, document_id || ?, chunk_index, content, content_hash,
                            token_count, embedding, embedding_model, embedding_dim, meta, language
                        FROM ai_kb_chunks WHERE tenant_id LIKE 'eval-%' AND tenant_id <> ?
                        ON CONFLICT DO NOTHING""")) {
                    documents.setString(1, suffix);
                    documents.setString(2, TENANT);
                    documents.setString(3, suffix);
                    documents.setString(4, TENANT);
                    documents.executeUpdate();
                    rows.setString(1, TENANT);
                    rows.setString(2, suffix);
                    rows.setString(3, TENANT);
                    rows.executeUpdate();
                }
                count = count(owner);
            }
            try (PreparedStatement state = owner.prepareStatement("""
                    INSERT INTO ai_kb_embedding_state (tenant_id, serving_model, target_model)
                    SELECT ?, serving_model, target_model FROM ai_kb_embedding_state WHERE tenant_id = 'eval-git'
                    ON CONFLICT DO NOTHING""")) {
                state.setString(1, TENANT);
                state.executeUpdate();
            }
            try (var analyze = owner.createStatement()) {
                analyze.execute("ANALYZE ai_kb_chunks");
            }
            return count;
        }
    }

    private static int count(Connection owner) throws SQLException {
        try (PreparedStatement count = owner.prepareStatement("SELECT count(*) FROM ai_kb_chunks WHERE tenant_id = ?")) {
            count.setString(1, TENANT);
            try (ResultSet rs = count.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}
