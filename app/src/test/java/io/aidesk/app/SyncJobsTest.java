package io.aidesk.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.aidesk.api.tenancy.RowSecurity;
import io.aidesk.ingestion.LoopbackSite;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Syncs as durable jobs, over HTTP: cancelled, resumed after a stop, fair across tenants, on a schedule. */
class SyncJobsTest extends ApiTest {
    private static final String SOURCES = "/api/ai/kb/sources";

    private final List<LoopbackSite> sites = new ArrayList<>();
    private final List<CountDownLatch> latches = new ArrayList<>();

    @Autowired
    ApplicationContext context;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    PlatformTransactionManager transactions;

    @AfterEach
    void stopSites() {
        latches.forEach(CountDownLatch::countDown);
        sites.forEach(LoopbackSite::close);
    }

    private LoopbackSite site() {
        LoopbackSite site = new LoopbackSite();
        sites.add(site);
        return site;
    }

    /** A page whose first request hangs until the latch opens (30 s at most). */
    private Function<Integer, LoopbackSite.Response> hanging(CountDownLatch latch, String title, String text) {
        latches.add(latch);
        return hit -> {
            if (hit == 1) {
                try {
                    latch.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return LoopbackSite.Response.html(LoopbackSite.helpPage(title, "<p>" + text + "</p>"));
        };
    }

    private static LoopbackSite.Response page(String title, String text, String... links) {
        StringBuilder body = new StringBuilder("<p>" + text + "</p>");
        for (String link : links) {
            body.append(" <a href=\"").append(link).append("\">").append(link).append("</a>");
        }
        return LoopbackSite.Response.html(LoopbackSite.helpPage(title, body.toString()));
    }

    private String createSource(String token, String url, String config) {
        var created = call("POST", SOURCES, token,
                "{\"type\": \"url\", \"url\": \"" + url + "\", \"config\": " + config + "}", Map.of());
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json().path("id").asText();
    }

    private JsonNode source(String token, String id) {
        return get(SOURCES + "/" + id, token).json();
    }

    private JsonNode awaitStatus(String token, String id, String status) {
        return await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> source(token, id), s -> s.path("status").asText().equals(status));
    }

    private JsonNode syncs(String token, String id) {
        var history = get(SOURCES + "/" + id + "/syncs", token);
        assertThat(history.status()).as(history.toString()).isEqualTo(200);
        return history.json().path("items");
    }

    private <T> T inTenant(String tenant, java.util.function.Supplier<T> work) {
        return new TransactionTemplate(transactions).execute(status -> {
            jdbc.queryForObject(RowSecurity.SCOPE_SQL, String.class, tenant);
            return work.get();
        });
    }

    /** Chunks of the source, and how many distinct (document, content) pairs they hold: equal when none is doubled. */
    private int[] chunks(String tenant, String sourceId) {
        return inTenant(tenant, () -> new int[] {
                jdbc.queryForObject("SELECT count(*) FROM ai_kb_chunks WHERE source_id = ?", Integer.class, sourceId),
                jdbc.queryForObject("SELECT count(DISTINCT (document_id, content_hash)) FROM ai_kb_chunks WHERE source_id = ?",
                        Integer.class, sourceId)});
    }

    private int jobsOf(String syncId) {
        return jdbc.queryForObject("SELECT count(*) FROM ai_kb_sync_jobs WHERE task_instance = ?", Integer.class, syncId);
    }

    @Test
    void aRunningSyncIsCancelledWithinSecondsKeepsWhatItIndexedAndMaySyncAgain() {
        LoopbackSite site = site();
        CountDownLatch never = new CountDownLatch(1);
        site.page("/", page("Help", "Welcome to the help center.", "/hours", "/slow", "/after"))
                .page("/hours", page("Opening hours", "We open Monday to Friday from 8am to 6pm."))
                .page("/slow", hanging(never, "Slow", "Emergencies: call 555-0100."))
                .page("/after", page("After", "Reached only after the slow page."));
        String tenant = newTenant();
        String admin = token(tenant, "ana", "admin");
        String id = createSource(admin, site.url("/"), "{}");
        await().atMost(Duration.ofSeconds(30)).until(() -> site.hits("/slow") == 1
                && source(admin, id).path("stats").path("chunks").asInt() > 0);
        String syncId = syncs(admin, id).get(0).path("sync_id").asText();

        var cancelled = call("POST", SOURCES + "/" + id + "/cancel", admin, null, Map.of());

        assertThat(cancelled.status()).as(cancelled.toString()).isEqualTo(200);
        assertThat(cancelled.json().path("sync_id").asText()).isEqualTo(syncId);
        JsonNode source = source(admin, id);
        assertThat(source.path("status").asText()).isEqualTo("cancelled");
        assertThat(source.path("error").asText()).isEqualTo("cancelled by ana");
        // the crawl stops mid-page: its job ends although the page it waits on never answers
        await().atMost(Duration.ofSeconds(5)).until(() -> jobsOf(syncId) == 0);
        int afterHits = site.hits("/after");
        assertThat(afterHits).as("fetched ahead of the slow page at most, never again").isLessThanOrEqualTo(1);
        assertThat(inTenant(tenant, () -> jdbc.queryForObject("SELECT count(*) FROM ai_kb_chunks WHERE source_id = ? "
                + "AND content LIKE '%Reached only after%'", Integer.class, id)))
                .as("the page behind the one the cancel cut off is not indexed").isZero();
        assertThat(source(admin, id).path("stats").path("chunks").asInt()).as("what it indexed stays").isPositive();
        JsonNode history = syncs(admin, id).get(0);
        assertThat(history.path("status").asText()).isEqualTo("cancelled");
        assertThat(history.path("trigger").asText()).isEqualTo("manual");
        assertThat(history.path("started_at").isTextual()).isTrue();

        var again = call("POST", SOURCES + "/" + id + "/cancel", admin, null, Map.of());
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.contentType()).isEqualTo("application/problem+json");
        assertThat(again.json().path("detail").asText()).isEqualTo("the source has no sync queued or running");

        never.countDown();
        assertThat(call("POST", SOURCES + "/" + id + "/sync", admin, null, Map.of()).status()).isEqualTo(202);
        JsonNode synced = awaitStatus(admin, id, "ok");
        assertThat(site.hits("/after")).isEqualTo(afterHits + 1);
        int[] chunks = chunks(tenant, id);
        assertThat(chunks[0]).as("no chunk doubled by the second sync").isEqualTo(chunks[1]);
        assertThat(syncs(admin, id)).extracting(s -> s.path("status").asText()).containsExactly("ok", "cancelled");
        assertThat(synced.path("stats").path("last_sync").path("new_chunks").asInt())
                .as("only the pages the cancelled sync had not reached are embedded")
                .isLessThan(synced.path("stats").path("chunks").asInt());
    }

