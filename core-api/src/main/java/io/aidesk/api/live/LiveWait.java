package io.aidesk.api.live;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Waits for asynchronous work by listening, not polling: reads the record, then again each time it changes, until
 * it is done or the wait is over. The reads run on the waiting thread, never on the one that announced the change.
 */
public final class LiveWait {
    private LiveWait() {
    }

    /**
     * @param listen starts listening (handing each changed record's id to the consumer) and answers how to stop;
     *               it is in place before the first read, so no change falls between the two
     * @param id     the record waited for: changes of others are ignored
     * @return the last value read: done, or as it stands when the wait ran out
     */
    public static <T> T until(Function<Consumer<String>, Runnable> listen, String id, Supplier<T> read,
                              Predicate<T> done, Duration atMost) {
        BlockingQueue<String> changes = new LinkedBlockingQueue<>();
        Runnable stop = listen.apply(changed -> {
            if (id.equals(changed)) {
                changes.offer(changed);
            }
        });
        try {
            long until = System.nanoTime() + atMost.toNanos();
            T value = read.get();
            while (!done.test(value)) {
                long left = until - System.nanoTime();
                if (left <= 0 || changes.poll(left, TimeUnit.NANOSECONDS) == null) {
                    return read.get();
                }
                changes.clear();
                value = read.get();
            }
            return value;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return read.get();
        } finally {
            stop.run();
        }
    }
}
