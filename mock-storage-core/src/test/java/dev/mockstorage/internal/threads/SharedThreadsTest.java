package dev.mockstorage.internal.threads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class SharedThreadsTest {

    @Test
    void aLoopRunsUnderItsNameAndItsThreadServesTheNextLoop() throws Exception {
        AtomicReference<Thread> first = new AtomicReference<>();
        AtomicReference<String> name = new AtomicReference<>();
        SharedThreads.Loop a = SharedThreads.start("shared-test-a", () -> {
            first.set(Thread.currentThread());
            name.set(Thread.currentThread().getName());
        });
        assertTrue(a.join(10_000));
        assertFalse(a.isAlive());
        assertEquals("shared-test-a", name.get());
        assertTrue(
                first.get().getName().startsWith("mock-storage-idle-"),
                first.get().getName());
        assertTrue(first.get().isDaemon());

        AtomicReference<Thread> second = new AtomicReference<>();
        SharedThreads.Loop b = SharedThreads.start("shared-test-b", () -> second.set(Thread.currentThread()));
        assertTrue(b.join(10_000));
        assertSame(first.get(), second.get(), "the idle thread took the next loop");
    }

    @Test
    void anInterruptReachesItsLoopAndNeverTheThreadsNextOne() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        SharedThreads.Loop waiting = SharedThreads.start("shared-test-waiting", () -> {
            running.countDown();
            try {
                new CountDownLatch(1).await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                interrupted.set(true);
            }
        });
        assertTrue(running.await(10, TimeUnit.SECONDS));
        waiting.interrupt();
        assertTrue(waiting.join(10_000));
        assertTrue(interrupted.get());

        waiting.interrupt(); // late: the loop has ended
        AtomicBoolean next = new AtomicBoolean(true);
        SharedThreads.Loop after = SharedThreads.start(
                "shared-test-after", () -> next.set(Thread.currentThread().isInterrupted()));
        assertTrue(after.join(10_000));
        assertFalse(next.get(), "the next loop starts uninterrupted");
    }

    @Test
    void anInterruptRightAfterTheStartReachesTheLoop() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean seen = new AtomicBoolean();
        CountDownLatch hold = new CountDownLatch(1);
        SharedThreads.Loop loop = SharedThreads.start("shared-test-early", () -> {
            try {
                hold.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                seen.set(true);
            }
            release.countDown();
        });
        loop.interrupt();
        assertTrue(release.await(10, TimeUnit.SECONDS));
        assertTrue(loop.join(10_000));
        assertTrue(seen.get());
    }
}
