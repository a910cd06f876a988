package io.aidesk.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aidesk.api.knowledge.KnowledgeEvents;
import io.aidesk.api.tenancy.RowSecurity;
import io.aidesk.bench.eval.RealSite;
import io.aidesk.gateway.embedding.EmbeddingModel;
import io.aidesk.ingestion.chunk.Chunker;
import io.aidesk.ingestion.chunk.TextHash;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * First sync of a generated 1,000-page site, or of a real one (--corpus git: Git's manual), in pages/s and chunks/s, the offline embedder's own chunks/s on the very
 * chunks it indexed (the ceiling the pipeline is held against), and an unchanged re-sync's time as a ratio.
 */
final class IngestBench {
    private static final ObjectMapper JSON = new ObjectMapper();
    private IngestBench() {
    }

    /** The site a run syncs: generated, or a real one (--corpus, one of the eval's Debian documentation packages). */
    private record Site(String name, String url, Map<String, Object> config, IntSupplier notModified,
                        AutoCloseable server) implements AutoCloseable {
        static Site of(String[] args) throws IOException {
            String corpus = Bench.textOption(args, "corpus", null);
            if (corpus != null) {
                RealSite site = RealSite.serve(corpus);
                return new Site("the real site " + corpus + " (Debian's " + site.packageName() + ")", site.startUrl(),
                        site.config(), site::notModified, site);
            }
            int pages = Bench.option(args, "pages", 1000);
            GeneratedSite site = new GeneratedSite(pages);
            return new Site(pages + " generated pages", site.url("/"),
                    Map.of("max_pages", pages + GeneratedSite.SECTIONS + 1), site::notModified, site);
        }

        @Override
        public void close() throws Exception {
            server.close();
        }
    }

    static void run(String[] args) throws Exception {
        try (Site site = Site.of(args); BenchApp app = new BenchApp()) {
            String warmUp = Arrays.asList(args).contains("--no-warm-up") ? "none (--no-warm-up)"
                    : warmUp(app, Bench.option(args, "warm-up-pages", 40));
            String tenant = "bench-" + UUID.randomUUID();
            String token = app.token(tenant);

            Timer embedding = app.bean(MeterRegistry.class).get("aidesk.embedding.calls").timer();
            double embeddingBefore = embedding.totalTime(TimeUnit.MILLISECONDS);
            long callsBefore = embedding.count();
            long wallStart = System.nanoTime();
            String sourceId = app.call("POST", "/api/ai/kb/sources", token, JSON.writeValueAsString(Map.of("type", "url",
                    "url", site.url(), "config", site.config()))).path("id").asText();
            JsonNode first = app.awaitSync(token, sourceId, "");
            double firstWall = (System.nanoTime() - wallStart) / 1e9;
            JsonNode firstSync = first.path("stats").path("last_sync");
            double firstSeconds = firstSync.path("duration_ms").asLong() / 1000.0;
            int fetched = firstSync.path("fetched").asInt();
            int chunks = firstSync.path("new_chunks").asInt();
            double embeddingInSync = (embedding.totalTime(TimeUnit.MILLISECONDS) - embeddingBefore) / 1000;
            long callsInSync = embedding.count() - callsBefore;

            List<String> texts = embedTexts(app, tenant, sourceId);
            EmbeddingModel model = app.bean(EmbeddingModel.class);
            long embedStart = System.nanoTime();
            for (int from = 0; from < texts.size(); from += 32) {
                model.embedDocuments(texts.subList(from, Math.min(texts.size(), from + 32)));
            }
            double embedSeconds = (System.nanoTime() - embedStart) / 1e9;
            // the same chunks a page's worth per call, as a sync that embeds each page alone would ask
            int perPage = Math.max(1, Math.round((float) chunks / Math.max(1, fetched)));
            long pageStart = System.nanoTime();
            for (int from = 0; from < texts.size(); from += perPage) {
                model.embedDocuments(texts.subList(from, Math.min(texts.size(), from + perPage)));
            }
            double perPageSeconds = (System.nanoTime() - pageStart) / 1e9;

            long resyncStart = System.nanoTime();
            app.call("POST", "/api/ai/kb/sources/" + sourceId + "/sync", token, null);
            JsonNode second = app.awaitSync(token, sourceId, first.path("stats").path("last_synced_at").asText());
            double resyncWall = (System.nanoTime() - resyncStart) / 1e9;
            double resyncSeconds = second.path("stats").path("last_sync").path("duration_ms").asLong() / 1000.0;

            double pipelineChunksPerSecond = chunks / firstSeconds;
            double embedderChunksPerSecond = texts.size() / embedSeconds;
            System.out.printf("""
                    ingest bench: %s on loopback, %d cores, model %s
                      warm-up         %s
                      first sync      %6.1f s (%.1f s wall): %d pages fetched, %d chunks, %s errors
                                      %6.1f pages/s, %6.1f chunks/s
                                      %6.1f s of calls to the embedder (aidesk.embedding.calls; a sync has two on their way)
                                      %6d calls to the embedder, %.1f chunks per call
                      embedder alone  %6.1f chunks/s on the same %d chunks (batches of 32)
                                      pipeline / embedder = %.2f
                                      %6.1f chunks/s in calls of %d (a page's worth)
                      unchanged re-sync %4.1f s (%.1f s wall): %d new, %d unchanged chunks = %.2f of the first sync
                                      %d of its requests answered 304 Not Modified
                      progress        %d DocumentsIndexed events over both syncs (%d pages each)
                    """,
                    site.name(), Runtime.getRuntime().availableProcessors(), model.name(), warmUp,
                    firstSeconds, firstWall, fetched, chunks, firstSync.path("errors").asText(),
                    fetched / firstSeconds, pipelineChunksPerSecond, embeddingInSync,
                    callsInSync, (double) chunks / Math.max(1, callsInSync),
                    embedderChunksPerSecond, texts.size(), pipelineChunksPerSecond / embedderChunksPerSecond,
                    texts.size() / perPageSeconds, perPage,
                    resyncSeconds, resyncWall, second.path("stats").path("last_sync").path("new_chunks").asInt(),
                    second.path("stats").path("last_sync").path("unchanged_chunks").asInt(), resyncSeconds / firstSeconds,
                    site.notModified().getAsInt(), progressEvents(app, tenant, sourceId), fetched);
        }
    }

    /** The progress reports the source's syncs recorded in the event store (one per group of pages written). */
    private static int progressEvents(BenchApp app, String tenant, String sourceId) {
        return new TransactionTemplate(app.bean(PlatformTransactionManager.class)).execute(status -> {
            JdbcTemplate jdbc = app.bean(JdbcTemplate.class);
            jdbc.queryForObject(RowSecurity.SCOPE_SQL, String.class, tenant);
            return jdbc.queryForObject("SELECT count(*) FROM domain_event_entry WHERE aggregate_identifier = ? "
                    + "AND payload_type = ?", Integer.class, sourceId, KnowledgeEvents.DocumentsIndexed.class.getName());
        });
    }

    /**
     * What the sync embedded for each of the source's chunks: its title and heading path, then the passage, rebuilt
     * from the chunk's metadata and checked against the chunk's hash, so the embedder alone does the very same work.
     */
    private static List<String> embedTexts(BenchApp app, String tenant, String sourceId) {
        List<String[]> rows = new TransactionTemplate(app.bean(PlatformTransactionManager.class)).execute(status -> {
            JdbcTemplate jdbc = app.bean(JdbcTemplate.class);
            jdbc.queryForObject(RowSecurity.SCOPE_SQL, String.class, tenant);
            return jdbc.query("""
                    SELECT content, content_hash, meta->>'title' AS title,
                           ARRAY(SELECT jsonb_array_elements_text(coalesce(meta->'headings', '[]'::jsonb))) AS headings
                    FROM ai_kb_chunks WHERE source_id = ? ORDER BY id
                    """, (rs, n) -> {
                List<String> headings = List.of((String[]) rs.getArray("headings").getArray());
                return new String[] {Chunker.embedText(rs.getString("title"), headings, rs.getString("content")),
                        rs.getString("content_hash")};
            }, sourceId);
        });
        long differing = rows.stream().filter(row -> !TextHash.of(row[0]).equals(row[1])).count();
        if (differing > 0) {
            throw new IllegalStateException(differing + " chunks' embed text could not be rebuilt from their metadata");
        }
        return rows.stream().map(row -> row[0]).toList();
    }

    /**
     * A first sync right after start also pays for the JIT compiling the whole path (C2 took 6 % of the CPU of a
     * four-minute sync); a node that has run for a while does not. A small generated site in a tenant of its own first.
     */
    private static String warmUp(BenchApp app, int pages) throws Exception {
        try (GeneratedSite site = new GeneratedSite(pages)) {
            String token = app.token("bench-warm-up-" + UUID.randomUUID());
            long start = System.nanoTime();
            String sourceId = app.call("POST", "/api/ai/kb/sources", token, JSON.writeValueAsString(Map.of("type", "url",
                    "url", site.url("/"), "config", Map.of("max_pages", pages + GeneratedSite.SECTIONS + 1))))
                    .path("id").asText();
            app.awaitSync(token, sourceId, "");
            return "a %d-page generated site synced first, in another tenant (%.1f s)"
                    .formatted(pages, (System.nanoTime() - start) / 1e9);
        }
    }
}
