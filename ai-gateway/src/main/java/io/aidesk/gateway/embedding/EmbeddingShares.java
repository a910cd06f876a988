package io.aidesk.gateway.embedding;

import java.util.function.Supplier;

/**
 * Whose turn an embedding call takes on the offline model's threads ({@link FairShareExecutor}): the calling thread's
 * own, unless the call is made on behalf of a share that several threads call for (a sync with two calls on their
 * way), so that share still gets one turn among the others.
 */
public final class EmbeddingShares {
    private static final ThreadLocal<Object> CURRENT = new ThreadLocal<>();

    private EmbeddingShares() {
    }

    /** Runs work with its embedding calls taking the turns of share. */
    public static <T> T on(Object share, Supplier<T> work) {
        Object before = CURRENT.get();
        CURRENT.set(share);
        try {
            return work.get();
        } finally {
            CURRENT.set(before);
        }
    }

    /** The share the current thread's calls take their turns as. */
    static Object current() {
        Object share = CURRENT.get();
        return share == null ? Thread.currentThread() : share;
    }
}
