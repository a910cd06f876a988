package io.aidesk.ingestion.sync;

import io.aidesk.api.knowledge.KnowledgeCommands.CompleteSync;
import io.aidesk.api.knowledge.KnowledgeCommands.FailSync;
import io.aidesk.api.knowledge.IndexedDocument;
import io.aidesk.api.knowledge.KnowledgeCommands.RecordDocumentsIndexed;
import io.aidesk.api.knowledge.SourceType;
import io.aidesk.api.knowledge.SyncCounts;
import io.aidesk.api.knowledge.SyncError;
import io.aidesk.api.knowledge.UrlCredentials;
import io.aidesk.ingestion.crawl.Crawl;
import io.aidesk.ingestion.crawl.Crawler;
import io.aidesk.ingestion.crawl.PageMeta;
import io.aidesk.ingestion.crawl.Revisit;
import io.aidesk.ingestion.crawl.SyncTimeoutException;
import io.aidesk.ingestion.index.KnowledgeFiles;
import io.aidesk.ingestion.index.KnowledgeIndex;
import io.aidesk.ingestion.index.TenantTransactions;
import io.aidesk.ingestion.parse.DocumentParser;
import io.aidesk.ingestion.parse.ParsedDocument;
import io.aidesk.ingestion.parse.UnreadableDocumentException;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * One sync of one source: crawls it (or parses its file), hands each document to its {@link IndexPipeline}, reports
 * the documents written by command (every second, or {@link #REPORT_PAGES} at a time), and ends it with its counts
 * and errors. A sync resumed after a crash starts from its frontier's counts. The counts are kept by the sync's
 * thread, the pipeline's writer and the sync's watcher, under this lock.
 */
final class SyncRun implements Crawler.Listener, IndexPipeline.Written {
    private static final Logger log = LoggerFactory.getLogger(SyncRun.class);
    /** The most documents one progress report carries: a sync's events stay few even on a fast site. */
    static final int REPORT_PAGES = 32;

    /**
     * What a run needs from its node.
     *
     * @param nodeStopping whether the node is shutting down: a crawl it stops still writes the pages it fetched, so the
     *                     sync resumed elsewhere does not fetch them again; a cancelled one drops them
     */
    record Tools(Crawler crawler, KnowledgeIndex index, TenantTransactions tenants, KnowledgeFiles files,
                 Function<Object, Object> send, Instant deadline, BooleanSupplier nodeStopping) {
    }

    private final SyncJob job;
    private final Tools tools;
    private final SyncPages pages;
    private final Crawl crawl;
    private final long startedAt = System.nanoTime();
    private final List<SyncError> errors = new ArrayList<>();
    private final Set<String> keep = new HashSet<>();
    private int fetched;
    private int documents;
    private volatile int expected = 1;
    private int newChunks;
    private int unchangedChunks;
    private int removedChunks;
    private volatile boolean stopped;
    /** written since the last progress report */
    private final List<IndexedDocument> unreported = new ArrayList<>();
    private int reportedDone;
    /** as a sync starts, before the crawl knows more */
    private int reportedTotal = 1;
    private Map<String, KnowledgeIndex.Indexed> indexed;
    private final IndexPipeline pipeline;

    /** @param pages the frontier of a URL source's sync (with what it did before a crash); null for a file */
    SyncRun(SyncJob job, Tools tools, SyncPages pages, Crawl crawl) {
        this.job = job;
        this.tools = tools;
        this.pages = pages;
        this.crawl = crawl;
        this.pipeline = new IndexPipeline(tools.index(), tools.tenants(), job.tenantId(), job.sourceId(), this);
        if (pages != null) {
            SyncPages.Earlier earlier = pages.earlier();
            documents = earlier.documents();
            newChunks = earlier.newChunks();
            unchangedChunks = earlier.unchangedChunks();
            removedChunks = earlier.removedChunks();
            errors.addAll(earlier.errors());
            keep.addAll(earlier.keep());
        }
    }

    /** @param credentials the source's secret for its crawl, or null */
    void sync(UrlCredentials credentials) throws InterruptedException {
        try {
            boolean finished = false;
            try {
                read(credentials);
                if (!stopped && (!crawl.stopped() || tools.nodeStopping().getAsBoolean())) {
                    pipeline.finish();
                    finished = true;
                    reportFinished();
                }
            } finally {
                if (!finished) {
                    pipeline.abandon(); // cancelled, failed or out of time: the pages in flight stay queued
                }
            }
            if (stopped || crawl.stopped()) {
                return;
            }
            if (documents == 0 && !errors.isEmpty()) {
                fail(errors.get(0).reason());
                return;
            }
            // pages that failed this time keep their earlier chunks; pages that vanished lose theirs
            removedChunks += tools.index().removeAllBut(job.tenantId(), job.sourceId(), keep);
            tools.send().apply(new CompleteSync(job.sourceId(), job.syncId(), counts(), errors));
        } catch (SyncTimeoutException | UnreadableDocumentException e) {
            fail(e.getMessage());
        } catch (AggregateNotFoundException deleted) {
            throw deleted;
        } catch (RuntimeException e) {
            log.warn("sync {} of source {} failed", job.syncId(), job.sourceId(), e);
            fail("the sync stopped on an internal error: " + e.getClass().getSimpleName());
        }
    }

    private void read(UrlCredentials credentials) throws InterruptedException {
        if (SourceType.URL.equals(job.type())) {
            fetched = tools.crawler().crawl(job.url(), credentials, job.config(), tools.deadline(), this, pages, crawl);
        } else {
            fetched = 1;
            KnowledgeFiles.StoredFile file = tools.files().load(job.tenantId(), job.fileId());
            DocumentParser.Kind kind = DocumentParser.kindOf(file.fileName())
                    .orElseThrow(() -> new UnreadableDocumentException("unsupported file type: " + file.fileName()));
            document(null, DocumentParser.parse(file.content(), kind, "file:" + file.fileName(), file.fileName()),
                    PageMeta.NONE);
        }
    }

    private void fail(String reason) {
        tools.send().apply(new FailSync(job.sourceId(), job.syncId(), reason, counts(), errors));
    }

    private synchronized SyncCounts counts() {
        return new SyncCounts(fetched, newChunks, unchangedChunks, removedChunks, errors.size(),
                (System.nanoTime() - startedAt) / 1_000_000);
    }

    @Override
    public Revisit revisit(String url) {
        KnowledgeIndex.Indexed page = indexed().get(url);
        return page == null ? null : page.revisit();
    }

    @Override
    public boolean unchanged(String url) {
        KnowledgeIndex.Indexed page = indexed().get(url);
        tools.index().revisited(job.tenantId(), page.documentId());
        KnowledgeIndex.Result result = new KnowledgeIndex.Result(page.documentId(), page.contentHash(), 0, page.chunks(), 0);
        if (pages != null) {
            pages.indexed(pages.handOver(url), url, result);
        }
        return indexed(url, result);
    }

    /** The source's pages as earlier syncs indexed them, read once, when the crawl first asks. */
    private Map<String, KnowledgeIndex.Indexed> indexed() {
        if (indexed == null) {
            indexed = tools.index().revisits(job.tenantId(), job.sourceId());
        }
        return indexed;
    }

    /** Handed to the pipeline: the crawl goes on to the next pages while this one's chunks are embedded. */
    @Override
    public boolean document(String requestedUrl, ParsedDocument document, PageMeta meta) {
        String requested = pages == null ? document.url() : pages.handOver(requestedUrl);
        try {
            pipeline.submit(requested, new KnowledgeIndex.Page(document, meta));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            crawl.stop();
        }
        return !stopped;
    }

    /** A page the pipeline writes, in the transaction writing it. */
    @Override
    public void stored(IndexPipeline.WrittenPage page) {
        if (pages != null) {
            pages.indexed(page.requestedUrl(), page.page().document().url(), page.result());
        }
    }

    /** Pages the pipeline wrote, on its writing thread. */
    @Override
    public void committed(List<IndexPipeline.WrittenPage> written) {
        written.forEach(page -> indexed(page.page().document().url(), page.result()));
    }

    private synchronized boolean indexed(String url, KnowledgeIndex.Result result) {
        keep.add(url);
        documents++;
        newChunks += result.newChunks();
        unchangedChunks += result.unchangedChunks();
        removedChunks += result.removedChunks();
        unreported.add(new IndexedDocument(url, result.contentHash(), result.newChunks(), result.unchangedChunks(),
                result.removedChunks()));
        return unreported.size() < REPORT_PAGES ? !stopped : report();
    }

    /** The crawl is over and its pages written: its last report says done of done, whatever it skipped. */
    private synchronized void reportFinished() {
        expected = documents + errors.size();
        report();
    }

    /**
     * Reports the documents written since the last report, with the sync's progress (when either changed); the sync's
     * watcher calls it every second, and a finished sync once more, so its last report says done of done. A sync that
     * is no longer running (cancelled, replaced) is told so here, and stops.
     *
     * @return whether the sync is still running
     */
    synchronized boolean report() {
        int done = documents + errors.size();
        int total = Math.max(expected, done);
        // pages that failed, or a frontier that shrank at the end, move the progress without a document written
        if (unreported.isEmpty() && done == reportedDone && total == reportedTotal) {
            return !stopped;
        }
        boolean running = Boolean.TRUE.equals(tools.send().apply(new RecordDocumentsIndexed(job.sourceId(),
                job.syncId(), List.copyOf(unreported), done, total)));
        unreported.clear();
        reportedDone = done;
        reportedTotal = total;
        stopped = !running;
        if (!running) {
            crawl.stop();
        }
        return running;
    }

    @Override
    public synchronized void error(String url, String reason, boolean gone) {
        errors.add(new SyncError(url, reason));
        if (pages != null) {
            pages.failed(url, reason, gone);
        }
        if (!gone) {
            keep.add(url);
        }
    }

    @Override
    public void expected(int total) {
        expected = total;
    }
}
