package dev.mockstorage.internal.queue;

import dev.mockstorage.internal.error.ErrorCode;
import dev.mockstorage.internal.error.StorageException;
import dev.mockstorage.internal.metadata.MetadataStore;
import dev.mockstorage.internal.metadata.TaskRecord;
import dev.mockstorage.internal.threads.SharedThreads;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;

/**
 * The bounded task queue. Tasks are rows in the metadata database, inserted by the services in the
 * same transaction as the change that causes them, so nothing queued is lost by a crash; this class
 * only runs them: worker threads claim due tasks in batches and run them through a {@link TaskRunner},
 * which removes them, retries them with exponential backoff, or parks them as failed after
 * {@link #MAX_ATTEMPTS}. This class holds the threads, their wake-ups, and the waits for room and
 * for idleness. Bookkeeping tasks ({@link TransactionalTaskHandler}) are applied in the transaction
 * that claims and removes them. Zero workers is allowed: tasks then wait in the database for a later
 * start (tests of restarts and of a full queue use it).
 */
public final class TaskQueue implements AutoCloseable {
    /** Attempts before a task is parked as failed. */
    public static final int MAX_ATTEMPTS = TaskRunner.MAX_ATTEMPTS;
    /** How long a writer waits for room in a full queue unless configured otherwise ({@code queue.full_wait_ms}). */
    public static final Duration DEFAULT_FULL_WAIT = Duration.ofSeconds(10);

    private static final System.Logger LOG = System.getLogger(TaskQueue.class.getName());
    private static final Duration IDLE_POLL = Duration.ofSeconds(1);
    /**
     * How long a worker woken by new tasks waits for more before it claims: one claim and one finish
     * transaction then serve the follow-up tasks of several requests instead of one each. Skipped while
     * anyone waits on the queue ({@link #awaitIdle}, a writer held back by {@link #awaitRoom}).
     */
    static final long GATHER_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    private final MetadataStore metadata;
    private final int capacity;
    private final TaskRunner runner;
    private final Clock clock;
    private final Duration fullWait;
    private final int workerCount;
    private final String threadNamePrefix;
    /** The workers' loops, once started (at most once: {@link #workersStarted}). */
    private volatile List<SharedThreads.Loop> workers = List.of();

    private final ReentrantLock lock = new ReentrantLock();
    /** workers waiting for new tasks (not gathering) */
    private final Condition workAvailable = lock.newCondition();
    /** workers gathering, woken early only by {@link #hurry()} and {@link #close()} */
    private final Condition gatherCut = lock.newCondition();

    private final Condition progress = lock.newCondition();
    private long wakeUps;
    /** guarded by lock: workers waiting for new tasks */
    private int sleeping;
    /** guarded by lock: workers gathering tasks before their claim */
    private int gathering;
    /** guarded by lock: callers waiting for the workers' progress; while above 0 workers do not gather */
    private int waiters;

    private volatile boolean paused;
    private volatile boolean closed;
    /** Set by {@link #start()}: the workers may start from then on. */
    private volatile boolean startAllowed;

    private final AtomicBoolean workersStarted = new AtomicBoolean();

    /**
     * A queue whose handlers all work outside the database, waiting {@link #DEFAULT_FULL_WAIT} for room.
     *
     * @param capacity most open (pending or running) tasks; writers wait for room beyond it
     * @param workers  worker threads
     * @param handlers handler per task kind
     */
    public TaskQueue(
            MetadataStore metadata,
            int capacity,
            int workers,
            Map<String, TaskHandler> handlers,
            Clock clock,
            String threadNamePrefix) {
        this(metadata, capacity, workers, TaskHandlers.of(handlers), DEFAULT_FULL_WAIT, clock, threadNamePrefix);
    }

    /** Like {@link #TaskQueue(MetadataStore, int, int, TaskHandlers, Duration, Clock, String)} with {@link #DEFAULT_FULL_WAIT}. */
    public TaskQueue(
            MetadataStore metadata,
            int capacity,
            int workers,
            TaskHandlers handlers,
            Clock clock,
            String threadNamePrefix) {
        this(metadata, capacity, workers, handlers, DEFAULT_FULL_WAIT, clock, threadNamePrefix);
    }

