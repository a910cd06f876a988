package io.aidesk.ingestion.sync;

import io.aidesk.api.knowledge.KnowledgeCommands.CompleteSync;
import io.aidesk.api.knowledge.KnowledgeCommands.FailSync;
import io.aidesk.api.knowledge.KnowledgeCommands.RecordDocumentIndexed;
import io.aidesk.api.knowledge.KnowledgeCommands.StartSync;
import io.aidesk.api.knowledge.KnowledgeEvents.SyncRequested;
import io.aidesk.api.knowledge.SourceSecrets;
import io.aidesk.api.knowledge.SourceType;
import io.aidesk.api.knowledge.SyncCounts;
import io.aidesk.api.knowledge.SyncError;
import io.aidesk.ingestion.crawl.Crawler;
import io.aidesk.ingestion.crawl.CrawlerSettings;
import io.aidesk.ingestion.crawl.SyncTimeoutException;
import io.aidesk.ingestion.index.KnowledgeFiles;
import io.aidesk.ingestion.index.KnowledgeIndex;
import io.aidesk.ingestion.parse.DocumentParser;
import io.aidesk.ingestion.parse.ParsedDocument;
import io.aidesk.ingestion.parse.UnreadableDocumentException;
import io.aidesk.api.tenancy.MetadataKeys;
import jakarta.annotation.PreDestroy;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.UnableToClaimTokenException;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.annotation.MessageHandlerTimeout;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a source's sync when it is requested. It runs on the knowledge-sync processor without an enclosing
 * transaction: each document commits on its own and progress is reported by command as it goes. If the node dies
 * mid-sync, the event is handled again and the content hashes make the second run pick up without duplicating.
 */
@Component
@ProcessingGroup(SyncWorker.PROCESSING_GROUP)
class SyncWorker {
    static final String PROCESSING_GROUP = "knowledge-sync";
    /** Where a pooled streaming processor keeps the segment of the batch in its unit of work. */
    private static final String SEGMENT_RESOURCE = "Processor[" + PROCESSING_GROUP + "]/SegmentId";
    private static final Logger log = LoggerFactory.getLogger(SyncWorker.class);

    private final CommandGateway commands;
    private final KnowledgeIndex index;
    private final KnowledgeFiles files;
    private final CrawlerSettings settings;
    private final TenantSlots slots;
    private final TokenStore tokens;
    private final SourceSecrets secrets;
    private final Duration claimExtension;
    private final AtomicInteger runNumbers = new AtomicInteger();
    private final ExecutorService runs = Executors.newCachedThreadPool(
            task -> new Thread(task, "knowledge-sync-run-" + runNumbers.incrementAndGet()));

    SyncWorker(CommandGateway commands, KnowledgeIndex index, KnowledgeFiles files, CrawlerSettings settings,
               TenantSlots slots, TokenStore tokens, SourceSecrets secrets,
               @Value("${axon.eventhandling.tokenstore.claim-timeout:10s}") Duration claimTimeout) {
        this.secrets = secrets;
        this.commands = commands;
        this.index = index;
        this.files = files;
        this.settings = settings;
        this.slots = slots;
        this.tokens = tokens;
        this.claimExtension = claimTimeout.dividedBy(3);
    }

    // a sync bounds itself (aidesk.crawler.sync-timeout); Axon's default 30 s handler limit would interrupt it
    @MessageHandlerTimeout(timeoutMs = Integer.MAX_VALUE, warningThresholdMs = Integer.MAX_VALUE)
    @EventHandler
    void on(SyncRequested request, EventMessage<?> message) throws Exception {
        // commands sent inside this handler's unit of work would only be published when the whole sync ends:
        // the run gets a thread of its own, so each document and each progress report commits as it happens
        Future<?> run = runs.submit(() -> run(request, causedBy(message)));
        Integer segment = CurrentUnitOfWork.isStarted() ? CurrentUnitOfWork.get().getResource(SEGMENT_RESOURCE) : null;
        try {
            while (!awaited(run)) {
                // a blocked handler does not extend its segment's claim; without this another node would take the
                // segment after the claim timeout and run the same sync a second time
                if (segment != null) {
                    tokens.extendClaim(PROCESSING_GROUP, segment);
                }
            }
        } catch (InterruptedException | UnableToClaimTokenException stopping) {
            run.cancel(true);
            throw stopping;
        }
    }

