package io.aidesk.command.knowledge;

import io.aidesk.api.InvalidCommandException;
import io.aidesk.api.knowledge.CrawlConfig;
import io.aidesk.api.knowledge.IndexedDocument;
import io.aidesk.api.knowledge.KnowledgeCommands.CancelSync;
import io.aidesk.api.knowledge.KnowledgeCommands.ChangeSourceConfig;
import io.aidesk.api.knowledge.KnowledgeCommands.CompleteSync;
import io.aidesk.api.knowledge.KnowledgeCommands.DeleteSource;
import io.aidesk.api.knowledge.KnowledgeCommands.RecordDocumentsIndexed;
import io.aidesk.api.knowledge.KnowledgeCommands.RegisterSource;
import io.aidesk.api.knowledge.KnowledgeCommands.RequestSync;
import io.aidesk.api.knowledge.KnowledgeCommands.StartSync;
import io.aidesk.api.knowledge.KnowledgeEvents.DocumentsIndexed;
import io.aidesk.api.knowledge.KnowledgeEvents.SourceConfigChanged;
import io.aidesk.api.knowledge.KnowledgeEvents.SourceDeleted;
import io.aidesk.api.knowledge.KnowledgeEvents.SourceRegistered;
import io.aidesk.api.knowledge.KnowledgeEvents.SyncCancelled;
import io.aidesk.api.knowledge.KnowledgeEvents.SyncCompleted;
import io.aidesk.api.knowledge.KnowledgeEvents.SyncRequested;
import io.aidesk.api.knowledge.KnowledgeEvents.SyncStarted;
import io.aidesk.api.knowledge.SyncCounts;
import io.aidesk.api.knowledge.SyncTrigger;
import io.aidesk.api.tenancy.MetadataKeys;
import io.aidesk.api.tenancy.NotFoundException;
import org.axonframework.messaging.MetaData;
import org.axonframework.eventsourcing.AggregateDeletedException;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

class KnowledgeSourceTest {
    private static final String ID = "5b0d7c1e-0000-4000-8000-000000000001";
    private static final String URL = "https://acme.test/help";
    private static final CrawlConfig CONFIG = new CrawlConfig(50, true, List.of("/help/**"), List.of());
    private static final MetaData ACME = MetaData.with(MetadataKeys.TENANT_ID, "acme").and(MetadataKeys.USER_ID, "ana");
    private static final SyncCounts COUNTS = new SyncCounts(3, 5, 0, 0, 0, 120);

