package io.aidesk.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.aidesk.api.tenancy.RowSecurity;
import io.aidesk.gateway.embedding.MeteredEmbeddingModel;
import io.aidesk.ingestion.LoopbackSite;
import io.aidesk.ingestion.TestFiles;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Knowledge end to end over HTTP: a real site on loopback, the real embedding model, the real Postgres index. */
class KnowledgeApiTest extends ApiTest {
    private static final String SOURCES = "/api/ai/kb/sources";

    private final LoopbackSite site = new LoopbackSite();

    @Autowired
    MeterRegistry meters;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    PlatformTransactionManager transactions;

    @AfterEach
    void stopSite() {
        site.close();
    }

    private static String page(String title, String body) {
        return LoopbackSite.helpPage(title, body);
    }

    private void plumbingSite() {
        site.page("/", LoopbackSite.Response.html(page("Acme help", "<p>Welcome to the Acme Plumbing help center.</p>"
                        + "<a href=\"/help/water-heaters\">Water heaters</a> <a href=\"/help/hours\">Hours</a> "
                        + "<a href=\"/help/areas\">Areas</a> <a href=\"/broken\">Old page</a>")))
                .page("/help/water-heaters", LoopbackSite.Response.html(page("Water heaters",
                        "<h2>Prices</h2><p>Replacing a 40 or 50 gallon water heater costs between $900 and $1,500, "
                                + "depending on venting and permits.</p><h2>Brands</h2><p>We install Rheem and A.O. Smith tanks.</p>")))
                .page("/help/hours", LoopbackSite.Response.html(page("Opening hours",
                        "<p>Our plumbers work Monday to Friday from 8am to 6pm and Saturdays until noon.</p>")))
                .page("/help/areas", LoopbackSite.Response.html(page("Service areas",
                        "<p>We serve Madison and every town within 25 km.</p>")));
    }

    private String createUrlSource(String token, String url, String config) {
        Response created = call("POST", SOURCES, token,
                "{\"type\": \"url\", \"url\": \"" + url + "\", \"config\": " + config + "}", Map.of());
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json().path("id").asText();
    }

    private JsonNode awaitSettled(String token, String sourceId, String previousSyncAt) {
        return await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                .until(() -> get(SOURCES + "/" + sourceId, token).json(), source -> {
                    String status = source.path("status").asText();
                    return (status.equals("ok") || status.equals("failed"))
                            && !source.path("stats").path("last_synced_at").asText().equals(previousSyncAt);
                });
    }

    private JsonNode search(String token, String query, String sourceId) {
        String filters = sourceId == null ? "{\"source_id\": null}" : "{\"source_id\": \"" + sourceId + "\"}";
        Response answer = call("POST", "/api/ai/kb/query", token,
                "{\"query\": \"" + query + "\", \"top_k\": 5, \"filters\": " + filters + "}", Map.of());
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        return answer.json();
    }

    private double embeddedDocuments() {
        return meters.find(MeteredEmbeddingModel.TEXTS).tag("kind", "document").counters().stream()
                .mapToDouble(c -> c.count()).sum();
    }

    /** Chunk ids of one source, read inside the tenant's own row-level security scope. */
    private Set<String> chunkIds(String tenant, String sourceId) {
        return new TransactionTemplate(transactions).execute(status -> {
            jdbc.queryForObject(RowSecurity.SCOPE_SQL, String.class, tenant);
            return new TreeSet<>(jdbc.queryForList("SELECT id FROM ai_kb_chunks WHERE source_id = ?", String.class, sourceId));
        });
    }

    private List<String> chunkTexts(String tenant, String sourceId, String urlPart) {
        return pageChunks(tenant, sourceId, urlPart, "content");
    }

    private List<String> pageChunks(String tenant, String sourceId, String urlPart, String column) {
        return new TransactionTemplate(transactions).execute(status -> {
            jdbc.queryForObject(RowSecurity.SCOPE_SQL, String.class, tenant);
            return jdbc.queryForList("SELECT c." + column + " FROM ai_kb_chunks c JOIN ai_kb_documents d ON d.id = c.document_id "
                    + "WHERE c.source_id = ? AND d.url LIKE ? ORDER BY c.id", String.class, sourceId, "%" + urlPart);
        });
    }

