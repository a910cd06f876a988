package io.aidesk.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.aidesk.api.tenancy.RowSecurity;
import io.aidesk.gateway.embedding.EmbeddingModel;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.List;
import java.util.UUID;

/**
 * First sync of a generated 1,000-page site (pages/s, chunks/s), the offline embedder's own chunks/s on the very
 * chunks it indexed (the ceiling the pipeline is held against), and an unchanged re-sync's time as a ratio.
 */
final class IngestBench {
    private IngestBench() {
    }

    static void run(String[] args) throws Exception {
        int pages = Bench.option(args, "pages", 1000);
        try (GeneratedSite site = new GeneratedSite(pages); BenchApp app = new BenchApp()) {
            String tenant = "bench-" + UUID.randomUUID();
            String token = app.token(tenant);
            int maxPages = pages + GeneratedSite.SECTIONS + 1;

            long wallStart = System.nanoTime();
            String sourceId = app.call("POST", "/api/ai/kb/sources", token, "{\"type\": \"url\", \"url\": \""
                    + site.url("/") + "\", \"config\": {\"max_pages\": " + maxPages + "}}").path("id").asText();
            JsonNode first = app.awaitSync(token, sourceId, "");
            double firstWall = (System.nanoTime() - wallStart) / 1e9;
            JsonNode firstSync = first.path("stats").path("last_sync");
            double firstSeconds = firstSync.path("duration_ms").asLong() / 1000.0;
            int fetched = firstSync.path("fetched").asInt();
            int chunks = firstSync.path("new_chunks").asInt();

            List<String> texts = new TransactionTemplate(app.bean(PlatformTransactionManager.class)).execute(status -> {
                JdbcTemplate jdbc = app.bean(JdbcTemplate.class);
                jdbc.queryForObject(RowSecurity.SCOPE_SQL, String.class, tenant);
                return jdbc.queryForList("SELECT content FROM ai_kb_chunks WHERE source_id = ? ORDER BY id", String.class, sourceId);
            });
            EmbeddingModel model = app.bean(EmbeddingModel.class);
            long embedStart = System.nanoTime();
            for (int from = 0; from < texts.size(); from += 32) {
                model.embedDocuments(texts.subList(from, Math.min(texts.size(), from + 32)));
            }
            double embedSeconds = (System.nanoTime() - embedStart) / 1e9;

            long resyncStart = System.nanoTime();
            app.call("POST", "/api/ai/kb/sources/" + sourceId + "/sync", token, null);
            JsonNode second = app.awaitSync(token, sourceId, first.path("stats").path("last_synced_at").asText());
            double resyncWall = (System.nanoTime() - resyncStart) / 1e9;
            double resyncSeconds = second.path("stats").path("last_sync").path("duration_ms").asLong() / 1000.0;

            double pipelineChunksPerSecond = chunks / firstSeconds;
            double embedderChunksPerSecond = texts.size() / embedSeconds;
            System.out.printf("""
                    ingest bench: %d generated pages on loopback, %d cores, model %s
                      first sync      %6.1f s (%.1f s wall): %d pages fetched, %d chunks, %s errors
                                      %6.1f pages/s, %6.1f chunks/s
                      embedder alone  %6.1f chunks/s on the same %d chunks (batches of 32)
                                      pipeline / embedder = %.2f
                      unchanged re-sync %4.1f s (%.1f s wall): %d new, %d unchanged chunks = %.2f of the first sync
                                      %d of its requests answered 304 Not Modified
                    """,
                    pages, Runtime.getRuntime().availableProcessors(), model.name(),
                    firstSeconds, firstWall, fetched, chunks, firstSync.path("errors").asText(),
                    fetched / firstSeconds, pipelineChunksPerSecond,
                    embedderChunksPerSecond, texts.size(), pipelineChunksPerSecond / embedderChunksPerSecond,
                    resyncSeconds, resyncWall, second.path("stats").path("last_sync").path("new_chunks").asInt(),
                    second.path("stats").path("last_sync").path("unchanged_chunks").asInt(), resyncSeconds / firstSeconds,
                    site.notModified());
        }
    }
}
