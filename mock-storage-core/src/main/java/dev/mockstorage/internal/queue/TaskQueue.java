package dev.mockstorage.internal.queue;

import dev.mockstorage.internal.error.ErrorCode;
import dev.mockstorage.internal.error.StorageException;
import dev.mockstorage.internal.metadata.MetadataStore;
import dev.mockstorage.internal.metadata.TaskRecord;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;

/**
 * The bounded task queue. Tasks are rows in the metadata database, inserted by the services in the
 * same transaction as the change that causes them, so nothing queued is lost by a crash; this class
 * only runs them: worker threads claim due tasks, run the handler for their kind, and remove them,
 * retry them with exponential backoff, or park them as failed after {@link #MAX_ATTEMPTS}.
 */
public final class TaskQueue implements AutoCloseable {
    /** Attempts before a task is parked as failed. */
    public static final int MAX_ATTEMPTS = 5;
    private static final System.Logger LOG = System.getLogger(TaskQueue.class.getName());
    private static final Duration IDLE_POLL = Duration.ofSeconds(1);
    /** Tasks claimed (and completed) per transaction. */
    private static final int BATCH = 32;

    private final MetadataStore metadata;
    private final int capacity;
    private final Map<String, TaskHandler> handlers;
    private final Clock clock;
    private final List<Thread> workers = new ArrayList<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition workAvailable = lock.newCondition();
    private final Condition progress = lock.newCondition();
    private final AtomicLong done = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong retried = new AtomicLong();
    private long wakeUps;
    private volatile boolean closed;

    /**
     * @param capacity most open (pending or running) tasks; writers wait for room beyond it
     * @param workers  worker threads
     * @param handlers handler per task kind
     */
    public TaskQueue(MetadataStore metadata, int capacity, int workers, Map<String, TaskHandler> handlers, Clock clock,
                     String threadNamePrefix) {
        this.metadata = metadata;
        this.capacity = capacity;
        this.handlers = Map.copyOf(handlers);
        this.clock = clock;
        for (int i = 0; i < workers; i++) {
            Thread t = new Thread(this::workLoop, threadNamePrefix + "-worker-" + (i + 1));
            t.setDaemon(true);
            this.workers.add(t);
        }
    }

    /** Re-queues tasks a previous process left running and starts the workers. */
    public void start() {
        int reset = metadata.resetRunningTasks();
        if (reset > 0) {
            LOG.log(System.Logger.Level.INFO, "re-queued {0} task(s) left running by a previous process", reset);
        }
        workers.forEach(Thread::start);
    }

    /** Tells the workers that new tasks were committed. */
    public void wakeUp() {
        lock.lock();
        try {
            wakeUps++;
            workAvailable.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until there is room for more tasks (open tasks below capacity), so that work which must
     * not be lost is never dropped: the request that would overfill the queue is held back instead.
     *
     * @throws StorageException SlowDown when no room appeared within {@code timeout}
     */
    public void awaitRoom(Duration timeout) {
        if (metadata.openTaskCount() < capacity) {
            return;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (metadata.openTaskCount() >= capacity) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new StorageException(ErrorCode.SlowDown, "the task queue is full (" + capacity
                            + " open tasks, queue.size) and did not drain within " + timeout.toMillis() + " ms");
                }
                progress.awaitNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException(ErrorCode.SlowDown, "interrupted while waiting for room in the task queue");
        } finally {
            lock.unlock();
        }
    }

    /**
     * Returns when every task queued so far has finished (done or parked as failed).
     *
     * @throws IllegalStateException listing the open tasks when they did not finish within {@code timeout}
     */
    public void awaitIdle(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (metadata.openTaskCount() > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    List<TaskRecord> open = metadata.openTasks(20);
                    throw new IllegalStateException("the task queue is not idle after " + timeout.toMillis() + " ms; open tasks: "
                            + open.stream().map(TaskQueue::describe).collect(Collectors.joining(", ")));
                }
                progress.awaitNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the task queue", e);
        } finally {
            lock.unlock();
        }
    }

