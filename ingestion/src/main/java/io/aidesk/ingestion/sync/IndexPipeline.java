package io.aidesk.ingestion.sync;

import io.aidesk.ingestion.index.KnowledgeIndex;
import io.aidesk.ingestion.index.TenantTransactions;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A sync's indexing in three stages, so the embedder never waits for the crawl or the database: the sync's own thread
 * fetches, parses and chunks each page; one thread embeds the new chunks of the pages waiting, several small pages in
 * one call; one thread writes the pages embedded, in the order the crawl found them, those waiting together in one
 * transaction. The queues are short (a
 * call's worth of new texts waiting): a crawl ahead of its embedder waits, and a crash loses at most the pages in
 * flight (still queued in the sync's frontier, so fetched again, never written twice).
 */
final class IndexPipeline {
    /** The most texts the embedder takes in one go (from as many waiting pages as fit, at least one page). */
    static final int BATCH_TEXTS = 64;
    /**
     * Pages prepared and waiting for the embedder, whatever their size: enough small pages for a full call, few enough
     * that a node killed mid-sync leaves only these, and the few below, to be fetched again.
     */
    static final int WAITING = 8;
    /** Pages embedded and waiting to be written: half a call's pages, so the embedder seldom waits on a commit. */
    static final int EMBEDDED = 4;
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

    private record Item(String requestedUrl, KnowledgeIndex.Prepared page, List<float[]> vectors) {
    }

    private static final Item END = new Item(null, null, null);

    private final KnowledgeIndex index;
    private final TenantTransactions tenants;
    private final String tenant;
    private final String sourceId;
    private final Written written;
    private final BlockingQueue<Item> toEmbed = new ArrayBlockingQueue<>(WAITING);
    /** new texts waiting: one full call's worth, so small pages fill the next call while the embedder runs this one */
    private final Semaphore waitingTexts = new Semaphore(BATCH_TEXTS);
    private final BlockingQueue<Item> toWrite = new ArrayBlockingQueue<>(EMBEDDED);
    private volatile RuntimeException failure;
    private volatile boolean abandoned;
    private Thread embedder;
    private Thread writer;

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
            int number = NUMBERS.incrementAndGet();
            embedder = start(this::embed, "knowledge-embed-" + number);
            writer = start(this::write, "knowledge-write-" + number);
        }
        waitingTexts.acquire(permits(prepared));
        toEmbed.put(new Item(requestedUrl, prepared, List.of()));
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
            embedder = null;
        }
        rethrow();
    }

    /**
     * Drops the pages not yet written (they stay queued in the frontier) and waits for the stages to end: the page
     * being embedded is not written, so nothing of this run lands after it returns.
     */
    void abandon() {
        abandoned = true;
        if (embedder == null) {
            return;
        }
        toEmbed.clear();
        toWrite.clear();
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
            embedder = null;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
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
                if (skipping() || batch.isEmpty()) {
                    continue;
                }
                List<float[]> vectors;
                try {
                    vectors = index.embed(batch.stream().flatMap(item -> item.page().texts().stream()).toList());
                } catch (RuntimeException e) {
                    fail(e);
                    continue;
                }
                int from = 0;
                for (Item item : batch) {
                    int size = item.page().fresh().size();
                    toWrite.put(new Item(item.requestedUrl(), item.page(), vectors.subList(from, from + size)));
                    from += size;
                }
            }
        } catch (InterruptedException e) {
            fail(new IllegalStateException("the sync's embedding was interrupted", e));
        } finally {
            putEnd(toWrite);
        }
    }

    private void write() {
        List<Item> group = new ArrayList<>();
        boolean end = false;
        try {
            while (!end) {
                group.clear();
                // the pages already embedded are written together: one commit for them all
                for (Item item = toWrite.take(); item != null; item = toWrite.poll()) {
                    if (item == END) {
                        end = true;
                        break;
                    }
                    group.add(item);
                }
                if (skipping() || group.isEmpty()) {
                    continue;
                }
                try {
                    written.committed(tenants.inTenant(tenant, () -> group.stream().map(item -> {
                        WrittenPage page = new WrittenPage(item.requestedUrl(), item.page().page(),
                                index.write(tenant, sourceId, item.page(), item.vectors()));
                        written.stored(page);
                        return page;
                    }).toList()));
                } catch (RuntimeException e) {
                    fail(e);
                }
            }
        } catch (InterruptedException e) {
            fail(new IllegalStateException("the sync's writing was interrupted", e));
        }
    }

    private synchronized void fail(RuntimeException e) {
        if (failure == null) {
            failure = e;
        }
    }

    /** The end mark always gets through: what is queued behind a failure or an abandon is dropped for it. */
    private void putEnd(BlockingQueue<Item> queue) {
        while (!queue.offer(END)) {
            if (skipping()) {
                queue.clear();
            } else {
                try {
                    queue.put(END);
                    return;
                } catch (InterruptedException e) {
                    fail(new IllegalStateException("the sync's embedding was interrupted", e));
                }
            }
        }
    }

    private static Thread start(Runnable stage, String name) {
        Thread thread = new Thread(stage, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }
}