    @Test
    void aSyncStoppedWithItsNodeResumesWithoutFetchingAFinishedPageAgain() {
        LoopbackSite site = site();
        CountDownLatch slow = new CountDownLatch(1);
        String[] links = {"/p1", "/p2", "/p3", "/p4", "/slow", "/p5"};
        site.page("/", page("Help", "Welcome to the help center.", links))
                .page("/slow", hanging(slow, "Slow", "Burst pipes: call 555-0100 at any hour."));
        for (int i = 1; i <= 5; i++) {
            site.page("/p" + i, page("Article " + i, "Article number " + i + " explains topic " + i + " in full."));
        }
        String tenant = newTenant();
        String admin = token(tenant, "ana", "admin");
        String id = createSource(admin, site.url("/"), "{}");
        // the pages before the slow one are indexed, and the one after it is fetched ahead, waiting its turn
        await().atMost(Duration.ofSeconds(30)).until(() -> site.hits("/slow") == 1
                && source(admin, id).path("stats").path("progress").path("done").asInt() == 5);
        SmartLifecycle jobs = context.getBean("syncJobs", SmartLifecycle.class);

        jobs.stop();
        try {
            assertThat(source(admin, id).path("status").asText()).as("a stopped node's sync is not over").isEqualTo("syncing");
        } finally {
            jobs.start();
        }

        JsonNode done = awaitStatus(admin, id, "ok");
        for (String path : List.of("/", "/p1", "/p2", "/p3", "/p4")) {
            assertThat(site.hits(path)).as(path + " was finished before the stop").isEqualTo(1);
        }
        assertThat(site.hits("/slow")).as("the page cut off by the stop is fetched again").isEqualTo(2);
        assertThat(site.hits("/p5")).as("fetched ahead but not handled before the stop: fetched again").isEqualTo(2);
        assertThat(done.path("stats").path("last_sync").path("fetched").asInt()).isEqualTo(7);
        assertThat(done.path("stats").path("documents").asInt()).isEqualTo(7);
        int[] chunks = chunks(tenant, id);
        assertThat(chunks[0]).isEqualTo(chunks[1]);
        assertThat(done.path("stats").path("last_sync").path("new_chunks").asInt())
                .as("the counts of the pages indexed before the stop are kept").isEqualTo(chunks[0]);
        assertThat(inTenant(tenant, () -> jdbc.queryForObject("SELECT count(*) FROM ai_kb_sync_pages", Integer.class)))
                .as("a finished sync's frontier is gone").isZero();
    }

