package dev.mockstorage.internal.metadata;

import dev.mockstorage.internal.error.ErrorCode;
import dev.mockstorage.internal.error.StorageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The transaction core, knowing no table: one write connection behind a lock with a timeout (a
 * writer that waits too long gets {@code SlowDown}, never a hang), {@code BEGIN IMMEDIATE},
 * {@code COMMIT} and {@code ROLLBACK} on it, and a {@link ReaderPool} for reads, which never wait
 * for the writer. Statements are compiled once per connection ({@link SqlConnection#prepare}).
 * Thread-safe.
 */
final class Database implements AutoCloseable {
    private static final String[] SIDECARS = {"-wal", "-shm", "-journal"};
    private final Path file;
    private final Duration lockTimeout;
    private final long lockTimeoutNanos;

    private final ReentrantLock writeLock = new ReentrantLock();
    /** guarded by writeLock */
    private final SqlConnection writer;

    private final ReaderPool readers;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Whether this open created the database: a template's copy, or a file migrated from version 0. */
    private final boolean created;

    private Database(Path file, boolean fsync, Duration lockTimeout, SqlConnection writer, boolean created) {
        this.file = file;
        this.created = created;
        this.lockTimeout = lockTimeout;
        this.lockTimeoutNanos = lockTimeout.toNanos();
        this.writer = writer;
        this.readers = new ReaderPool(file, fsync, lockTimeout);
    }

    /**
     * Opens (creating or migrating) the database file; see {@link MetadataStore#open}.
     *
     * @throws StorageException InternalError when the file cannot be opened or has a newer schema
     */
    static Database open(Path file, boolean fsync, Duration lockTimeout) {
        return open(file, fsync, lockTimeout, SchemaTemplate.inDefaultCache());
    }

    /**
     * {@link #open(Path, boolean, Duration)} with the templates of a new database taken from
     * {@code templates} (null: none; a new database is migrated).
     */
    static Database open(Path file, boolean fsync, Duration lockTimeout, SchemaTemplate templates) {
        SqliteLibrary.prepare();
        Path absolute = file.toAbsolutePath();
        SqlConnection writer = null;
        try {
            if (absolute.getParent() != null) {
                Files.createDirectories(absolute.getParent());
            }
            boolean fresh = templates != null && isFresh(absolute);
            SchemaTemplate.Copy copied = fresh ? templates.copyTo(absolute) : null;
            if (copied != null) {
                writer = openCopy(absolute, fsync, lockTimeout, copied);
                if (writer == null) {
                    // not what the migrations make (stale, damaged or foreign): never used
                    deleteWithSidecars(absolute);
                    templates.discard(copied);
                    copied = null;
                }
            }
            if (writer == null) {
                writer = SqlConnection.open(absolute, fsync, lockTimeout.toMillis(), false);
                writer.execute("PRAGMA journal_mode = WAL");
            }
            int found = Schema.migrate(writer);
            if (fresh && copied == null) {
                templates.save(writer);
            }
            return new Database(absolute, fsync, lockTimeout, writer, copied != null || found == 0);
        } catch (IOException | SQLException | RuntimeException e) {
            if (writer != null) {
                writer.close();
            }
            if (e instanceof StorageException se) {
                throw se;
            }
            throw new StorageException(
                    ErrorCode.InternalError,
                    "cannot open metadata database " + absolute + ": " + e.getMessage(),
                    null,
                    e);
        }
    }

    Path file() {
        return file;
    }

    /** True when this open created the database (every table was empty then); see {@link MetadataStore#isNew}. */
    boolean created() {
        return created;
    }

    /** The write connection on a copy of a template if it holds its schema; else null, the connection closed. */
    private static SqlConnection openCopy(Path db, boolean fsync, Duration lockTimeout, SchemaTemplate.Copy copy) {
        SqlConnection writer = null;
        try {
            writer = SqlConnection.open(db, fsync, lockTimeout.toMillis(), false);
            writer.execute("PRAGMA journal_mode = WAL");
            if (copy.checked() || SchemaTemplate.holds(writer, copy.schemaHash())) {
                SchemaTemplate.checked(copy);
                return writer;
            }
        } catch (SQLException | RuntimeException e) {
            // not a database, or not ours: the caller migrates a new one
        }
        if (writer != null) {
            writer.close();
        }
        return null;
    }

    /** Neither the database nor a journal of it exists: a new database, which a template may give. */
    private static boolean isFresh(Path db) {
        for (String suffix : SIDECARS) {
            if (Files.exists(db.resolveSibling(db.getFileName() + suffix))) {
                return false;
            }
        }
        return !Files.exists(db);
    }

    private static void deleteWithSidecars(Path db) throws IOException {
        Files.deleteIfExists(db);
        for (String suffix : SIDECARS) {
            Files.deleteIfExists(db.resolveSibling(db.getFileName() + suffix));
        }
    }

    /**
     * Runs {@code work} in one transaction on the write connection: commits on return, rolls back on
     * any exception (rethrown). Transactions do not nest: a part of one that must fail alone is a
     * {@link #savepoint} of it.
     *
     * @param what for the error message, e.g. {@code "claim tasks"}
     * @throws IllegalStateException when this thread is already in a write
     * @throws StorageException      SlowDown when the write lock is not acquired within the lock timeout;
     *                               InternalError when SQLite fails (the SQLException is the cause)
     */
    <T> T write(String what, SqlWork<T> work) {
        if (writeLock.isHeldByCurrentThread()) {
            throw new IllegalStateException("metadata " + what + " inside another write on the same thread: "
                    + "give the inner work the outer transaction (Tx#savepoint for a part that may fail alone)");
        }
        lockWriter();
        try {
            ensureOpen();
            writer.executeCached("BEGIN IMMEDIATE");
            boolean done = false;
            try {
                T result = work.run(writer);
                writer.executeCached("COMMIT");
                done = true;
                return result;
            } finally {
                if (!done) {
                    rollbackQuietly(writer, "ROLLBACK");
                }
            }
        } catch (SQLException e) {
            throw SqlErrors.wrap(what, e);
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Runs {@code work} as a savepoint of the transaction running on {@code db} (the write
     * connection, inside {@link #write}): kept on return, rolled back alone on any exception
     * (rethrown), the rest of the transaction staying as it was.
     */
    static void savepoint(SqlConnection db, Runnable work) {
        try {
            db.executeCached("SAVEPOINT part");
            boolean released = false;
            try {
                work.run();
                db.executeCached("RELEASE part");
                released = true;
            } finally {
                if (!released) {
                    rollbackQuietly(db, "ROLLBACK TO part");
                    rollbackQuietly(db, "RELEASE part");
                }
            }
        } catch (SQLException e) {
            throw SqlErrors.wrap("savepoint", e);
        }
    }

    private static void rollbackQuietly(SqlConnection db, String statement) {
        try {
            db.executeCached(statement);
        } catch (SQLException e) {
            // nothing left to roll back (e.g. COMMIT failed and SQLite already rolled back)
        }
    }

    private void lockWriter() {
        boolean locked;
        try {
            locked = writeLock.tryLock(lockTimeoutNanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException(
                    ErrorCode.ServiceUnavailable, "interrupted while waiting for the metadata write lock");
        }
        if (!locked) {
            throw new StorageException(
                    ErrorCode.SlowDown, "metadata write lock not acquired within " + lockTimeout.toMillis() + " ms");
        }
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw SqlErrors.closed();
        }
    }

    /**
     * Runs {@code work} on a read connection: it sees the last committed state, never waits for the
     * writer, and never sees the uncommitted changes of a running {@link #write}.
     *
     * @param what for the error message, e.g. {@code "list buckets"}
     */
    <T> T read(String what, SqlWork<T> work) {
        SqlConnection db = readers.borrow();
        try {
            return work.run(db);
        } catch (SQLException e) {
            throw SqlErrors.wrap(what, e);
        } finally {
            readers.release(db);
        }
    }

    /** Cheap liveness probe: a read connection answers a trivial query. False once closed. */
    boolean isHealthy() {
        if (closed.get()) {
            return false;
        }
        try {
            return read("health check", db -> {
                try (ResultSet rs = db.prepare("SELECT 1").executeQuery()) {
                    return rs.next() && rs.getInt(1) == 1;
                }
            });
        } catch (RuntimeException e) {
            return false;
        }
    }

    boolean isClosed() {
        return closed.get();
    }

    /**
     * Closes every connection (idempotent). Waits up to the lock timeout for a running write;
     * read connections in use are closed when they are given back.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        readers.close();
        boolean locked = false;
        try {
            locked = writeLock.tryLock(lockTimeoutNanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            writer.close();
        } finally {
            if (locked) {
                writeLock.unlock();
            }
        }
    }
}