    private AggregateTestFixture<KnowledgeSource> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(KnowledgeSource.class);
        fixture.registerInjectableResource(new SyncIntervals(Duration.ofHours(1)));
    }

    private static SyncRequested requested(String syncId) {
        return new SyncRequested(ID, "acme", syncId, "url", URL, null, CONFIG, SyncTrigger.MANUAL);
    }

    private static SourceRegistered registered() {
        return new SourceRegistered(ID, "acme", "url", URL, null, null, CONFIG, "ana");
    }

    @Test
    void registeringASourceQueuesItsFirstSync() {
        fixture.givenNoPriorActivity()
                .when(new RegisterSource(ID, "url", URL, null, null, CONFIG, "sync-1"), ACME)
                .expectEvents(registered(), requested("sync-1"));
    }

    @Test
    void aSourceMustBeAnHttpUrlOrAnUploadedFile() {
        fixture.givenNoPriorActivity()
                .when(new RegisterSource(ID, "url", "file:///etc/passwd", null, null, CONFIG, "s"), ACME)
                .expectException(InvalidCommandException.class).expectNoEvents();
        fixture.givenNoPriorActivity()
                .when(new RegisterSource(ID, "url", URL, null, null, new CrawlConfig(0, true, null, null), "s"), ACME)
                .expectException(InvalidCommandException.class).expectNoEvents();
        fixture.givenNoPriorActivity()
                .when(new RegisterSource(ID, "file", null, null, "a.pdf", null, "s"), ACME)
                .expectException(InvalidCommandException.class).expectNoEvents();
    }

    @Test
    void aSecondSyncRequestWhileOneIsQueuedQueuesNothing() {
        fixture.given(registered(), requested("sync-1"))
                .when(new RequestSync(ID, "sync-2"), ACME)
                .expectNoEvents()
                .expectResultMessagePayload("sync-1");
    }

    @Test
    void aFinishedSourceSyncsAgainOnRequest() {
        fixture.given(registered(), requested("sync-1"),
                        new SyncStarted(ID, "acme", "sync-1", 0),
                        new SyncCompleted(ID, "acme", "sync-1", COUNTS, List.of()))
                .when(new RequestSync(ID, "sync-2"), ACME)
                .expectEvents(requested("sync-2"));
    }

    @Test
    void aSyncInterruptedByACrashStartsAgainWhenItsRequestIsRedelivered() {
        fixture.given(registered(), requested("sync-1"),
                        new SyncStarted(ID, "acme", "sync-1", 0),
                        new DocumentsIndexed(ID, "acme", "sync-1", List.of(new IndexedDocument(URL, "h", 2, 0, 0)), 1, 10))
                .when(new StartSync(ID, "sync-1", 0), ACME)
                .expectEvents(new SyncStarted(ID, "acme", "sync-1", 0))
                .expectResultMessagePayload(true);
    }

    @Test
    void aRunningSyncReportsThePagesItWroteInOneEvent() {
        List<IndexedDocument> pages = List.of(new IndexedDocument(URL, "h1", 3, 0, 0),
                new IndexedDocument(URL + "faq", "h2", 0, 2, 1));
        fixture.given(registered(), requested("sync-1"), new SyncStarted(ID, "acme", "sync-1", 0))
                .when(new RecordDocumentsIndexed(ID, "sync-1", pages, 2, 12), ACME)
                .expectEvents(new DocumentsIndexed(ID, "acme", "sync-1", pages, 2, 12))
                .expectResultMessagePayload(true);
    }

    @Test
    void aStaleWorkerIsToldToStopAndRecordsNothing() {
        fixture.given(registered(), requested("sync-1"),
                        new SyncStarted(ID, "acme", "sync-1", 0),
                        new SyncCompleted(ID, "acme", "sync-1", COUNTS, List.of()))
                .when(new StartSync(ID, "sync-1", 0), ACME)
                .expectNoEvents()
                .expectResultMessagePayload(false);
        fixture.given(registered(), requested("sync-1"))
                .when(new RecordDocumentsIndexed(ID, "sync-1", List.of(new IndexedDocument(URL, "h", 1, 0, 0)), 1, 1), ACME)
                .expectNoEvents()
                .expectResultMessagePayload(false);
        fixture.given(registered(), requested("sync-1"))
                .when(new CompleteSync(ID, "sync-1", COUNTS, List.of()), ACME)
                .expectNoEvents()
                .expectResultMessagePayload(false);
    }

    @Test
    void aScheduledSyncSaysItWasTheSchedules() {
        fixture.given(registered(), requested("sync-1"), new SyncStarted(ID, "acme", "sync-1", 0),
                        new SyncCompleted(ID, "acme", "sync-1", COUNTS, List.of()))
                .when(new RequestSync(ID, "sync-2", SyncTrigger.SCHEDULED), ACME)
                .expectEvents(new SyncRequested(ID, "acme", "sync-2", "url", URL, null, CONFIG, SyncTrigger.SCHEDULED));
    }

    @Test
    void aCancelledSyncStopsItsWorkerAndTheSourceMaySyncAgain() {
        fixture.given(registered(), requested("sync-1"), new SyncStarted(ID, "acme", "sync-1", 0))
                .when(new CancelSync(ID), ACME)
                .expectEvents(new SyncCancelled(ID, "acme", "sync-1", "ana"))
                .expectResultMessagePayload("sync-1");
        fixture.given(registered(), requested("sync-1"), new SyncStarted(ID, "acme", "sync-1", 0),
                        new SyncCancelled(ID, "acme", "sync-1", "ana"))
                .when(new RecordDocumentsIndexed(ID, "sync-1", List.of(new IndexedDocument(URL, "h", 1, 0, 0)), 1, 1), ACME)
                .expectNoEvents()
                .expectResultMessagePayload(false);
        fixture.given(registered(), requested("sync-1"), new SyncCancelled(ID, "acme", "sync-1", "ana"))
                .when(new RequestSync(ID, "sync-2"), ACME)
                .expectEvents(requested("sync-2"));
    }

    @Test
    void cancellingASourceAtRestChangesNothing() {
        fixture.given(registered(), requested("sync-1"), new SyncStarted(ID, "acme", "sync-1", 0),
                        new SyncCompleted(ID, "acme", "sync-1", COUNTS, List.of()))
                .when(new CancelSync(ID), ACME)
                .expectNoEvents()
                .expectResultMessagePayload(null);
    }

    @Test
    void aSyncIntervalIsOffOrHoursOrDaysAndNoShorterThanAllowed() {
        CrawlConfig hourly = new CrawlConfig(50, true, List.of(), List.of(), "6h");
        fixture.given(registered())
                .when(new ChangeSourceConfig(ID, hourly), ACME)
                .expectEvents(new SourceConfigChanged(ID, "acme", hourly));
        for (String refused : List.of("5m", "daily", "0d", "1w", "")) {
            fixture.given(registered())
                    .when(new ChangeSourceConfig(ID, new CrawlConfig(50, true, List.of(), List.of(), refused)), ACME)
                    .expectNoEvents()
                    .expectException(InvalidCommandException.class)
                    .expectExceptionMessage(Matchers.containsString("sync_every"));
        }
    }

    @Test
    void anotherTenantsSourceIsNotFound() {
        fixture.given(registered())
                .when(new DeleteSource(ID), MetaData.with(MetadataKeys.TENANT_ID, "globex"))
                .expectNoEvents()
                .expectException(NotFoundException.class);
    }

    @Test
    void aDeletedSourceTakesNoMoreCommands() {
        fixture.given(registered(), new SourceDeleted(ID, "acme", null))
                .when(new RequestSync(ID, "sync-9"), ACME)
                .expectException(Matchers.instanceOf(AggregateDeletedException.class));
    }
}