    /**
     * @param capacity most open (pending or running) tasks; writers wait for room beyond it (at least 1)
     * @param workers  worker threads (0: none; tasks stay queued)
     * @param handlers handler per task kind
     * @param fullWait how long {@link #awaitRoom()} waits for room before answering SlowDown
     * @param clock    for next_run_at of retries and for claiming due tasks: the system's, as the task table's
     *                 times are (retries wait real time, whatever the server's clock says)
     */
    public TaskQueue(
            MetadataStore metadata,
            int capacity,
            int workers,
            TaskHandlers handlers,
            Duration fullWait,
            Clock clock,
            String threadNamePrefix) {
        if (capacity < 1 || workers < 0 || fullWait.isNegative()) {
            throw new IllegalArgumentException("capacity " + capacity + " (>= 1), workers " + workers
                    + " (>= 0), full wait " + fullWait + " (>= 0)");
        }
        this.metadata = metadata;
        this.capacity = capacity;
        this.runner = new TaskRunner(metadata, handlers, clock, () -> closed, this::signalProgress);
        this.clock = clock;
        this.fullWait = fullWait;
        this.workerCount = workers;
        this.threadNamePrefix = threadNamePrefix;
    }

    /** The time tasks are scheduled by (when they are due, when a retry runs). */
    public Instant now() {
        return clock.instant();
    }

    /**
     * Re-queues tasks a previous process left running and starts the workers; on a new database (nothing
     * queued, nothing left running) the workers start with the first sign of work instead: {@link #wakeUp()},
     * {@link #resume()}, {@link #awaitIdle}, {@link #awaitRoom}. A {@code @MockStorage} test that stores nothing
     * (reads, listings, third-party misses, the admin API) then starts no worker thread; the first PUT (which queues
     * its bucket's statistics) starts them.
     */
    public void start() {
        lock.lock();
        try {
            startAllowed = true;
            if (metadata.isNew() && wakeUps == 0) {
                return;
            }
        } finally {
            lock.unlock();
        }
        int reset = metadata.resetRunningTasks();
        if (reset > 0) {
            LOG.log(System.Logger.Level.INFO, "re-queued {0} task(s) left running by a previous process", reset);
        }
        startWorkers();
    }

    /** Starts the worker threads once, after {@link #start()}. */
    private void startWorkers() {
        if (startAllowed && !closed && !workersStarted.get() && workersStarted.compareAndSet(false, true)) {
            List<SharedThreads.Loop> started = new ArrayList<>(workerCount);
            for (int i = 0; i < workerCount; i++) {
                boolean first = i == 0;
                started.add(SharedThreads.start(threadNamePrefix + "-worker-" + (i + 1), () -> workLoop(first)));
            }
            workers = List.copyOf(started);
        }
    }

