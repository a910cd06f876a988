package io.aidesk.ingestion.sync;

import io.aidesk.ingestion.index.KnowledgeIndex;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A sync's indexing on a thread of its own: the crawl hands over each parsed page and goes on fetching while the
 * pages taken so far are chunked, embedded together and written. The queue is short, so a crawl far ahead of its
 * embedding waits instead of holding pages in memory; a failure here ends the crawl at its next page.
 */
final class Indexer {
    /** How many parsed pages may wait for the embedder. */
    static final int QUEUE = 8;
    /** The most pages indexed in one go (their new chunks embedded in shared batches). */
    static final int BATCH = 8;
    private static final Item END = new Item(null, null);
    private static final AtomicInteger NUMBERS = new AtomicInteger();

    /** @param requestedUrl the URL the crawl asked for (the document's may differ, after a redirect) */
    record Item(String requestedUrl, KnowledgeIndex.Page page) {
    }

    private final BlockingQueue<Item> queue = new ArrayBlockingQueue<>(QUEUE);
    private final Consumer<List<Item>> index;
    private volatile RuntimeException failure;
    private Thread thread;

    Indexer(Consumer<List<Item>> index) {
        this.index = index;
    }

    void submit(Item item) throws InterruptedException {
        rethrow();
        if (thread == null) {
            thread = new Thread(this::run, "knowledge-index-" + NUMBERS.incrementAndGet());
            thread.setDaemon(true);
            thread.start();
        }
        queue.put(item);
    }

    /** Waits until every page handed over is indexed; rethrows what stopped the indexing. */
    void finish() throws InterruptedException {
        if (thread != null) {
            queue.put(END);
            thread.join();
            thread = null;
        }
        rethrow();
    }

    private void rethrow() {
        if (failure != null) {
            throw failure;
        }
    }

    private void run() {
        List<Item> batch = new ArrayList<>(BATCH);
        try {
            while (true) {
                batch.clear();
                batch.add(queue.take());
                queue.drainTo(batch, BATCH - 1);
                boolean end = batch.remove(END);
                if (failure == null && !batch.isEmpty()) {
                    try {
                        index.accept(batch);
                    } catch (RuntimeException e) {
                        failure = e; // what is still queued is drained, not indexed
                    }
                }
                if (end) {
                    return;
                }
            }
        } catch (InterruptedException stopping) {
            Thread.currentThread().interrupt();
        }
    }
}