    @Test
    void aWebsiteSyncsAndItsKnowledgeAnswersWithCitations() {
        plumbingSite();
        String tenant = newTenant();
        String admin = token(tenant, "ana", "admin");

        String sourceId = createUrlSource(admin, site.url("/"), "{\"max_pages\": 20, \"same_domain_only\": true}");
        JsonNode source = awaitSettled(admin, sourceId, "");

        assertThat(source.path("status").asText()).isEqualTo("ok");
        JsonNode stats = source.path("stats");
        assertThat(stats.path("documents").asInt()).isEqualTo(4);
        assertThat(stats.path("chunks").asInt()).isGreaterThanOrEqualTo(4);
        assertThat(stats.path("last_sync").path("fetched").asInt()).isEqualTo(5);
        assertThat(stats.path("last_sync").path("errors").asInt()).isEqualTo(1);
        assertThat(stats.path("last_errors").get(0).path("url").asText()).endsWith("/broken");
        assertThat(stats.path("last_errors").get(0).path("reason").asText()).isEqualTo("HTTP 404");
        assertThat(get(SOURCES, token(tenant, "bo", "agent")).json().path("items").findValuesAsText("id")).containsExactly(sourceId);

        JsonNode answer = search(token(tenant, "bo", "agent"), "How much does it cost to replace a water heater?", null);
        JsonNode top = answer.path("chunks").get(0);
        assertThat(top.path("content").asText()).contains("$900 and $1,500");
        assertThat(top.path("source_id").asText()).isEqualTo(sourceId);
        assertThat(top.path("score").asDouble()).isBetween(0.3, 1.0);
        assertThat(top.path("meta").path("headings").toString()).contains("Prices");
        JsonNode citation = answer.path("citations").get(0);
        assertThat(citation.path("chunk_id").asText()).isEqualTo(top.path("chunk_id").asText());
        assertThat(citation.path("url").asText()).isEqualTo(site.url("/help/water-heaters"));
        assertThat(citation.path("title").asText()).isEqualTo("Water heaters");
        assertThat(citation.path("snippet").asText()).contains("$900");
        assertThat(answer.path("chunks").toString()).doesNotContain("© Acme");
    }

