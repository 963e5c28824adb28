package dev.mockstorage.internal.metadata;

import dev.mockstorage.internal.error.ErrorCode;
import dev.mockstorage.internal.error.StorageException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The read connections ({@code query_only}): opened on demand up to a bound, kept idle for reuse;
 * a reader that finds none free within the timeout gets {@code SlowDown}. Each sees the last
 * committed state (WAL), never the uncommitted changes of a running write. Thread-safe.
 */
final class ReaderPool {
    private final Path file;
    private final boolean fsync;
    private final Duration timeout;
    private final long timeoutNanos;
    private final int max;
    private final ArrayBlockingQueue<SqlConnection> idle;
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();

    ReaderPool(Path file, boolean fsync, Duration timeout) {
        this.file = file;
        this.fsync = fsync;
        this.timeout = timeout;
        this.timeoutNanos = timeout.toNanos();
        this.max = Math.max(2, Math.min(8, 2 * Runtime.getRuntime().availableProcessors()));
        this.idle = new ArrayBlockingQueue<>(max);
    }

    /**
     * An idle connection, a new one while fewer than the bound are open, else the first one given
     * back within the timeout.
     *
     * @throws StorageException ServiceUnavailable once closed; SlowDown when none is free in time
     */
    SqlConnection borrow() {
        if (closed.get()) {
            throw SqlErrors.closed();
        }
        SqlConnection db = idle.poll();
        if (db != null) {
            return db;
        }
        if (open.incrementAndGet() <= max) {
            try {
                return SqlConnection.open(file, fsync, timeout.toMillis(), true);
            } catch (SQLException e) {
                open.decrementAndGet();
                throw SqlErrors.wrap("open read connection", e);
            }
        }
        open.decrementAndGet();
        try {
            db = idle.poll(timeoutNanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException(
                    ErrorCode.ServiceUnavailable, "interrupted while waiting for a metadata read connection");
        }
        if (db == null) {
            throw new StorageException(
                    ErrorCode.SlowDown, "no metadata read connection free within " + timeout.toMillis() + " ms");
        }
        return db;
    }

    /** Gives a borrowed connection back; closes it when the pool is closed. */
    void release(SqlConnection db) {
        if (!closed.get()) {
            idle.offer(db);
            if (!closed.get()) {
                return;
            }
            // close() ran meanwhile: drain what it may have missed
            drain();
            return;
        }
        db.close();
    }

    /** Closes the idle connections (idempotent); connections in use are closed when they are given back. */
    void close() {
        closed.set(true);
        drain();
    }

    private void drain() {
        SqlConnection db;
        while ((db = idle.poll()) != null) {
            db.close();
        }
    }
}
