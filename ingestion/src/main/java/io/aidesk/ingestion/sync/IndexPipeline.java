package io.aidesk.ingestion.sync;

import io.aidesk.gateway.embedding.EmbeddingShares;
import io.aidesk.ingestion.index.KnowledgeIndex;
import io.aidesk.ingestion.index.TenantTransactions;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A sync's indexing in three stages, so the embedder never waits for the crawl or the database: the sync's own thread
 * fetches, parses and chunks each page; one thread gathers the new chunks of the pages waiting into calls to the
 * embedder, several small pages in one call, with two calls on their way so the model's threads never wait between
 * them; one thread writes each call's pages in one transaction, in the order the crawl found them. The queues are
 * short (a call's worth of new texts waiting, two calls on their way): a crawl ahead of its embedder waits, and a
 * crash loses at most the pages in flight (still queued in the sync's frontier, so fetched again, never written
 * twice).
 */
final class IndexPipeline {
    /** The most texts the embedder takes in one go (from as many waiting pages as fit, at least one page). */
    static final int BATCH_TEXTS = 64;
    /**
     * Pages prepared and waiting for the embedder, whatever their size: enough small pages for a full call, few enough
     * that a node killed mid-sync leaves only these, and the calls on their way, to be fetched again.
     */
    static final int WAITING = 8;
    /**
     * Calls embedding or waiting to be written: the next call's texts are queued on the model's threads while the
     * last texts of one finish, where one call at a time left a thread idle at the end of each.
     */
    static final int CALLS = 2;
    private static final AtomicInteger NUMBERS = new AtomicInteger();

    /** A page written, as the crawl requested it. */
    record WrittenPage(String requestedUrl, KnowledgeIndex.Page page, KnowledgeIndex.Result result) {
    }

    /** What is done with the pages written, on the writing thread. */
    interface Written {
        /** In the transaction writing the page: what is recorded with it. */
        void stored(WrittenPage page);

        /** Once the transaction writing these pages committed. */
        void committed(List<WrittenPage> pages);
    }

    private record Item(String requestedUrl, KnowledgeIndex.Prepared page) {
    }

    /** One call to the embedder: its pages, in crawl order, and their new chunks' vectors once embedded. */
    private record Call(List<Item> pages, CompletableFuture<List<float[]>> vectors) {
    }

    private static final Item END = new Item(null, null);
    private static final Call LAST = new Call(List.of(), null);

    private final KnowledgeIndex index;
    private final TenantTransactions tenants;
    private final String tenant;
    private final String sourceId;
    private final Written written;
    private final BlockingQueue<Item> toEmbed = new ArrayBlockingQueue<>(WAITING);
    /** new texts waiting: one full call's worth, so small pages fill the next call while the embedder runs this one */
    private final Semaphore waitingTexts = new Semaphore(BATCH_TEXTS);
    private final Semaphore callsOnTheirWay = new Semaphore(CALLS);
    private final BlockingQueue<Call> toWrite = new ArrayBlockingQueue<>(CALLS + 1);
    private volatile RuntimeException failure;
    private volatile boolean abandoned;
    private Thread embedder;
    private Thread writer;
    private ExecutorService calls;

    IndexPipeline(KnowledgeIndex index, TenantTransactions tenants, String tenant, String sourceId, Written written) {
        this.index = index;
        this.tenants = tenants;
        this.tenant = tenant;
        this.sourceId = sourceId;
        this.written = written;
    }

    /**
     * Chunks the page on the caller's thread and hands it on; waits while the embedder is a few pages behind.
     * Rethrows what stopped an earlier page.
     */
    void submit(String requestedUrl, KnowledgeIndex.Page page) throws InterruptedException {
        rethrow();
        KnowledgeIndex.Prepared prepared = index.prepare(tenant, sourceId, page);
        if (embedder == null) {
            String name = "knowledge-embed-" + NUMBERS.incrementAndGet();
            calls = Executors.newFixedThreadPool(CALLS, stage -> daemon(stage, name + "-call"));
            embedder = start(this::embed, name);
            writer = start(this::write, name.replace("embed", "write"));
        }
        waitingTexts.acquire(permits(prepared));
        toEmbed.put(new Item(requestedUrl, prepared));
    }

    /** A page bigger than a call waits for the embedder to have nothing else waiting. */
    private static int permits(KnowledgeIndex.Prepared page) {
        return Math.min(page.fresh().size(), BATCH_TEXTS);
    }

    /** Takes the item off the waiting queue, letting the crawl hand over more. */
    private Item taken(Item item) {
        if (item != END) {
            waitingTexts.release(permits(item.page()));
        }
        return item;
    }

    /** Waits until every page handed over is written; rethrows what stopped one. */
    void finish() throws InterruptedException {
        if (embedder != null) {
            toEmbed.put(END);
            embedder.join();
            writer.join();
            stopped();
        }
        rethrow();
    }

    /**
     * Drops the pages not yet written (they stay queued in the frontier) and waits for the stages to end: the calls
     * being embedded are not written, so nothing of this run lands after it returns.
     */
    void abandon() {
        abandoned = true;
        if (embedder == null) {
            return;
        }
        toEmbed.clear();
        boolean interrupted = Thread.interrupted();
        try {
            while (!toEmbed.offer(END)) {
                toEmbed.clear();
            }
            while (embedder.isAlive() || writer.isAlive()) {
                try {
                    embedder.join();
                    writer.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            stopped();
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void stopped() {
        calls.shutdownNow();
        embedder = null;
    }

    private void rethrow() {
        RuntimeException e = failure;
        if (e != null) {
            throw e;
        }
    }

    private boolean skipping() {
        return abandoned || failure != null;
    }

    private void embed() {
        List<Item> batch = new ArrayList<>();
        boolean end = false;
        try {
            while (!end) {
                // room for a call first, so the call takes every page that arrived meanwhile
                boolean room = callOnItsWay();
                batch.clear();
                Item first = taken(toEmbed.take());
                end = first == END;
                int texts = 0;
                if (!end) {
                    batch.add(first);
                    texts = first.page().fresh().size();
                }
                // the pages already waiting share the call, as long as they fit in it
                for (Item next = toEmbed.peek(); !end && next != null; next = toEmbed.peek()) {
                    if (next != END && texts + next.page().fresh().size() > BATCH_TEXTS) {
                        break;
                    }
                    taken(toEmbed.poll());
                    end = next == END;
                    if (!end) {
                        batch.add(next);
                        texts += next.page().fresh().size();
                    }
                }
                if (!room || batch.isEmpty()) {
                    if (room) {
                        callsOnTheirWay.release();
                    }
                    continue; // stopped: the pages are dropped
                }
                List<String> fresh = batch.stream().flatMap(item -> item.page().texts().stream()).toList();
                // the sync's calls take one turn together among the model's other callers
                toWrite.put(new Call(List.copyOf(batch), CompletableFuture.supplyAsync(
                        () -> EmbeddingShares.on(this, () -> index.embed(fresh)), calls)));
            }
        } catch (InterruptedException e) {
            fail(new IllegalStateException("the sync's embedding was interrupted", e));
        } finally {
            putEnd();
        }
    }

    /** Waits for a call's room; false when the pipeline stopped meanwhile. */
    private boolean callOnItsWay() throws InterruptedException {
        while (!skipping()) {
            if (callsOnTheirWay.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                if (!skipping()) {
                    return true;
                }
                callsOnTheirWay.release();
            }
        }
        return false;
    }

    private void write() {
        try {
            for (Call call = toWrite.take(); call != LAST; call = toWrite.take()) {
                try {
                    if (!skipping()) {
                        write(call);
                    }
                } catch (CompletionException e) {
                    fail(e.getCause() instanceof RuntimeException cause ? cause : e);
                } catch (RuntimeException e) {
                    fail(e);
                } finally {
                    callsOnTheirWay.release();
                }
            }
        } catch (InterruptedException e) {
            fail(new IllegalStateException("the sync's writing was interrupted", e));
        }
    }

    /** Writes a call's pages in one transaction, once its vectors are there. */
    private void write(Call call) {
        List<float[]> vectors = call.vectors().join();
        written.committed(tenants.inTenant(tenant, () -> {
            List<WrittenPage> pages = new ArrayList<>(call.pages().size());
            int from = 0;
            for (Item item : call.pages()) {
                int size = item.page().fresh().size();
                WrittenPage page = new WrittenPage(item.requestedUrl(), item.page().page(),
                        index.write(tenant, sourceId, item.page(), vectors.subList(from, from + size)));
                written.stored(page);
                pages.add(page);
                from += size;
            }
            return pages;
        }));
    }

    private synchronized void fail(RuntimeException e) {
        if (failure == null) {
            failure = e;
        }
    }

    /** The end mark always gets through: the writer takes what is queued before it, written or dropped. */
    private void putEnd() {
        while (true) {
            try {
                toWrite.put(LAST);
                return;
            } catch (InterruptedException e) {
                fail(new IllegalStateException("the sync's embedding was interrupted", e));
            }
        }
    }

    private static Thread start(Runnable stage, String name) {
        Thread thread = daemon(stage, name);
        thread.start();
        return thread;
    }

    private static Thread daemon(Runnable stage, String name) {
        Thread thread = new Thread(stage, name);
        thread.setDaemon(true);
        return thread;
    }
}