    @Test
    void aSyncCommitsPageByPageSoProgressAndChunksShowWhileItRuns() throws Exception {
        CountDownLatch slowPage = new CountDownLatch(1);
        site.page("/", LoopbackSite.Response.html(page("Acme help", "<p>Welcome to the Acme Plumbing help center.</p>"
                        + "<a href=\"/help/hours\">Hours</a> <a href=\"/help/slow\">Slow</a>")))
                .page("/help/hours", LoopbackSite.Response.html(page("Opening hours",
                        "<p>Our plumbers work Monday to Friday from 8am to 6pm and Saturdays until noon.</p>")))
                .page("/help/slow", hit -> {
                    if (hit == 1) {
                        try {
                            slowPage.await(30, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                    return LoopbackSite.Response.html(page("Emergencies", "<p>Call 555-0100 for burst pipes.</p>"));
                });
        String tenant = newTenant();
        String admin = token(tenant, "ana", "admin");
        String sourceId = createUrlSource(admin, site.url("/"), "{}");

        try {
            JsonNode midway = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> get(SOURCES + "/" + sourceId, admin).json(),
                            source -> source.path("stats").path("progress").path("done").asInt() >= 2);
            assertThat(midway.path("status").asText()).isEqualTo("syncing");
            assertThat(midway.path("stats").path("chunks").asInt()).as("pages indexed so far are committed").isPositive();
            assertThat(search(admin, "opening hours saturday", null).path("chunks").size())
                    .as("and already answer queries").isPositive();
        } finally {
            slowPage.countDown();
        }
        JsonNode done = awaitSettled(admin, sourceId, "");
        assertThat(done.path("status").asText()).isEqualTo("ok");
        assertThat(done.path("stats").path("progress").isMissingNode() || done.path("stats").path("progress").isNull())
                .as("no progress once finished").isTrue();
    }

    @Test
    void reSyncsNeverDuplicateAndEmbedOnlyWhatChanged() {
        plumbingSite();
        String tenant = newTenant();
        String admin = token(tenant, "ana", "admin");
        String sourceId = createUrlSource(admin, site.url("/"), "{}");
        JsonNode first = awaitSettled(admin, sourceId, "");
        Set<String> chunks = chunkIds(tenant, sourceId);

        double before = embeddedDocuments();
        Response queued = call("POST", SOURCES + "/" + sourceId + "/sync", admin, null, Map.of());
        assertThat(queued.status()).isEqualTo(202);
        assertThat(queued.json().path("status").asText()).isEqualTo("queued");
        assertThat(queued.json().path("sync_id").asText()).isNotBlank();
        JsonNode unchanged = awaitSettled(admin, sourceId, first.path("stats").path("last_synced_at").asText());

        assertThat(chunkIds(tenant, sourceId)).as("same chunks, same ids").isEqualTo(chunks);
        assertThat(embeddedDocuments() - before).as("embedding calls for an unchanged source").isZero();
        assertThat(unchanged.path("stats").path("last_sync").path("new_chunks").asInt()).isZero();
        assertThat(unchanged.path("stats").path("last_sync").path("unchanged_chunks").asInt()).isEqualTo(chunks.size());

        List<String> waterHeaterChunks = pageChunks(tenant, sourceId, "/help/water-heaters", "id");
        site.page("/help/hours", LoopbackSite.Response.html(page("Opening hours",
                "<p>Our plumbers work Monday to Friday from 8am to 6pm and Saturdays until noon.</p>"
                        + "<h2>Holidays</h2><p>On public holidays we only take emergency calls.</p>")));
        site.remove("/help/areas");
        double beforeChange = embeddedDocuments();
        call("POST", SOURCES + "/" + sourceId + "/sync", admin, null, Map.of());
        JsonNode changed = awaitSettled(admin, sourceId, unchanged.path("stats").path("last_synced_at").asText());

        int fresh = changed.path("stats").path("last_sync").path("new_chunks").asInt();
        assertThat(fresh).isEqualTo(1);
        assertThat(embeddedDocuments() - beforeChange).as("only the changed page's new chunk is embedded").isEqualTo(fresh);
        assertThat(chunkTexts(tenant, sourceId, "/help/hours")).anySatisfy(text -> assertThat(text).contains("emergency calls"));
        assertThat(chunkTexts(tenant, sourceId, "/help/water-heaters")).isNotEmpty();
        assertThat(chunkTexts(tenant, sourceId, "/help/areas")).as("a removed page loses its chunks").isEmpty();
        assertThat(changed.path("stats").path("last_sync").path("removed_chunks").asInt()).isPositive();
        assertThat(pageChunks(tenant, sourceId, "/help/water-heaters", "id")).as("an untouched page keeps its chunk ids")
                .isNotEmpty().isEqualTo(waterHeaterChunks);
    }

    @Test
    void aTenantNeverSeesAnotherTenantsKnowledge() {
        plumbingSite();
        LoopbackSite insurance = new LoopbackSite();
        try {
            insurance.page("/", LoopbackSite.Response.html(page("Globex claims", "<p>To file an insurance claim for water damage, "
                    + "send your policy number and photos within 30 days.</p>")));
            String a = newTenant();
            String b = newTenant();
            String adminA = token(a, "ana", "admin");
            String adminB = token(b, "bob", "admin");
            String sourceA = createUrlSource(adminA, site.url("/"), "{}");
            String sourceB = createUrlSource(adminB, insurance.url("/"), "{}");
            awaitSettled(adminA, sourceA, "");
            awaitSettled(adminB, sourceB, "");

            JsonNode fromA = search(adminA, "insurance claim for water damage policy number", null);
            assertThat(fromA.path("chunks").findValuesAsText("source_id")).isNotEmpty().containsOnly(sourceA);
            assertThat(fromA.toString()).doesNotContain("Globex");
            assertThat(search(adminA, "insurance claim water damage", sourceB).path("chunks").size())
                    .as("a source_id filter naming B's source").isZero();
            assertThat(search(adminB, "insurance claim", null).path("chunks").findValuesAsText("source_id")).containsOnly(sourceB);

            assertThat(get(SOURCES + "/" + sourceB, adminA).status()).isEqualTo(404);
            assertThat(call("POST", SOURCES + "/" + sourceB + "/sync", adminA, null, Map.of()).status()).isEqualTo(404);
            assertThat(call("DELETE", SOURCES + "/" + sourceB, adminA, null, Map.of()).status()).isEqualTo(404);
            assertThat(get(SOURCES, adminA).json().path("items").findValuesAsText("id")).containsExactly(sourceA);
            assertThat(get(SOURCES + "/" + sourceB, adminB).json().path("status").asText()).isEqualTo("ok");
        } finally {
            insurance.close();
        }
    }

    @Test
    void aDeletedSourceLeavesRetrievalAtOnce() {
        plumbingSite();
        String tenant = newTenant();
        String admin = token(tenant, "ana", "admin");
        String sourceId = createUrlSource(admin, site.url("/"), "{}");
        awaitSettled(admin, sourceId, "");
        assertThat(search(admin, "opening hours saturday", null).path("chunks").size()).isPositive();

        assertThat(call("DELETE", SOURCES + "/" + sourceId, admin, null, Map.of()).status()).isEqualTo(204);

        assertThat(search(admin, "opening hours saturday", null).path("chunks").size()).isZero();
        assertThat(chunkIds(tenant, sourceId)).isEmpty();
        assertThat(get(SOURCES + "/" + sourceId, admin).status()).isEqualTo(404);
    }

    @Test
    void everySupportedFileTypeIsIndexed() throws Exception {
        String tenant = newTenant();
        String admin = token(tenant, "ana", "admin");
        byte[] doc;
        try (var in = getClass().getResourceAsStream("/files/globex-policy.doc")) {
            doc = in.readAllBytes();
        }
        Map<String, byte[]> files = Map.of(
                "hours.txt", "Opening hours\n\nWe answer the phone from 7am.".getBytes(StandardCharsets.UTF_8),
                "refunds.md", "# Billing\n## Refunds\nRefunds take five business days.".getBytes(StandardCharsets.UTF_8),
                "faq.html", "<html><body><h1>FAQ</h1><p>We also clean gutters.</p></body></html>".getBytes(StandardCharsets.UTF_8),
                "prices.pdf", TestFiles.pdf(List.of(List.of("Price list"), List.of("Emergency call-out fee: $95 after 6pm."))),
                "policy.docx", TestFiles.docx("Policy", List.<String[]>of(new String[]{"Heading1", "Deductibles"},
                        new String[]{null, "The basic plan has a $500 deductible."}), List.of()),
                "globex-policy.doc", doc);
        List<String> ids = new ArrayList<>();
        for (Map.Entry<String, byte[]> file : files.entrySet()) {
            Response created = upload(SOURCES, admin, Map.of("type", "file"), file.getKey(), file.getValue());
            assertThat(created.status()).as(file.getKey() + ": " + created).isEqualTo(201);
            assertThat(created.json().path("file_id").asText()).isNotBlank();
            ids.add(created.json().path("id").asText());
        }
        for (String id : ids) {
            JsonNode source = awaitSettled(admin, id, "");
            assertThat(source.path("status").asText()).as(source.toString()).isEqualTo("ok");
            assertThat(source.path("stats").path("chunks").asInt()).isPositive();
        }

        JsonNode fee = search(admin, "emergency call-out fee", null).path("chunks").get(0);
        assertThat(fee.path("content").asText()).contains("$95");
        assertThat(fee.path("meta").path("page").asInt()).isEqualTo(2);
        assertThat(search(admin, "slow seepage water damage", null).path("chunks").get(0).path("content").asText())
                .contains("slow seepage");
    }

    @Test
    void aBadUploadIsRefusedWithItsReasonAndLeavesNothingBehind() {
        String tenant = newTenant();
        String admin = token(tenant, "ana", "admin");
        byte[] pdf = TestFiles.pdf(List.of(List.of("A real page")));

        Map<String, byte[]> bad = Map.of(
                "broken.pdf", java.util.Arrays.copyOf(pdf, pdf.length / 3),
                "notes.pdf", "this is plain text".getBytes(StandardCharsets.UTF_8),
                "setup.exe", new byte[]{0x4d, 0x5a, 0x00},
                "empty.txt", new byte[0],
                "locked.pdf", TestFiles.encryptedPdf(List.of(List.of("secret")), "pw"));
        for (Map.Entry<String, byte[]> file : bad.entrySet()) {
            Response refused = upload(SOURCES, admin, Map.of("type", "file"), file.getKey(), file.getValue());
            assertThat(refused.status()).as(file.getKey()).isEqualTo(400);
            assertThat(refused.contentType()).startsWith("application/problem+json");
            assertThat(refused.json().path("detail").asText()).as(file.getKey()).contains(file.getKey());
        }
        Response huge = upload(SOURCES, admin, Map.of("type", "file"), "huge.txt",
                "x".repeat(3 * 1024 * 1024).getBytes(StandardCharsets.UTF_8));
        assertThat(huge.status()).isEqualTo(413);
        assertThat(huge.contentType()).startsWith("application/problem+json");
        assertThat(upload(SOURCES, admin, Map.of("type", "file"), null, null).status()).isEqualTo(400);
        Response control = upload(SOURCES, admin, Map.of("type", "file"), "notes\u0007\t.txt", "hi".getBytes());
        assertThat(control.status()).as(control.toString()).isEqualTo(400);
        assertThat(control.json().path("detail").asText()).contains("control characters");
        assertThat(upload(SOURCES, admin, Map.of("type", "url"), "a.txt", "hi".getBytes()).status()).isEqualTo(400);
        assertThat(upload(SOURCES, admin, Map.of("type", "file", "tenant_id", "other"), "a.txt", "hi".getBytes()).status())
                .isEqualTo(400);

        assertThat(get(SOURCES, admin).json().path("items").size()).isZero();
        Integer files = new TransactionTemplate(transactions).execute(status -> {
            jdbc.queryForObject(RowSecurity.SCOPE_SQL, String.class, tenant);
            return jdbc.queryForObject("SELECT count(*) FROM ai_kb_files", Integer.class);
        });
        assertThat(files).isZero();
    }

    @Test
    void aSourceThatCannotBeReachedFailsWithTheReason() {
        String tenant = newTenant();
        String admin = token(tenant, "ana", "admin");

        JsonNode missing = awaitSettled(admin, createUrlSource(admin, site.url("/nothing-here"), "{}"), "");
        assertThat(missing.path("status").asText()).isEqualTo("failed");
        assertThat(missing.path("error").asText()).isEqualTo("HTTP 404");

        JsonNode internal = awaitSettled(admin, createUrlSource(admin, "http://10.255.255.1/", "{}"), "");
        assertThat(internal.path("status").asText()).isEqualTo("failed");
        assertThat(internal.path("error").asText()).contains("private");
    }

    @Test
    void badRequestsAreRefusedPreciselyAndRolesAreEnforced() {
        String tenant = newTenant();
        String admin = token(tenant, "ana", "admin");
        Map<String, String> badSources = Map.of(
                "{\"type\": \"url\", \"url\": \"ftp://acme.test/\"}", "url",
                "{\"type\": \"url\", \"url\": \"https://acme.test/\", \"config\": {\"max_pages\": 0}}", "config.max_pages",
                "{\"type\": \"url\", \"url\": \"https://acme.test/\", \"config\": {\"include_paths\": [\"help\"]}}", "config.include_paths[0]",
                "{\"type\": \"url\", \"url\": \"https://acme.test/\", \"config\": {\"max_pages\": \"many\"}}", "config.max_pages",
                "{\"type\": \"file\", \"url\": \"https://acme.test/\"}", "type",
                "{\"type\": \"url\"}", "url",
                "{\"type\": \"url\", \"url\": \"https://acme.test/\", \"colour\": \"red\"}", "colour");
        badSources.forEach((body, field) -> {
            Response refused = call("POST", SOURCES, admin, body, Map.of());
            assertThat(refused.status()).as(body).isEqualTo(400);
            assertThat(refused.json().path("field").asText()).as(body).isEqualTo(field);
        });
        Map<String, String> badQueries = Map.of(
                "{\"query\": \"\"}", "query",
                "{\"query\": \"hours\", \"top_k\": 0}", "top_k",
                "{\"query\": \"hours\", \"top_k\": 500}", "top_k",
                "{\"query\": \"hours\", \"filters\": {\"source_id\": \"x'; drop table\"}}", "filters.source_id");
        badQueries.forEach((body, field) -> {
            Response refused = call("POST", "/api/ai/kb/query", admin, body, Map.of());
            assertThat(refused.status()).as(body).isEqualTo(400);
            assertThat(refused.json().path("field").asText()).as(body).isEqualTo(field);
        });
        assertThat(get(SOURCES, admin).json().path("items").size()).isZero();

        String agent = token(tenant, "bo", "agent");
        assertThat(call("POST", SOURCES, agent, "{\"type\": \"url\", \"url\": \"https://acme.test/\"}", Map.of()).status())
                .isEqualTo(403);
        assertThat(get(SOURCES, agent).status()).isEqualTo(200);
        assertThat(get(SOURCES, token(tenant, "svc", "service")).status()).isEqualTo(403);
        assertThat(call("POST", "/api/ai/kb/query", token(tenant, "au", "auditor"), "{\"query\": \"hours\"}", Map.of()).status())
                .isEqualTo(200);
        assertThat(get(SOURCES + "/not-an-id", admin).status()).isEqualTo(404);
    }

    @Test
    void theSameWebsiteTwiceIsRefusedWhileOtherRulesAndOtherTenantsAreNot() throws Exception {
        String tenant = newTenant();
        String admin = token(tenant, "ana", "admin");
        String rules = "{\"include_paths\": [\"/docs/**\"], \"sync_every\": \"off\"}";
        String first = createUrlSource(admin, "https://help.acme.test/docs/", rules);

        for (String again : List.of("https://help.acme.test/docs/", "HTTPS://Help.Acme.Test:443/docs",
                "https://help.acme.test/docs#intro")) {
            Response refused = call("POST", SOURCES, admin, "{\"type\": \"url\", \"url\": \"" + again
                    + "\", \"config\": {\"include_paths\": [\"/docs/**\"], \"max_pages\": 10}}", Map.of());
            assertThat(refused.status()).as(again).isEqualTo(409);
            assertThat(refused.contentType()).startsWith("application/problem+json");
            assertThat(refused.json().path("detail").asText()).as(again)
                    .contains("already has a source for https://help.acme.test/docs/").contains(first);
        }
        assertThat(get(SOURCES, admin).json().path("items").size()).as("a refused source leaves nothing").isEqualTo(1);

        createUrlSource(admin, "https://help.acme.test/docs/", "{\"include_paths\": [\"/docs/api/**\"]}");
        createUrlSource(token(newTenant(), "ana", "admin"), "https://help.acme.test/docs/", rules);
        assertThat(get(SOURCES, admin).json().path("items").size()).isEqualTo(2);

        // two requests at once for one new site: one source
        String site = "{\"type\": \"url\", \"url\": \"https://kb.acme.test/\", \"config\": {\"sync_every\": \"off\"}}";
        CountDownLatch start = new CountDownLatch(1);
        List<Integer> statuses = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Thread> posts = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Thread post = new Thread(() -> {
                try {
                    start.await();
                    statuses.add(call("POST", SOURCES, admin, site, Map.of()).status());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            post.start();
            posts.add(post);
        }
        start.countDown();
        for (Thread post : posts) {
            post.join(30_000);
        }
        assertThat(statuses).containsExactlyInAnyOrder(201, 409);

        assertThat(call("DELETE", SOURCES + "/" + first, admin, null, Map.of()).status()).isEqualTo(204);
        createUrlSource(admin, "https://help.acme.test/docs/", rules);
    }

    @Test
    void syncRequestsAreRateLimitedPerTenant() {
        String flooding = token(newTenant(), "ana", "admin");
        String unknownSource = SOURCES + "/" + java.util.UUID.randomUUID() + "/sync";
        for (int i = 0; i < 20; i++) {
            assertThat(call("POST", unknownSource, flooding, null, Map.of()).status()).isEqualTo(404);
        }

        Response limited = call("POST", unknownSource, flooding, null, Map.of());

        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.contentType()).startsWith("application/problem+json");
        assertThat(Integer.parseInt(limited.headers().firstValue("Retry-After").orElseThrow())).isBetween(1, 60);
        assertThat(call("POST", unknownSource, token(newTenant(), "bob", "admin"), null, Map.of()).status())
                .as("another tenant is not slowed").isEqualTo(404);
    }

    /** Issue 15: credentials in a source's URL are its secret: the crawl uses them on its own origin, no read shows them. */
    @Test
    void aSourceAddedWithCredentialsIsCrawledWithThemAndNoReadShowsThem() {
        String password = "pa55-" + UUID.randomUUID();
        String basic = "Basic " + Base64.getEncoder().encodeToString(("helpdesk:" + password).getBytes(StandardCharsets.UTF_8));
        try (LoopbackSite partner = new LoopbackSite()) {
            // the partner listens on the same host but another port: another origin, still within the crawl's scope
            partner.page("/elsewhere", LoopbackSite.Response.html(page("Partner", "<p>Partner page about gutters.</p>")))
                    .page("/moved-here", LoopbackSite.Response.html(page("Moved", "<p>Moved page about roofs.</p>")));
            site.requireBasicAuth("helpdesk", password)
                    .page("/", LoopbackSite.Response.html(page("Members help",
                            "<p>Members get a free drain inspection every spring.</p><a href=\"/help/members\">Members</a> "
                                    + "<a href=\"/help/moved\">Moved</a> <a href=\"" + partner.url("/elsewhere") + "\">Partner</a>")))
                    .page("/help/members", LoopbackSite.Response.html(page("Membership",
                            "<p>The membership costs $12 a month and includes priority call-outs.</p>")))
                    .page("/help/moved", LoopbackSite.Response.redirect(partner.url("/moved-here")));
            String tenant = newTenant();
            String admin = token(tenant, "ana", "admin");
            String withCredentials = site.url("/").replace("http://", "http://helpdesk:" + password + "@");

            Response created = call("POST", SOURCES, admin,
                    "{\"type\": \"url\", \"url\": \"" + withCredentials + "\", \"config\": {}}", Map.of());
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
            assertThat(created.json().path("url").asText()).isEqualTo(site.url("/"));
            assertThat(created.body()).doesNotContain(password);
            String sourceId = created.json().path("id").asText();
            JsonNode source = awaitSettled(admin, sourceId, "");

            assertThat(source.path("status").asText()).as(source.toString()).isEqualTo("ok");
            assertThat(site.authorizations()).as("every request to the source's origin is authenticated")
                    .isNotEmpty().containsOnly(basic);
            assertThat(partner.hits("/elsewhere")).as("the link to the partner was followed").isOne();
            assertThat(partner.hits("/moved-here")).as("so was the redirect").isOne();
            assertThat(partner.authorizations()).as("no other origin gets the credentials").isNotEmpty().containsOnly("");
            assertThat(search(token(tenant, "bo", "agent"), "How much is the membership?", sourceId).path("chunks").toString())
                    .contains("$12 a month");

            for (String role : List.of("admin", "agent", "auditor")) {
                String reader = token(tenant, "r-" + role, role);
                Response list = get(SOURCES, reader);
                Response detail = get(SOURCES + "/" + sourceId, reader);
                assertThat(list.status()).as(role).isEqualTo(200);
                assertThat(detail.status()).as(role).isEqualTo(200);
                assertThat(detail.json().path("url").asText()).as(role).isEqualTo(site.url("/"));
                assertThat(list.body() + detail.body()).as(role).contains(sourceId).doesNotContain(password)
                        .doesNotContain("helpdesk:");
            }
            Response export = get("/api/ai/audit/export?from=2026-01-01&to=2099-01-01", token(tenant, "au", "auditor"));
            assertThat(export.status()).isEqualTo(200);
            assertThat(export.body()).contains(sourceId).contains("SourceRegistered").doesNotContain(password);

            Map<String, Object> stored = new TransactionTemplate(transactions).execute(status -> {
                jdbc.queryForObject(RowSecurity.SCOPE_SQL, String.class, tenant);
                return jdbc.queryForMap("""
                        SELECT (SELECT string_agg(convert_from(payload, 'UTF8') || convert_from(meta_data, 'UTF8'), ' ')
                                  FROM domain_event_entry WHERE aggregate_identifier = ?) AS events,
                               (SELECT url FROM ai_kb_sources WHERE id = ?) AS url,
                               (SELECT encode(secret, 'escape') FROM ai_kb_source_secrets WHERE source_id = ?) AS secret
                        """, sourceId, sourceId, sourceId);
            });
            assertThat((String) stored.get("events")).contains(sourceId).doesNotContain(password);
            assertThat(stored.get("url")).isEqualTo(site.url("/"));
            assertThat((String) stored.get("secret")).as("kept, sealed").isNotEmpty().doesNotContain(password)
                    .doesNotContain("helpdesk");

            assertThat(call("DELETE", SOURCES + "/" + sourceId, admin, null, Map.of()).status()).isEqualTo(204);
            Integer secretsLeft = new TransactionTemplate(transactions).execute(status -> {
                jdbc.queryForObject(RowSecurity.SCOPE_SQL, String.class, tenant);
                return jdbc.queryForObject("SELECT count(*) FROM ai_kb_source_secrets WHERE source_id = ?", Integer.class,
                        sourceId);
            });
            assertThat(secretsLeft).as("a deleted source's secret goes with it").isZero();
        }
    }

    @Test
    void aRefusedSourceWithCredentialsKeepsNoSecretAndItsProblemShowsNoPassword() {
        String tenant = newTenant();
        String admin = token(tenant, "ana", "admin");

        Response refused = call("POST", SOURCES, admin,
                "{\"type\": \"url\", \"url\": \"ftp://helpdesk:hunter2-secret@files.example.com/\"}", Map.of());

        assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
        assertThat(refused.body()).contains("only http and https URLs can be crawled, not 'ftp://files.example.com/'")
                .doesNotContain("hunter2-secret");
        Response unparsable = call("POST", SOURCES, admin,
                "{\"type\": \"url\", \"url\": \"https://helpdesk:hunter2 secret@files.example.com/\"}", Map.of());
        assertThat(unparsable.status()).as(unparsable.toString()).isEqualTo(400);
        assertThat(unparsable.body()).contains("not a valid URL: Illegal character in authority at index")
                .doesNotContain("hunter2");
        Integer secrets = new TransactionTemplate(transactions).execute(status -> {
            jdbc.queryForObject(RowSecurity.SCOPE_SQL, String.class, tenant);
            return jdbc.queryForObject("SELECT count(*) FROM ai_kb_source_secrets", Integer.class);
        });
        assertThat(secrets).isZero();
        assertThat(get(SOURCES, admin).json().path("items").size()).isZero();
    }

    /** Issue 15: 40,000 '[' took 34 s to read, in the upload's request and again in its sync; the bound guards a hang. */
    @Test
    void aMarkdownFileOfUnclosedBracketsIsTakenAndSyncedPromptly() {
        String tenant = newTenant();
        String admin = token(tenant, "ana", "admin");
        byte[] markdown = ("# Brackets\n\n" + "[".repeat(40_000) + "\n\nGutters are cleaned every autumn.\n")
                .getBytes(StandardCharsets.UTF_8);

        Response created = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(20),
                () -> upload(SOURCES, admin, Map.of("type", "file"), "brackets.md", markdown));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        JsonNode source = awaitSettled(admin, created.json().path("id").asText(), "");

        assertThat(source.path("status").asText()).as(source.toString()).isEqualTo("ok");
        assertThat(search(admin, "When are gutters cleaned?", source.path("id").asText()).path("chunks").toString())
                .contains("Gutters are cleaned every autumn.");
    }
}
