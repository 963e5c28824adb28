package dev.mockstorage.internal.metadata;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * SQLite metadata: buckets, objects and the task table. The only class family that runs SQL.
 * WAL mode; one transaction per change through {@link #write}; reads never block on writers.
 */
public final class MetadataStore implements AutoCloseable {

    /**
     * Opens (creating or migrating) the database file.
     *
     * @param file        the SQLite file; parent directories are created
     * @param fsync       true: {@code synchronous=FULL}; false: {@code NORMAL} (survives a killed process)
     * @param lockTimeout how long a writer waits for the write lock before failing with {@code SlowDown}
     */
    public static MetadataStore open(Path file, boolean fsync, Duration lockTimeout) {
        throw new UnsupportedOperationException("TODO");
    }

    /** Runs {@code work} in one transaction: commits on return, rolls back on any exception (rethrown). */
    public <T> T write(Function<Tx, T> work) {
        throw new UnsupportedOperationException("TODO");
    }

    public Optional<BucketRecord> bucket(String name) {
        throw new UnsupportedOperationException("TODO");
    }

    /** All buckets sorted by name. */
    public List<BucketRecord> buckets() {
        throw new UnsupportedOperationException("TODO");
    }

    public Optional<ObjectRecord> object(String bucket, String key) {
        throw new UnsupportedOperationException("TODO");
    }

    /**
     * Objects of a bucket whose key starts with {@code prefix} and sorts strictly after
     * {@code afterKey} (null: from the start), ascending by the key's UTF-8 bytes, at most {@code limit}.
     */
    public List<ObjectRecord> listObjects(String bucket, String prefix, String afterKey, int limit) {
        throw new UnsupportedOperationException("TODO");
    }

    /** Number of objects and total bytes in a bucket (null: all buckets). */
    public long[] countAndBytes(String bucket) {
        throw new UnsupportedOperationException("TODO");
    }

    /**
     * Claims up to {@code max} pending tasks whose next_run_at is not after {@code now}, oldest
     * first, marking them running.
     */
    public List<TaskRecord> claimTasks(int max, Instant now) {
        throw new UnsupportedOperationException("TODO");
    }

    /** Removes a finished task. */
    public void completeTask(long id) {
        throw new UnsupportedOperationException("TODO");
    }

    /** Puts a task back to pending after a failed attempt. */
    public void retryTask(long id, String error, Instant nextRunAt) {
        throw new UnsupportedOperationException("TODO");
    }

    /** Parks a task as failed for good, keeping its last error. */
    public void failTask(long id, String error) {
        throw new UnsupportedOperationException("TODO");
    }

    /** Marks tasks left running by a previous process as pending again (called at start-up). */
    public int resetRunningTasks() {
        throw new UnsupportedOperationException("TODO");
    }

    /** Tasks by state: pending + running. */
    public long openTaskCount() {
        throw new UnsupportedOperationException("TODO");
    }

    /** Pending and running tasks, oldest first, at most {@code limit}. */
    public List<TaskRecord> openTasks(int limit) {
        throw new UnsupportedOperationException("TODO");
    }

    /** Tasks parked as failed. */
    public List<TaskRecord> failedTasks(int limit) {
        throw new UnsupportedOperationException("TODO");
    }

    /** Cheap liveness probe: the database answers a trivial query. */
    public boolean isHealthy() {
        throw new UnsupportedOperationException("TODO");
    }

    @Override
    public void close() {
        throw new UnsupportedOperationException("TODO");
    }
}
