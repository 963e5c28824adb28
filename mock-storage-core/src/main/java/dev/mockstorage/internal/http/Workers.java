package dev.mockstorage.internal.http;

import dev.mockstorage.internal.threads.SharedThreads;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads that serve requests: at most {@code max}, started when work arrives and no thread is
 * free, ended after a minute without work (each a loop on a thread borrowed from {@link SharedThreads},
 * which goes back to that pool). Work beyond {@code max} waits in a queue, which is bounded
 * because each entry is one connection with a complete request head and the dispatcher admits at most
 * {@code server.max_connections} connections. (A {@code ThreadPoolExecutor} either starts threads
 * only once its queue is full or starts one per task until its core size; neither is wanted here.)
 */
final class Workers {
    private static final long KEEP_ALIVE_MS = 60_000;
    private static final Runnable STOP = () -> {};

    private final int max;
    private final String name;
    private final LinkedBlockingQueue<Runnable> queue = new LinkedBlockingQueue<>();
    private final AtomicInteger threads = new AtomicInteger();
    private final AtomicInteger idle = new AtomicInteger();
    private final AtomicInteger busy = new AtomicInteger();
    private final AtomicInteger started = new AtomicInteger();
    private volatile boolean stopped;

    Workers(int max, String name) {
        if (max < 1) {
            throw new IllegalArgumentException("at least 1 worker, got " + max);
        }
        this.max = max;
        this.name = name;
    }

    /** Runs {@code task} on a free worker, a new one (below the maximum), or the first to become free. */
    void execute(Runnable task) {
        if (stopped) {
            throw new IllegalStateException("stopped");
        }
        queue.add(task);
        if (idle.get() == 0) {
            startThreadIfBelowMax();
        }
    }

    /** Worker threads alive now. */
    int threads() {
        return threads.get();
    }

    /** Workers running a task now. */
    int busy() {
        return busy.get();
    }

    int max() {
        return max;
    }

    /** Ends every worker once it has finished its current task; queued work is dropped. */
    void stop() {
        stopped = true;
        queue.clear();
        for (int i = threads.get(); i > 0; i--) {
            queue.add(STOP);
        }
    }

    private void startThreadIfBelowMax() {
        while (true) {
            int n = threads.get();
            if (n >= max) {
                return;
            }
            if (threads.compareAndSet(n, n + 1)) {
                break;
            }
        }
        SharedThreads.start(name + "-" + started.incrementAndGet(), this::work);
    }

    private void work() {
        while (true) {
            Runnable task;
            idle.incrementAndGet();
            try {
                task = queue.poll(KEEP_ALIVE_MS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                task = null;
            } finally {
                idle.decrementAndGet();
            }
            if (task == STOP || (task == null && stopped)) {
                threads.decrementAndGet();
                return;
            }
            if (task == null) {
                threads.decrementAndGet();
                // work queued while this thread gave up (execute saw it idle and started none): stay
                if (queue.isEmpty() || !reserve()) {
                    return;
                }
                continue;
            }
            busy.incrementAndGet();
            try {
                task.run();
            } catch (RuntimeException | Error e) {
                // a task handles its own failures; nothing may end the worker
            } finally {
                busy.decrementAndGet();
            }
        }
    }

    private boolean reserve() {
        while (true) {
            int n = threads.get();
            if (n >= max) {
                return false;
            }
            if (threads.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }
}