    /**
     * Tells the workers that new tasks were committed. Wakes one sleeping worker, and none while a
     * worker gathers: that one claims the new tasks too when its gathering ends. Waking the workers on
     * every request cost two context switches per PUT on the cores the client and the request thread
     * were using.
     */
    public void wakeUp() {
        startWorkers();
        lock.lock();
        try {
            wakeUps++;
            if (gathering == 0 && sleeping > 0) {
                workAvailable.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops claiming tasks until {@link #resume()}: tasks already claimed finish, new ones stay
     * queued. For benchmarks and tests that need tasks to pile up.
     */
    public void pause() {
        paused = true;
    }

    /** Lets the workers claim tasks again after {@link #pause()}. */
    public void resume() {
        paused = false;
        startWorkers();
        lock.lock();
        try {
            wakeUps++;
            workAvailable.signalAll(); // tasks may have piled up: every worker
        } finally {
            lock.unlock();
        }
    }

    /** Wakes one sleeping worker, if any. */
    private void callPeer() {
        lock.lock();
        try {
            if (sleeping > 0) {
                workAvailable.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /** True when fewer tasks than the capacity are open: a task that may be skipped can be queued now. */
    public boolean hasRoom() {
        return metadata.openTaskCount() < capacity;
    }

    /** {@link #awaitRoom(Duration)} with the configured wait ({@code queue.full_wait_ms}). */
    public void awaitRoom() {
        awaitRoom(fullWait);
    }

    /**
     * Waits until there is room for more tasks (open tasks below capacity), so that work which must
     * not be lost is never dropped: the request that would overfill the queue is held back instead.
     * The bound is checked before the request's transaction, so concurrent writers may overshoot it
     * by their number.
     *
     * @throws StorageException SlowDown when no room appeared within {@code timeout}
     */
    public void awaitRoom(Duration timeout) {
        if (metadata.openTaskCount() < capacity) {
            return;
        }
        startWorkers();
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        hurry();
        try {
            while (metadata.openTaskCount() >= capacity) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new StorageException(
                            ErrorCode.SlowDown,
                            "Please reduce your request rate: the task queue is full ("
                                    + capacity + " open tasks, queue.size) and did not drain within "
                                    + timeout.toMillis()
                                    + " ms (queue.full_wait_ms)");
                }
                progress.awaitNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException(ErrorCode.SlowDown, "interrupted while waiting for room in the task queue");
        } finally {
            waiters--;
            lock.unlock();
        }
    }

    /**
     * Returns when every task queued so far has finished (done or parked as failed).
     *
     * @throws IllegalStateException listing the open tasks when they did not finish within {@code timeout}
     */
    public void awaitIdle(Duration timeout) {
        startWorkers();
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        hurry();
        try {
            while (metadata.openTaskCount() > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    List<TaskRecord> open = metadata.openTasks(20);
                    throw new IllegalStateException(
                            "the task queue is not idle after " + timeout.toMillis() + " ms; open tasks: "
                                    + open.stream().map(TaskRunner::describe).collect(Collectors.joining(", ")));
                }
                progress.awaitNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the task queue", e);
        } finally {
            waiters--;
            lock.unlock();
        }
    }

    /** With the lock held: registers a waiter (undone by the caller) and ends any worker's gathering. */
    private void hurry() {
        waiters++;
        workAvailable.signalAll();
        gatherCut.signalAll();
    }

    /** Tasks finished successfully since start. */
    public long doneCount() {
        return runner.doneCount();
    }

    /** Tasks parked as failed since start. */
    public long failedCount() {
        return runner.failedCount();
    }

    /** Failed attempts that were scheduled again. */
    public long retriedCount() {
        return runner.retriedCount();
    }

    /** Open (pending or running) tasks. */
    public long openCount() {
        return metadata.openTaskCount();
    }

    /** Tasks parked as failed, in the database (so including those of earlier runs). */
    public long parkedCount() {
        return metadata.failedTaskCount();
    }

    /** The most open tasks before writers are held back ({@code queue.size}). */
    public int capacity() {
        return capacity;
    }

    /** Worker threads ({@code queue.workers}). */
    public int workerCount() {
        return workerCount;
    }

    /** The oldest tasks parked as failed, described with their attempts and last error, at most {@code limit}. */
    public List<String> describeFailed(int limit) {
        return metadata.failedTasks(limit).stream().map(TaskRunner::describe).toList();
    }

    /**
     * @param first whether this is the first worker: started by the first wake-up (or by {@link #start()} on tasks
     *              left queued), it gathers like a woken worker and the others sleep like idle ones, so that the
     *              request that queued the first task does not compete for its core with claims right away
     */
    private void workLoop(boolean first) {
        long woken = wakeUpsSoFar();
        idle(first ? woken - 1 : woken);
        while (!closed) {
            long seen = wakeUpsSoFar();
            TaskRunner.Claimed claimed = paused ? TaskRunner.Claimed.NOTHING : runner.claim();
            if (claimed.full()) {
                callPeer(); // a full batch: more are likely waiting, and a sleeping worker can take them meanwhile
            }
            List<TaskRecord> succeeded = new ArrayList<>(claimed.toRun().size());
            for (TaskRecord task : claimed.toRun()) {
                if (closed) {
                    break;
                }
                if (runner.run(task)) {
                    succeeded.add(task);
                }
            }
            runner.finish(succeeded);
            if (closed) {
                return; // tasks claimed but not run stay running; the next start re-queues them
            }
            if (!claimed.any()) {
                idle(seen);
            }
        }
    }

    private long wakeUpsSoFar() {
        lock.lock();
        try {
            return wakeUps;
        } finally {
            lock.unlock();
        }
    }

    private void signalProgress() {
        lock.lock();
        try {
            progress.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits for {@link #wakeUp()}, a due retry or the idle poll, whichever comes first; after a
     * wake-up, gathers more tasks for up to {@link #GATHER_NANOS} unless someone waits on the queue.
     */
    private void idle(long seen) {
        long waitMs = runner.sleepMillis(IDLE_POLL.toMillis());
        lock.lock();
        try {
            if (wakeUps == seen && !closed) {
                sleeping++;
                try {
                    workAvailable.await(waitMs, TimeUnit.MILLISECONDS);
                } finally {
                    sleeping--;
                }
            }
            if (wakeUps != seen) {
                long deadline = System.nanoTime() + GATHER_NANOS;
                gathering++;
                try {
                    for (long left = GATHER_NANOS;
                            left > 0 && waiters == 0 && !closed;
                            left = deadline - System.nanoTime()) {
                        gatherCut.awaitNanos(left);
                    }
                } finally {
                    gathering--;
                }
            }
        } catch (InterruptedException e) {
            // close() interrupts; the loop checks closed
        } finally {
            lock.unlock();
        }
    }

    /** Stops the workers; tasks still open stay in the database and run at the next start. */
    @Override
    public void close() {
        closed = true;
        lock.lock();
        try {
            workAvailable.signalAll();
            gatherCut.signalAll();
        } finally {
            lock.unlock();
        }
        List<SharedThreads.Loop> started = workers;
        for (SharedThreads.Loop t : started) {
            t.interrupt();
        }
        for (SharedThreads.Loop t : started) {
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
