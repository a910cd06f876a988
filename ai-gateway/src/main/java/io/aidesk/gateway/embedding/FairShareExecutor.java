package io.aidesk.gateway.embedding;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * A fixed set of daemon threads that take tasks in turn from each submitter (the thread, or the
 * {@link EmbeddingShares share} it calls for) that has some waiting, first in first out within one submitter. The offline model embeds a call's texts as one task each: on a first-in-first-out pool one
 * sync's call of 64 texts made every other caller's few texts wait behind all of them.
 */
final class FairShareExecutor implements Executor {
    private static final Logger log = LoggerFactory.getLogger(FairShareExecutor.class);

    private final Map<Object, Deque<Runnable>> waiting = new HashMap<>();
    /** the submitters with tasks waiting, the next to be served first */
    private final Deque<Object> turns = new ArrayDeque<>();

    FairShareExecutor(int threads, String name) {
        for (int i = 0; i < threads; i++) {
            Thread worker = new Thread(this::work, name);
            worker.setDaemon(true);
            worker.start();
        }
    }

    @Override
    public synchronized void execute(Runnable task) {
        Object submitter = EmbeddingShares.current();
        Deque<Runnable> queue = waiting.get(submitter);
        if (queue == null) {
            queue = new ArrayDeque<>();
            waiting.put(submitter, queue);
            turns.add(submitter);
        }
        queue.add(task);
        notify();
    }

    private synchronized Runnable next() throws InterruptedException {
        while (turns.isEmpty()) {
            wait();
        }
        Object submitter = turns.poll();
        Deque<Runnable> queue = waiting.get(submitter);
        Runnable task = queue.poll();
        if (queue.isEmpty()) {
            waiting.remove(submitter);
        } else {
            turns.add(submitter);
        }
        return task;
    }

    private void work() {
        while (true) {
            Runnable task;
            try {
                task = next();
            } catch (InterruptedException e) {
                return;
            }
            try {
                task.run();
            } catch (RuntimeException e) {
                // the task's own future holds what it threw; the thread stays for the next one
                log.warn("an embedding task failed", e);
            }
        }
    }
}
