package io.aidesk.command.knowledge;

import io.aidesk.api.InvalidCommandException;
import io.aidesk.api.knowledge.CrawlConfig;
import io.aidesk.api.knowledge.KnowledgeCommands.CompleteSync;
import io.aidesk.api.knowledge.KnowledgeCommands.DeleteSource;
import io.aidesk.api.knowledge.KnowledgeCommands.RecordDocumentIndexed;
import io.aidesk.api.knowledge.KnowledgeCommands.RegisterSource;
import io.aidesk.api.knowledge.KnowledgeCommands.RequestSync;
import io.aidesk.api.knowledge.KnowledgeCommands.StartSync;
import io.aidesk.api.knowledge.KnowledgeEvents.DocumentIndexed;
import io.aidesk.api.knowledge.KnowledgeEvents.SourceDeleted;
import io.aidesk.api.knowledge.KnowledgeEvents.SourceRegistered;
import io.aidesk.api.knowledge.KnowledgeEvents.SyncCompleted;
import io.aidesk.api.knowledge.KnowledgeEvents.SyncRequested;
import io.aidesk.api.knowledge.KnowledgeEvents.SyncStarted;
import io.aidesk.api.knowledge.SyncCounts;
import io.aidesk.api.tenancy.MetadataKeys;
import io.aidesk.api.tenancy.NotFoundException;
import org.axonframework.messaging.MetaData;
import org.axonframework.eventsourcing.AggregateDeletedException;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

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
    }

    private static SourceRegistered registered() {
        return new SourceRegistered(ID, "acme", "url", URL, null, null, CONFIG, "ana");
    }

    @Test
    void registeringASourceQueuesItsFirstSync() {
        fixture.givenNoPriorActivity()
                .when(new RegisterSource(ID, "url", URL, null, null, CONFIG, "sync-1"), ACME)
                .expectEvents(registered(), new SyncRequested(ID, "acme", "sync-1", "url", URL, null, CONFIG));
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
        fixture.given(registered(), new SyncRequested(ID, "acme", "sync-1", "url", URL, null, CONFIG))
                .when(new RequestSync(ID, "sync-2"), ACME)
                .expectNoEvents()
                .expectResultMessagePayload("sync-1");
    }

    @Test
    void aFinishedSourceSyncsAgainOnRequest() {
        fixture.given(registered(), new SyncRequested(ID, "acme", "sync-1", "url", URL, null, CONFIG),
                        new SyncStarted(ID, "acme", "sync-1", 0),
                        new SyncCompleted(ID, "acme", "sync-1", COUNTS, List.of()))
                .when(new RequestSync(ID, "sync-2"), ACME)
                .expectEvents(new SyncRequested(ID, "acme", "sync-2", "url", URL, null, CONFIG));
    }

    @Test
    void aSyncInterruptedByACrashStartsAgainWhenItsRequestIsRedelivered() {
        fixture.given(registered(), new SyncRequested(ID, "acme", "sync-1", "url", URL, null, CONFIG),
                        new SyncStarted(ID, "acme", "sync-1", 0),
                        new DocumentIndexed(ID, "acme", "sync-1", URL, "h", 2, 0, 0, 1, 10))
                .when(new StartSync(ID, "sync-1", 0), ACME)
                .expectEvents(new SyncStarted(ID, "acme", "sync-1", 0))
                .expectResultMessagePayload(true);
    }

    @Test
    void aStaleWorkerIsToldToStopAndRecordsNothing() {
        fixture.given(registered(), new SyncRequested(ID, "acme", "sync-1", "url", URL, null, CONFIG),
                        new SyncStarted(ID, "acme", "sync-1", 0),
                        new SyncCompleted(ID, "acme", "sync-1", COUNTS, List.of()))
                .when(new StartSync(ID, "sync-1", 0), ACME)
                .expectNoEvents()
                .expectResultMessagePayload(false);
        fixture.given(registered(), new SyncRequested(ID, "acme", "sync-1", "url", URL, null, CONFIG))
                .when(new RecordDocumentIndexed(ID, "sync-1", URL, "h", 1, 0, 0, 1, 1), ACME)
                .expectNoEvents()
                .expectResultMessagePayload(false);
        fixture.given(registered(), new SyncRequested(ID, "acme", "sync-1", "url", URL, null, CONFIG))
                .when(new CompleteSync(ID, "sync-1", COUNTS, List.of()), ACME)
                .expectNoEvents()
                .expectResultMessagePayload(false);
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