    @Test
    void aSyncReportsEveryPageItWroteOnceInAFewEvents() throws Exception {
        LoopbackSite site = site();
        List<String> paths = new ArrayList<>();
        for (int i = 1; i <= 40; i++) {
            paths.add("/a" + i);
            site.page("/a" + i, page("Article " + i, "Article " + i + " explains how to reset device model " + i + "."));
        }
        site.page("/", page("Help", "Welcome to the help center.", paths.toArray(String[]::new)));
        String tenant = newTenant();
        String admin = token(tenant, "ana", "admin");
        String id = createSource(admin, site.url("/"), "{}");

        JsonNode done = awaitStatus(admin, id, "ok");

        List<String> reports = inTenant(tenant, () -> jdbc.queryForList("""
                SELECT convert_from(payload, 'UTF8') FROM domain_event_entry
                WHERE aggregate_identifier = ? AND payload_type LIKE '%DocumentsIndexed' ORDER BY sequence_number
                """, String.class, id));
        List<String> reported = new ArrayList<>();
        int lastDone = 0;
        int lastTotal = 0;
        for (String report : reports) {
            JsonNode event = JSON.readTree(report);
            event.path("documents").forEach(document -> reported.add(document.path("url").asText()));
            assertThat(event.path("done").asInt()).as("progress only goes forward").isGreaterThanOrEqualTo(lastDone);
            lastDone = event.path("done").asInt();
            lastTotal = event.path("total").asInt();
        }
        List<String> expected = new ArrayList<>(List.of(site.url("/")));
        paths.forEach(path -> expected.add(site.url(path)));
        assertThat(reported).as("every page written is in the audit once").containsExactlyInAnyOrderElementsOf(expected);
        assertThat(lastDone).isEqualTo(41);
        assertThat(lastTotal).as("the last report says done of done").isEqualTo(41);
        long seconds = done.path("stats").path("last_sync").path("duration_ms").asLong() / 1000;
        assertThat(reports.size()).as("a report a second, or one per 32 pages, not one per page")
                .isLessThanOrEqualTo((int) seconds + 41 / 32 + 2).isLessThan(41);
    }

    @Test
    void oneTenantsSyncsNeverHoldUpAnothers() {
        String big = newTenant();
        String bigAdmin = token(big, "ana", "admin");
        List<String> bigSources = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            LoopbackSite site = site();
            site.page("/", hanging(new CountDownLatch(1), "Big " + i, "A large manual, page one of many."));
            bigSources.add(createSource(bigAdmin, site.url("/"), "{}"));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> bigSources.stream()
                .filter(s -> source(bigAdmin, s).path("status").asText().equals("syncing")).count() == 2);

        LoopbackSite small = site();
        small.page("/", page("Small help", "Our shop opens at nine.", "/returns"))
                .page("/returns", page("Returns", "Returns are free within 30 days."));
        String smallTenant = newTenant();
        String smallAdmin = token(smallTenant, "bea", "admin");
        String smallSource = createSource(smallAdmin, small.url("/"), "{}");

        assertThat(awaitStatus(smallAdmin, smallSource, "ok").path("stats").path("documents").asInt()).isEqualTo(2);
        assertThat(bigSources).as("the big tenant's own syncs, two at a time: the third still waits")
                .extracting(s -> source(bigAdmin, s).path("status").asText())
                .containsExactlyInAnyOrder("syncing", "syncing", "queued");

