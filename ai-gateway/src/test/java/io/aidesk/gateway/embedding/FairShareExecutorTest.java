package io.aidesk.gateway.embedding;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class FairShareExecutorTest {

    @Test
    void aCallerWithFewTasksIsServedBetweenTheTasksOfOneWithMany() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        FairShareExecutor executor = busyUntil(release);

        List<String> ran = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(7);
        Thread big = submit(executor, "big", 5, ran, done);
        big.join();
        Thread small = submit(executor, "small", 2, ran, done);
        small.join();
        release.countDown();

        assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(ran).as("in turns, each caller's own in the order it gave them")
                .containsExactly("big0", "small0", "big1", "small1", "big2", "big3", "big4");
    }

    @Test
    void twoThreadsCallingForOneShareTakeOneTurnBetweenThem() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        FairShareExecutor executor = busyUntil(release);

        List<String> ran = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(6);
        Object sync = new Object();
        Thread first = submit(executor, "a", 2, ran, done, sync);
        first.join();
        Thread second = submit(executor, "b", 2, ran, done, sync);
        second.join();
        Thread other = submit(executor, "other", 2, ran, done, null);
        other.join();
        release.countDown();

        assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(ran).as("the share's tasks in the order given, taking turns with the other caller as one")
                .containsExactly("a0", "other0", "a1", "other1", "b0", "b1");
    }

    @Test
    void aTaskThatThrowsLeavesTheThreadForTheNext() throws Exception {
        FairShareExecutor executor = new FairShareExecutor(1, "fair-test");
        CountDownLatch next = new CountDownLatch(1);
        executor.execute(() -> {
            throw new IllegalStateException("boom");
        });
        executor.execute(next::countDown);
        assertThat(next.await(5, TimeUnit.SECONDS)).isTrue();
    }

    private static Thread submit(FairShareExecutor executor, String name, int tasks, List<String> ran,
                                 CountDownLatch done) {
        return submit(executor, name, tasks, ran, done, null);
    }

    /** @param share what the caller's tasks take their turns as, or null for the caller itself */
    private static Thread submit(FairShareExecutor executor, String name, int tasks, List<String> ran,
                                 CountDownLatch done, Object share) {
        Runnable calls = () -> {
            for (int i = 0; i < tasks; i++) {
                String task = name + i;
                executor.execute(() -> {
                    ran.add(task);
                    done.countDown();
                });
            }
        };
        Thread caller = new Thread(share == null ? calls : () -> EmbeddingShares.on(share, () -> {
            calls.run();
            return null;
        }));
        caller.start();
        return caller;
    }

    /** One thread, busy until release: the tasks submitted meanwhile queue up in the order the executor picks. */
    private static FairShareExecutor busyUntil(CountDownLatch release) throws InterruptedException {
        FairShareExecutor executor = new FairShareExecutor(1, "fair-test");
        CountDownLatch busy = new CountDownLatch(1);
        executor.execute(() -> {
            busy.countDown();
            await(release);
        });
        assertThat(busy.await(5, TimeUnit.SECONDS)).isTrue();
        return executor;
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