    /** Tasks finished successfully since start. */
    public long doneCount() {
        return done.get();
    }

    /** Tasks parked as failed since start. */
    public long failedCount() {
        return failed.get();
    }

    /** Failed attempts that were scheduled again. */
    public long retriedCount() {
        return retried.get();
    }

    /** Open (pending or running) tasks. */
    public long openCount() {
        return metadata.openTaskCount();
    }

    public int capacity() {
        return capacity;
    }

    private static String describe(TaskRecord t) {
        return "#" + t.id() + " " + t.kind() + " " + t.payload() + " (" + t.state() + ", attempts " + t.attempts()
                + (t.lastError() == null ? "" : ", last error: " + t.lastError()) + ")";
    }

    private void workLoop() {
        while (!closed) {
            long seen;
            lock.lock();
            try {
                seen = wakeUps;
            } finally {
                lock.unlock();
            }
            List<TaskRecord> batch;
            try {
                batch = metadata.claimTasks(BATCH, clock.instant());
            } catch (RuntimeException e) {
                if (closed) {
                    return;
                }
                LOG.log(System.Logger.Level.WARNING, "could not claim tasks", e);
                batch = List.of();
            }
            List<Long> succeeded = new ArrayList<>(batch.size());
            for (TaskRecord task : batch) {
                if (closed) {
                    break;
                }
                if (runOne(task)) {
                    succeeded.add(task.id());
                }
            }
            finish(succeeded);
            if (closed) {
                return;
            }
            if (batch.isEmpty()) {
                lock.lock();
                try {
                    if (wakeUps == seen && !closed) {
                        workAvailable.await(IDLE_POLL.toMillis(), TimeUnit.MILLISECONDS);
                    }
                } catch (InterruptedException e) {
                    return;
                } finally {
                    lock.unlock();
                }
            }
        }
    }

    /** Removes the batch's finished tasks in one transaction and tells waiters. */
    private void finish(List<Long> succeeded) {
        try {
            metadata.completeTasks(succeeded);
            done.addAndGet(succeeded.size());
        } catch (RuntimeException e) {
            // still marked running: they run again after the next start, and deleting a blob twice is harmless
            LOG.log(System.Logger.Level.WARNING, "could not record " + succeeded.size() + " finished task(s)", e);
        } finally {
            lock.lock();
            try {
                progress.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /** Runs one task; true when it succeeded (the caller removes it), otherwise it was rescheduled or parked. */
    private boolean runOne(TaskRecord task) {
        TaskHandler handler = handlers.get(task.kind());
        try {
            if (handler == null) {
                throw new IllegalStateException("no handler for task kind '" + task.kind() + "'");
            }
            handler.run(task.payload());
            return true;
        } catch (Exception e) {
            if (closed) {
                return false; // left running; re-queued at the next start
            }
            String error = e.getClass().getSimpleName() + ": " + e.getMessage();
            try {
                if (handler == null || task.attempts() >= MAX_ATTEMPTS) {
                    metadata.failTask(task.id(), error);
                    failed.incrementAndGet();
                    LOG.log(System.Logger.Level.WARNING, "task {0} failed for good: {1}", describe(task), error);
                } else {
                    Instant next = clock.instant().plus(backoff(task.attempts()));
                    metadata.retryTask(task.id(), error, next);
                    retried.incrementAndGet();
                }
            } catch (RuntimeException e2) {
                LOG.log(System.Logger.Level.WARNING, "could not record the outcome of task " + task.id(), e2);
            }
            return false;
        }
    }

    /** 100 ms, 200 ms, 400 ms, ... capped at 10 s. */
    static Duration backoff(int attempts) {
        long ms = 100L << Math.min(Math.max(attempts - 1, 0), 7);
        return Duration.ofMillis(Math.min(ms, 10_000));
    }

    /** Stops the workers; tasks still open stay in the database and run at the next start. */
    @Override
    public void close() {
        closed = true;
        wakeUp();
        for (Thread t : workers) {
            t.interrupt();
        }
        for (Thread t : workers) {
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