        latches.forEach(CountDownLatch::countDown);
        bigSources.forEach(s -> awaitStatus(bigAdmin, s, "ok"));
    }

    @Test
    void aSourceOnAScheduleReSyncsByItselfAndEmbedsNothingWhenNothingChanged() {
        LoopbackSite site = site();
        site.page("/", page("Help", "Our plumbers work Monday to Friday.", "/areas"))
                .page("/areas", page("Areas", "We serve Madison and every town within 25 km."));
        String tenant = newTenant();
        String admin = token(tenant, "ana", "admin");
        String id = createSource(admin, site.url("/"), "{\"sync_every\": \"1m\"}");
        JsonNode first = awaitStatus(admin, id, "ok");
        JsonNode schedule = await().atMost(Duration.ofSeconds(10))
                .until(() -> source(admin, id).path("schedule"), s -> s.path("next_at").isTextual());
        assertThat(schedule.path("every").asText()).isEqualTo("1m");
        assertThat(schedule.path("backoff").isNull()).isTrue();
        Instant finished = Instant.parse(syncs(admin, id).get(0).path("finished_at").asText());
        assertThat(Duration.between(finished, Instant.parse(schedule.path("next_at").asText())))
                .isEqualTo(Duration.ofMinutes(1));

        JsonNode history = await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1))
                .until(() -> syncs(admin, id), items -> items.size() == 2 && items.get(0).path("status").asText().equals("ok"));

        assertThat(history.get(0).path("trigger").asText()).isEqualTo("scheduled");
        assertThat(history.get(0).path("counts").path("new_chunks").asInt()).as("the site did not change").isZero();
        assertThat(history.get(0).path("counts").path("unchanged_chunks").asInt())
                .isEqualTo(first.path("stats").path("chunks").asInt());
        assertThat(history.get(1).path("trigger").asText()).isEqualTo("manual");
    }

    @Test
    void failedSyncsInARowBackTheScheduleOffAndSaySo() {
        String tenant = newTenant();
        String admin = token(tenant, "ana", "admin");
        LoopbackSite gone = site();
        String url = gone.url("/");
        gone.close();
        String id = createSource(admin, url, "{\"sync_every\": \"2h\"}");
        awaitStatus(admin, id, "failed");
        await().atMost(Duration.ofSeconds(10)).until(() -> source(admin, id).path("schedule").path("next_at").isTextual());
        assertThat(source(admin, id).path("schedule").path("backoff").isNull()).as("one failure is no pattern").isTrue();

        assertThat(call("POST", SOURCES + "/" + id + "/sync", admin, null, Map.of()).status()).isEqualTo(202);
        JsonNode schedule = await().atMost(Duration.ofSeconds(60)).until(() -> source(admin, id).path("schedule"),
                s -> s.path("backoff").isTextual());

        assertThat(schedule.path("backoff").asText()).startsWith("2 syncs in a row failed (the last: ")
                .endsWith("): the next waits 2 times its interval");
        assertThat(schedule.path("failures").asInt()).as("what the UI words in the tenant's language").isEqualTo(2);
        assertThat(schedule.path("wait_factor").asInt()).isEqualTo(2);
        Instant finished = Instant.parse(syncs(admin, id).get(0).path("finished_at").asText());
        assertThat(Duration.between(finished, Instant.parse(schedule.path("next_at").asText())))
                .isEqualTo(Duration.ofHours(4));
    }

    private static LoopbackSite.Response versioned(String title, String text, Map<String, String> validators,
                                                   String... links) {
        LoopbackSite.Response page = page(title, text, links);
        return new LoopbackSite.Response(200, page.contentType(), page.body(), validators);
    }

    @Test
    void anUnchangedReSyncAsksTheServerWhetherPagesChangedAndEmbedsNothing() {
        LoopbackSite site = site();
        site.page("/sitemap.xml", LoopbackSite.Response.of("application/xml", ("<?xml version=\"1.0\"?><urlset xmlns=\""
                        + "http://www.sitemaps.org/schemas/sitemap/0.9\"><url><loc>" + site.url("/old") + "</loc>"
                        + "<lastmod>2020-01-01</lastmod></url></urlset>").getBytes()))
                .page("/", versioned("Help", "Welcome to the help center.", Map.of("ETag", "\"home-1\""), "/hours", "/areas"))
                .page("/hours", versioned("Opening hours", "We open Monday to Friday from 8am to 6pm.",
                        Map.of("ETag", "\"hours-1\"")))
                .page("/areas", versioned("Areas", "We serve Madison and every town within 25 km.",
                        Map.of("Last-Modified", "Tue, 01 Dec 2026 10:00:00 GMT")))
                .page("/old", page("Archive", "Our archive of old announcements from 2019."));
        String tenant = newTenant();
        String admin = token(tenant, "ana", "admin");
        String id = createSource(admin, site.url("/"), "{}");
        JsonNode first = awaitStatus(admin, id, "ok");
        assertThat(first.path("stats").path("documents").asInt()).isEqualTo(4);
        assertThat(site.conditionalRequests()).as("a first sync has nothing to ask").isEmpty();

        assertThat(call("POST", SOURCES + "/" + id + "/sync", admin, null, Map.of()).status()).isEqualTo(202);
        JsonNode second = await().atMost(Duration.ofSeconds(60)).until(() -> syncs(admin, id),
                items -> items.size() == 2 && items.get(0).path("status").asText().equals("ok")).get(0);

        assertThat(site.conditionalRequests()).containsExactlyInAnyOrder("/", "/hours", "/areas");
        assertThat(site.hits("/old")).as("the sitemap says it has not changed since it was fetched").isEqualTo(1);
        assertThat(second.path("counts").path("new_chunks").asInt()).isZero();
        assertThat(second.path("counts").path("unchanged_chunks").asInt()).isEqualTo(first.path("stats").path("chunks").asInt());
        assertThat(source(admin, id).path("stats").path("documents").asInt())
                .as("the pages linked from a page that answered 304 are still crawled, and kept").isEqualTo(4);

        site.page("/hours", versioned("Opening hours", "We now open Monday to Saturday from 7am to 7pm.",
                Map.of("ETag", "\"hours-2\"")));
        assertThat(call("POST", SOURCES + "/" + id + "/sync", admin, null, Map.of()).status()).isEqualTo(202);
        JsonNode third = await().atMost(Duration.ofSeconds(60)).until(() -> syncs(admin, id),
                items -> items.size() == 3 && items.get(0).path("status").asText().equals("ok")).get(0);
        List<String> hours = inTenant(tenant, () -> jdbc.queryForList("SELECT c.content FROM ai_kb_chunks c "
                + "JOIN ai_kb_documents d ON d.id = c.document_id WHERE c.source_id = ? AND d.url LIKE '%/hours'",
                String.class, id));
        assertThat(third.path("counts").path("new_chunks").asInt()).as("the changed page's chunks, no other")
                .isEqualTo(hours.size());
        assertThat(hours)
                .singleElement().asString().contains("Monday to Saturday");
    }

    @Test
    void aScheduleIsOffHoursOrDaysAndABadOneIsRefusedWithItsField() {
        LoopbackSite site = site();
        site.page("/", page("Help", "Welcome."));
        String tenant = newTenant();
        String admin = token(tenant, "ana", "admin");
        var refused = call("POST", SOURCES, admin, "{\"type\": \"url\", \"url\": \"" + site.url("/")
                + "\", \"config\": {\"sync_every\": \"weekly\"}}", Map.of());
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().path("field").asText()).isEqualTo("config.sync_every");
        assertThat(refused.json().path("detail").asText()).contains("'12h' or '1d'").contains("'weekly'");
        assertThat(get(SOURCES, admin).json().path("items").size()).as("nothing was added").isZero();

        String id = createSource(admin, site.url("/"), "{}");
        assertThat(awaitStatus(admin, id, "ok").path("schedule").path("every").asText()).as("daily unless said")
                .isEqualTo("1d");
        var off = call("PATCH", SOURCES + "/" + id, admin, "{\"config\": {\"sync_every\": \"off\"}}", Map.of());
        assertThat(off.status()).as(off.toString()).isEqualTo(204);
        await().atMost(Duration.ofSeconds(10)).until(() -> source(admin, id).path("schedule"),
                s -> s.path("every").asText().equals("off") && s.path("next_at").isNull());
        var foreign = get(SOURCES + "/" + id + "/syncs", token(newTenant(), "eve", "admin"));
        assertThat(foreign.status()).as("another tenant's source's history is not found").isEqualTo(404);
    }
}
