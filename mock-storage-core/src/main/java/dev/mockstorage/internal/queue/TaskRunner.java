package dev.mockstorage.internal.queue;

import dev.mockstorage.internal.metadata.MetadataStore;
import dev.mockstorage.internal.metadata.TaskRecord;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * What a worker of the {@link TaskQueue} does with the task table: claims due tasks in batches,
 * applies the bookkeeping ones in the claiming transaction, runs the others' handlers, and records
 * each outcome (removed, retried with backoff, or parked as failed after {@link #MAX_ATTEMPTS}).
 * Counts what it did. Thread-safe: the queue's workers share one.
 */
final class TaskRunner {
    /** Attempts before a task is parked as failed. */
    static final int MAX_ATTEMPTS = 5;

    private static final System.Logger LOG = System.getLogger(TaskRunner.class.getName());
    /** Tasks claimed (and completed) per transaction. */
    private static final int BATCH = 32;

    private final MetadataStore metadata;
    private final Map<String, TaskHandler> handlers;
    private final Map<String, TransactionalTaskHandler> bookkeeping;
    private final Clock clock;
    /** true once the queue is closing: failures are then neither logged nor recorded */
    private final BooleanSupplier closing;
    /** tells the queue's waiters that tasks finished */
    private final Runnable progress;

    private final AtomicLong done = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong retried = new AtomicLong();
    /** earliest next_run_at (epoch ms, by {@link #clock}) of a retry this process scheduled; MAX_VALUE: none */
    private final AtomicLong retryDue = new AtomicLong(Long.MAX_VALUE);

    TaskRunner(MetadataStore metadata, TaskHandlers handlers, Clock clock, BooleanSupplier closing, Runnable progress) {
        this.metadata = metadata;
        this.handlers = handlers.outside();
        this.bookkeeping = handlers.inTransaction();
        this.clock = clock;
        this.closing = closing;
        this.progress = progress;
    }

    /** What one claim returned: tasks to run outside the database, whether anything was claimed, whether a whole batch. */
    record Claimed(List<TaskRecord> toRun, boolean any, boolean full) {
        static final Claimed NOTHING = new Claimed(List.of(), false, false);
    }

    /**
     * Claims a batch of due tasks and, in the same transaction, applies its bookkeeping tasks (each
     * in a savepoint of it, so one that throws is rolled back alone) and removes them: a batch of
     * bookkeeping costs one commit. Returns the tasks left to run outside the database.
     */
    Claimed claim() {
        Instant now = clock.instant();
        List<TaskRecord> applied = new ArrayList<>();
        Map<TaskRecord, RuntimeException> rejected = new LinkedHashMap<>();
        List<TaskRecord> toRun;
        try {
            if (!metadata.hasDueTasks(now)) { // a read: idle polling never takes the write lock
                return Claimed.NOTHING;
            }
            toRun = metadata.write(tx -> {
                List<TaskRecord> rest = new ArrayList<>();
                for (TaskRecord task : tx.claimTasks(BATCH, now)) {
                    TransactionalTaskHandler handler = bookkeeping.get(task.kind());
                    if (handler == null) {
                        rest.add(task);
                        continue;
                    }
                    try {
                        tx.savepoint(part -> handler.apply(part, task.payload()));
                        applied.add(task);
                    } catch (RuntimeException e) {
                        rejected.put(task, e);
                    }
                }
                tx.completeTasks(applied.stream().map(TaskRecord::id).toList());
                return rest;
            });
        } catch (RuntimeException e) {
            if (!closing.getAsBoolean()) {
                LOG.log(System.Logger.Level.WARNING, "could not claim tasks", e);
            }
            return Claimed.NOTHING;
        }
        done.addAndGet(applied.size());
        rejected.forEach(this::recordFailure);
        if (!applied.isEmpty() || !rejected.isEmpty()) {
            progress.run();
        }
        int claimed = toRun.size() + applied.size() + rejected.size();
        return new Claimed(toRun, claimed > 0, claimed >= BATCH);
    }

    /** Runs one task outside the database; true when it succeeded, otherwise it was rescheduled or parked. */
    boolean run(TaskRecord task) {
        TaskHandler handler = handlers.get(task.kind());
        try {
            if (handler == null) {
                throw new IllegalStateException("no handler for task kind '" + task.kind() + "'");
            }
            handler.run(task.payload());
            return true;
        } catch (Exception e) {
            if (!closing.getAsBoolean()) {
                recordFailure(task, e); // when closing it is left running; re-queued at the next start
            }
            return false;
        }
    }

    /** Removes the batch's finished tasks in one transaction and tells waiters. */
    void finish(List<TaskRecord> succeeded) {
        if (succeeded.isEmpty()) {
            return;
        }
        try {
            metadata.completeTasks(succeeded.stream().map(TaskRecord::id).toList());
            done.addAndGet(succeeded.size());
        } catch (RuntimeException e) {
            // they ran but stay recorded as running: put them back (running them again is harmless)
            LOG.log(System.Logger.Level.WARNING, "could not record " + succeeded.size() + " finished task(s)", e);
            succeeded.forEach(t -> recordFailure(t, e));
        } finally {
            progress.run();
        }
    }

    /** Schedules the task again after a backoff, or parks it as failed after the last attempt or without a handler. */
    private void recordFailure(TaskRecord task, Exception e) {
        String error = e.getClass().getSimpleName() + ": " + e.getMessage();
        boolean known = handlers.containsKey(task.kind()) || bookkeeping.containsKey(task.kind());
        try {
            if (!known || task.attempts() >= MAX_ATTEMPTS) {
                metadata.failTask(task.id(), error);
                failed.incrementAndGet();
                LOG.log(System.Logger.Level.WARNING, "task {0} failed for good: {1}", describe(task), error);
            } else {
                Instant next = clock.instant().plus(backoff(task.attempts()));
                metadata.retryTask(task.id(), error, next);
                retried.incrementAndGet();
                retryDue.accumulateAndGet(next.toEpochMilli(), Math::min);
            }
        } catch (RuntimeException e2) {
            LOG.log(System.Logger.Level.WARNING, "could not record the outcome of task " + task.id(), e2);
        }
        progress.run();
    }

    /** 100 ms, 200 ms, 400 ms, ... capped at 10 s. */
    static Duration backoff(int attempts) {
        long ms = 100L << Math.min(Math.max(attempts - 1, 0), 7);
        return Duration.ofMillis(Math.min(ms, 10_000));
    }

    /**
     * How long an idle worker may sleep, at most {@code maxMillis}: until the earliest retry this
     * process scheduled is due (at least 1 ms); a retry found due is forgotten.
     */
    long sleepMillis(long maxMillis) {
        long due = retryDue.get();
        if (due == Long.MAX_VALUE) {
            return maxMillis;
        }
        long left = due - clock.millis();
        if (left <= 0) {
            retryDue.compareAndSet(due, Long.MAX_VALUE);
        }
        return Math.max(1, Math.min(maxMillis, left));
    }

    /** {@code #id kind payload (state, attempts N, last error: ...)}. */
    static String describe(TaskRecord t) {
        return "#" + t.id() + " " + t.kind() + " " + t.payload() + " (" + t.state() + ", attempts " + t.attempts()
                + (t.lastError() == null ? "" : ", last error: " + t.lastError()) + ")";
    }

    long doneCount() {
        return done.get();
    }

    long failedCount() {
        return failed.get();
    }

    long retriedCount() {
        return retried.get();
    }
}