    /** @return true when the run ended, false after a claim-extension interval */
    private boolean awaited(Future<?> run) throws Exception {
        try {
            run.get(claimExtension.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException stillRunning) {
            return false;
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    @PreDestroy
    void stop() {
        runs.shutdownNow();
    }

    private void run(SyncRequested request, MetaData metaData) {
        Semaphore slot = slots.of(request.tenantId());
        try {
            slot.acquire();
        } catch (InterruptedException stopping) {
            Thread.currentThread().interrupt();
            return;
        }
        try {
            if (Boolean.TRUE.equals(send(new StartSync(request.sourceId(), request.syncId(), 0), metaData))) {
                new Run(request, metaData).sync();
            }
        } catch (AggregateNotFoundException deleted) {
            // the source was deleted while it synced: drop what this run wrote after the purge
            index.purge(request.tenantId(), request.sourceId());
        } catch (InterruptedException stopping) {
            Thread.currentThread().interrupt();
        } finally {
            slot.release();
        }
    }

    /** The tenant, user and correlation of the request, with the request as the cause. */
    private static MetaData causedBy(EventMessage<?> message) {
        MetaData from = message.getMetaData();
        return from.subset(MetadataKeys.TENANT_ID, MetadataKeys.USER_ID, MetadataKeys.CORRELATION_ID)
                .and(MetadataKeys.CAUSATION_ID, message.getIdentifier());
    }

    private Object send(Object command, MetaData metaData) {
        return commands.sendAndWait(GenericCommandMessage.asCommandMessage(command).andMetaData(metaData));
    }

    /** One sync: its counts, its errors, and the URLs that stay in the index. */
    private final class Run implements Crawler.Listener {
        private final SyncRequested request;
        private final MetaData metaData;
        private final long startedAt = System.nanoTime();
        private final List<SyncError> errors = new ArrayList<>();
        private final Set<String> keep = new HashSet<>();
        private int fetched;
        private int documents;
        private int expected = 1;
        private int newChunks;
        private int unchangedChunks;
        private int removedChunks;
        private boolean stopped;

        Run(SyncRequested request, MetaData metaData) {
            this.request = request;
            this.metaData = metaData;
        }

        void sync() throws InterruptedException {
            try {
                if (SourceType.URL.equals(request.type())) {
                    fetched = new Crawler(settings).crawl(request.url(),
                            secrets.of(request.tenantId(), request.sourceId()).orElse(null), request.config(),
                            Instant.now().plus(settings.syncTimeout()), this);
                } else {
                    fetched = 1;
                    KnowledgeFiles.StoredFile file = files.load(request.tenantId(), request.fileId());
                    DocumentParser.Kind kind = DocumentParser.kindOf(file.fileName())
                            .orElseThrow(() -> new UnreadableDocumentException("unsupported file type: " + file.fileName()));
                    document(DocumentParser.parse(file.content(), kind, "file:" + file.fileName(), file.fileName()));
                }
                if (stopped) {
                    return;
                }
                if (documents == 0 && !errors.isEmpty()) {
                    fail(errors.get(0).reason());
                    return;
                }
                // pages that failed this time keep their earlier chunks; pages that vanished lose theirs
                removedChunks += index.removeAllBut(request.tenantId(), request.sourceId(), keep);
                send(new CompleteSync(request.sourceId(), request.syncId(), counts(), errors), metaData);
            } catch (SyncTimeoutException | UnreadableDocumentException e) {
                fail(e.getMessage());
            } catch (AggregateNotFoundException deleted) {
                throw deleted;
            } catch (RuntimeException e) {
                log.warn("sync {} of source {} failed", request.syncId(), request.sourceId(), e);
                fail("the sync stopped on an internal error: " + e.getClass().getSimpleName());
            }
        }

        private void fail(String reason) {
            send(new FailSync(request.sourceId(), request.syncId(), reason, counts(), errors), metaData);
        }

        private SyncCounts counts() {
            return new SyncCounts(fetched, newChunks, unchangedChunks, removedChunks, errors.size(),
                    (System.nanoTime() - startedAt) / 1_000_000);
        }

        @Override
        public boolean document(ParsedDocument document) {
            KnowledgeIndex.Result result = index.index(request.tenantId(), request.sourceId(), document);
            keep.add(document.url());
            documents++;
            newChunks += result.newChunks();
            unchangedChunks += result.unchangedChunks();
            removedChunks += result.removedChunks();
            boolean running = Boolean.TRUE.equals(send(new RecordDocumentIndexed(request.sourceId(),
                    request.syncId(), document.url(), result.contentHash(), result.newChunks(), result.unchangedChunks(),
                    result.removedChunks(), documents + errors.size(), Math.max(expected, documents + errors.size())),
                    metaData));
            stopped = !running;
            return running;
        }

        @Override
        public void error(String url, String reason, boolean gone) {
            errors.add(new SyncError(url, reason));
            if (!gone) {
                keep.add(url);
            }
        }

        @Override
        public void expected(int total) {
            expected = total;
        }
    }
}
