package io.aidesk.api;

import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Reads a read model until what it shows is done, or the wait is over: for answers that follow asynchronous work. */
public final class Polling {
    private static final long EVERY_MILLIS = 50;

    private Polling() {
    }

    /** @return the last value read: done, or as it stands when the wait ran out */
    public static <T> T until(Supplier<T> read, Predicate<T> done, Duration atMost) {
        long until = System.nanoTime() + atMost.toNanos();
        T value = read.get();
        while (!done.test(value) && System.nanoTime() < until) {
            try {
                Thread.sleep(EVERY_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            value = read.get();
        }
        return value;
    }
}
