package dev.mockstorage.internal.metadata;

import dev.mockstorage.internal.error.ErrorCode;
import dev.mockstorage.internal.error.StorageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * SQLite metadata: buckets, objects and the task table. The only class family that runs SQL.
 * WAL mode; one transaction per change through {@link #write}; reads never block on writers.
 *
 * <p>One write connection, guarded by a lock with a timeout (a writer that waits too long gets
 * {@code SlowDown}, never a hang); a small pool of read connections ({@code query_only}) that see
 * the last committed state. Prepared statements are cached per connection. The read methods here
 * do not see the uncommitted changes of a running {@link #write}: inside one, use its {@link Tx}.
 * Thread-safe.
 */
public final class MetadataStore implements AutoCloseable {
    private static final String RUNNING = "running";
    private static final String FAILED = "failed";
    /** State of a task waiting for a storage node to return ({@link Tx#enqueueWaitingTask}). */
    static final String WAITING = "waiting";

    private final Path file;
    private final boolean fsync;
    private final Duration lockTimeout;
    private final long lockTimeoutNanos;

    private final ReentrantLock writeLock = new ReentrantLock();
    /** guarded by writeLock */
    private final SqlConnection writer;
    /** guarded by writeLock: nesting depth of {@link #write} calls on the lock's holder */
    private int depth;

    private final int maxReaders;
    private final ArrayBlockingQueue<SqlConnection> idleReaders;
    private final AtomicInteger openReaders = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();

    private MetadataStore(Path file, boolean fsync, Duration lockTimeout, SqlConnection writer) {
        this.file = file;
        this.fsync = fsync;
        this.lockTimeout = lockTimeout;
        this.lockTimeoutNanos = lockTimeout.toNanos();
        this.writer = writer;
        this.maxReaders = Math.max(2, Math.min(8, 2 * Runtime.getRuntime().availableProcessors()));
        this.idleReaders = new ArrayBlockingQueue<>(maxReaders);
    }

    /**
     * Opens (creating or migrating) the database file.
     *
     * @param file        the SQLite file; parent directories are created
     * @param fsync       true: {@code synchronous=FULL} (survives power loss); false: {@code OFF}: SQLite never
     *                    calls fsync, which still survives a killed process (the OS has every write) and
     *                    keeps start-up and checkpoints free of disk flushes
     * @param lockTimeout how long a writer waits for the write lock before failing with {@code SlowDown}
     * @throws StorageException InternalError when the file cannot be opened or has a newer schema
     */
    public static MetadataStore open(Path file, boolean fsync, Duration lockTimeout) {
        Path absolute = file.toAbsolutePath();
        SqlConnection writer = null;
        try {
            if (absolute.getParent() != null) {
                Files.createDirectories(absolute.getParent());
            }
            writer = SqlConnection.open(absolute, fsync, lockTimeout.toMillis(), false);
            writer.execute("PRAGMA journal_mode = WAL");
            Schema.migrate(writer);
            return new MetadataStore(absolute, fsync, lockTimeout, writer);
        } catch (IOException | SQLException | RuntimeException e) {
            if (writer != null) {
                writer.close();
            }
            if (e instanceof StorageException se) {
                throw se;
            }
            throw new StorageException(ErrorCode.InternalError,
                    "cannot open metadata database " + absolute + ": " + e.getMessage(), null, e);
        }
    }

    /** The database file. */
    public Path file() {
        return file;
    }

    // ---------------------------------------------------------------- writing

    /**
     * Runs {@code work} in one transaction: commits on return, rolls back on any exception (rethrown).
     * A {@code write} inside another on the same thread runs as a savepoint of the outer one.
     * The {@link Tx} must not be used after {@code work} returns.
     *
     * @throws StorageException SlowDown when the write lock is not acquired within the lock timeout;
     *                          InternalError when SQLite fails (the SQLException is the cause)
     */
    public <T> T write(Function<Tx, T> work) {
        return inTransaction("transaction", db -> {
            TxImpl tx = new TxImpl(db);
            try {
                return work.apply(tx);
            } finally {
                tx.end();
            }
        });
    }

    @FunctionalInterface
    private interface SqlWork<T> {
        T run(SqlConnection db) throws SQLException;
    }

    private <T> T inTransaction(String what, SqlWork<T> work) {
        lockWriter();
        try {
            ensureOpen();
            int level = depth;
            String savepoint = "sp" + level;
            writer.executeCached(level == 0 ? "BEGIN IMMEDIATE" : "SAVEPOINT " + savepoint);
            depth = level + 1;
            boolean done = false;
            try {
                T result = work.run(writer);
                writer.executeCached(level == 0 ? "COMMIT" : "RELEASE " + savepoint);
                done = true;
                return result;
            } finally {
                depth = level;
                if (!done) {
                    rollbackQuietly(level, savepoint);
                }
            }
        } catch (SQLException e) {
            throw wrap(what, e);
        } finally {
            writeLock.unlock();
        }
    }

    private void rollbackQuietly(int level, String savepoint) {
        try {
            if (level == 0) {
                writer.executeCached("ROLLBACK");
            } else {
                writer.executeCached("ROLLBACK TO " + savepoint);
                writer.executeCached("RELEASE " + savepoint);
            }
        } catch (SQLException e) {
            // no transaction left to roll back (e.g. COMMIT failed and SQLite already rolled back)
        }
    }

    private void lockWriter() {
        boolean locked;
        try {
            locked = writeLock.tryLock(lockTimeoutNanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException(ErrorCode.ServiceUnavailable, "interrupted while waiting for the metadata write lock");
        }
        if (!locked) {
            throw new StorageException(ErrorCode.SlowDown,
                    "metadata write lock not acquired within " + lockTimeout.toMillis() + " ms");
        }
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw new StorageException(ErrorCode.ServiceUnavailable, "metadata store is closed");
        }
    }

    /** SQLite's BUSY/LOCKED (another process holds the file) become SlowDown; anything else InternalError. */
    static StorageException wrap(String what, SQLException e) {
        int code = e.getErrorCode() & 0xff; // primary result code
        ErrorCode errorCode = code == 5 || code == 6 ? ErrorCode.SlowDown : ErrorCode.InternalError;
        return new StorageException(errorCode, "metadata " + what + " failed: " + e.getMessage(), null, e);
    }

    // ---------------------------------------------------------------- reading

    private <T> T read(String what, SqlWork<T> work) {
        SqlConnection db = borrowReader();
        try {
            return work.run(db);
        } catch (SQLException e) {
            throw wrap(what, e);
        } finally {
            releaseReader(db);
        }
    }

    private SqlConnection borrowReader() {
        ensureOpen();
        SqlConnection db = idleReaders.poll();
        if (db != null) {
            return db;
        }
        if (openReaders.incrementAndGet() <= maxReaders) {
            try {
                return SqlConnection.open(file, fsync, lockTimeout.toMillis(), true);
            } catch (SQLException e) {
                openReaders.decrementAndGet();
                throw wrap("open read connection", e);
            }
        }
        openReaders.decrementAndGet();
        try {
            db = idleReaders.poll(lockTimeoutNanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException(ErrorCode.ServiceUnavailable, "interrupted while waiting for a metadata read connection");
        }
        if (db == null) {
            throw new StorageException(ErrorCode.SlowDown,
                    "no metadata read connection free within " + lockTimeout.toMillis() + " ms");
        }
        return db;
    }

    private void releaseReader(SqlConnection db) {
        if (!closed.get()) {
            idleReaders.offer(db);
            if (!closed.get()) {
                return;
            }
            // close() ran meanwhile: drain what it may have missed
            SqlConnection idle;
            while ((idle = idleReaders.poll()) != null) {
                idle.close();
            }
            return;
        }
        db.close();
    }

    /** The bucket as last committed, if it exists. */
    public Optional<BucketRecord> bucket(String name) {
        return read("read bucket " + name, db -> Queries.bucket(db, name));
    }

    /**
     * The bucket's CORS rules as last committed (one primary-key lookup); empty when the bucket has no
     * CORS configuration or does not exist.
     */
    public Optional<List<CorsRule>> bucketCors(String bucket) {
        return read("read CORS rules of bucket " + bucket, db -> Queries.bucketCors(db, bucket));
    }

    /** All buckets sorted by name. */
    public List<BucketRecord> buckets() {
        return read("list buckets", db -> {
            List<BucketRecord> buckets = new ArrayList<>();
            try (ResultSet rs = db.prepare("SELECT name, created_at, versioning FROM buckets ORDER BY name").executeQuery()) {
                while (rs.next()) {
                    buckets.add(Rows.bucket(rs));
                }
            }
            return buckets;
        });
    }

    /** The object's current row as last committed (one primary-key lookup), if it exists. */
    public Optional<ObjectRecord> object(String bucket, String key) {
        return read("read object " + bucket + "/" + key, db -> Queries.object(db, bucket, key));
    }

    /**
     * Objects of a bucket whose key starts with {@code prefix} and sorts strictly after
     * {@code afterKey} (null: from the start), ascending by the key's UTF-8 bytes, at most {@code limit}.
     * Walks the primary-key index from the later of {@code prefix} and {@code afterKey} and stops at
     * the first key outside the prefix, so a page costs {@code limit} rows, not the bucket's size.
     */
    public List<ObjectRecord> listObjects(String bucket, String prefix, String afterKey, int limit) {
        return listObjects(bucket, prefix, afterKey, false, limit);
    }

    /**
     * As {@link #listObjects(String, String, String, int)}, but from {@code fromKey} inclusive: for a
     * listing that rolls keys up into a common prefix and goes on at the prefix's successor
     * ({@link KeyRange#successor}) instead of reading every key under it.
     */
    public List<ObjectRecord> listObjectsFrom(String bucket, String prefix, String fromKey, int limit) {
        return listObjects(bucket, prefix, fromKey, true, limit);
    }

    private List<ObjectRecord> listObjects(String bucket, String prefix, String bound, boolean inclusive, int limit) {
        if (limit <= 0) {
            return List.of();
        }
        String p = prefix == null ? "" : prefix;
        int position = bound == null ? -1 : Queries.compareUtf8(bound, p);
        boolean fromBound = inclusive ? position > 0 : position >= 0;
        String sql = "SELECT " + Rows.OBJECT_COLUMNS + " FROM objects WHERE bucket = ? AND key "
                + (fromBound && !inclusive ? ">" : ">=") + " ? ORDER BY key LIMIT ?";
        return read("list objects of " + bucket, db -> {
            PreparedStatement ps = db.prepare(sql);
            ps.setString(1, bucket);
            ps.setString(2, fromBound ? bound : p);
            ps.setInt(3, limit);
            List<ObjectRecord> objects = new ArrayList<>(Math.min(limit, 1000));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (!rs.getString(2).startsWith(p)) {
                        break;
                    }
                    objects.add(Rows.object(rs));
                }
            }
            return objects;
        });
    }

    /** Number of objects and total bytes ({@code [count, bytes]}) in a bucket (null: all buckets). */
    public long[] countAndBytes(String bucket) {
        return read("count objects", db -> {
            PreparedStatement ps;
            if (bucket == null) {
                ps = db.prepare("SELECT count(*), coalesce(sum(size), 0) FROM objects");
            } else {
                ps = db.prepare("SELECT count(*), coalesce(sum(size), 0) FROM objects WHERE bucket = ?");
                ps.setString(1, bucket);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new long[] {rs.getLong(1), rs.getLong(2)};
            }
        });
    }

    /**
     * Every bucket with its object count and bytes (empty buckets included), by name: from the
     * statistics kept in the transactions that change the objects, not by counting rows (a million
     * objects took a full scan per /api/v1/stats call and /metrics scrape).
     */
    public List<BucketTotals> bucketTotals() {
        return read("count objects per bucket", db -> {
            List<BucketTotals> out = new ArrayList<>();
            try (ResultSet rs = db.prepare("SELECT b.name, coalesce(s.objects, 0), coalesce(s.bytes, 0) FROM buckets b"
                    + " LEFT JOIN bucket_stats s ON s.bucket = b.name ORDER BY b.name").executeQuery()) {
                while (rs.next()) {
                    out.add(new BucketTotals(rs.getString(1), rs.getLong(2), rs.getLong(3)));
                }
            }
            return out;
        });
    }

    /**
     * Objects across buckets matching {@code query}, ordered by bucket then key (UTF-8 byte order),
     * strictly after ({@code afterBucket}, {@code afterKey}) when given, at most {@code limit}.
     * The position, the bucket and a prefix (or a glob's literal start) bound the walk of the primary-key
     * index, so a page costs its rows wherever it starts; other filters (a substring, a glob's rest,
     * content type, size) are checked row by row within those bounds.
     */
    public List<ObjectRecord> findObjects(ObjectQuery query, String afterBucket, String afterKey, int limit) {
        if (limit <= 0) {
            return List.of();
        }
        StringBuilder sql = new StringBuilder("SELECT ").append(Rows.OBJECT_COLUMNS).append(" FROM objects WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (query.bucket() != null) {
            sql.append(" AND bucket = ?");
            args.add(query.bucket());
        }
        if (query.prefix() != null && !query.prefix().isEmpty()) {
            sql.append(" AND substr(key, 1, length(?)) = ?");
            args.add(query.prefix());
            args.add(query.prefix());
        }

        if (query.substring() != null && !query.substring().isEmpty()) {
            sql.append(" AND instr(key, ?) > 0");
            args.add(query.substring());
        }
        if (query.glob() != null) {
            sql.append(" AND key GLOB ?");
            args.add(sqliteGlob(query.glob()));
        }
        if (query.contentTypePrefix() != null && !query.contentTypePrefix().isEmpty()) {
            sql.append(" AND substr(coalesce(content_type, ''), 1, length(?)) = ?");
            args.add(query.contentTypePrefix());
            args.add(query.contentTypePrefix());
        }
        if (query.minSize() != null) {
            sql.append(" AND size >= ?");
            args.add(query.minSize());
        }
        if (query.maxSize() != null) {
            sql.append(" AND size <= ?");
            args.add(query.maxSize());
        }
        // Where the walk of the primary-key index starts and ends. With (bucket > ? OR (bucket = ? AND
        // key > ?)) SQLite walked from the bucket's first row, so every page cost the pages before it.
        if (query.bucket() != null) {
            String literal = query.prefix() != null && !query.prefix().isEmpty() ? query.prefix()
                    : query.glob() != null ? KeyRange.literalPrefix(query.glob()) : "";
            int position = afterBucket == null ? -1 : afterBucket.compareTo(query.bucket());
            if (position > 0) {
                return List.of();                      // the cursor is past this bucket
            }
            if (position == 0 && Queries.compareUtf8(afterKey == null ? "" : afterKey, literal) >= 0) {
                sql.append(" AND key > ?");
                args.add(afterKey == null ? "" : afterKey);
            } else if (!literal.isEmpty()) {
                sql.append(" AND key >= ?");
                args.add(literal);
            }
            String end = literal.isEmpty() ? null : KeyRange.successor(literal);
            if (end != null) {
                sql.append(" AND key < ?");
                args.add(end);
            }
        } else if (afterBucket != null) {
            sql.append(" AND (bucket, key) > (?, ?)");   // a row value: SQLite seeks the index to it
            args.add(afterBucket);
            args.add(afterKey == null ? "" : afterKey);
        }
        sql.append(" ORDER BY bucket, key LIMIT ?");
        args.add(limit);
        String text = sql.toString();
        return read("find objects", db -> {
            PreparedStatement ps = db.prepare(text);
            for (int i = 0; i < args.size(); i++) {
                Object a = args.get(i);
                if (a instanceof String str) {
                    ps.setString(i + 1, str);
                } else if (a instanceof Long l) {
                    ps.setLong(i + 1, l);
                } else {
                    ps.setInt(i + 1, (Integer) a);
                }
            }
            List<ObjectRecord> objects = new ArrayList<>(Math.min(limit, 1000));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    objects.add(Rows.object(rs));
                }
            }
            return objects;
        });
    }

    /** Our glob (only {@code *} and {@code ?} special) as SQLite GLOB: {@code [} becomes the class {@code [[]}. */
    static String sqliteGlob(String glob) {
        return glob.replace("[", "[[]");
    }

    /**
     * Every blob id the object, noncurrent version and upload part rows point at (for the consistency check, which compares them with
     * the files on the nodes). Blobs only named in task payloads are not included.
     */
    public Set<String> referencedBlobIds() {
        Set<String> ids = new HashSet<>();
        forEachReferencedBlobId(ids::add);
        return ids;
    }

    /**
     * Hands every blob id the object, noncurrent version and upload part rows point at to {@code sink}, in no
     * particular order (an id may come twice), from one snapshot, without holding them: the consistency check
     * spreads them over files on disk, so a store of millions of blobs does not need their ids in memory.
     */
    public void forEachReferencedBlobId(java.util.function.Consumer<String> sink) {
        read("list blob ids", db -> {
            try (ResultSet rs = db.prepare("SELECT blob_id FROM objects").executeQuery()) {
                while (rs.next()) {
                    sink.accept(rs.getString(1));
                }
            }
            try (ResultSet rs = db.prepare("SELECT blob_id FROM upload_parts").executeQuery()) {
                while (rs.next()) {
                    sink.accept(rs.getString(1));
                }
            }
            // noncurrent versions keep their blobs: a repairing check must never take them for orphans
            try (ResultSet rs = db.prepare("SELECT blob_id FROM object_versions WHERE blob_id IS NOT NULL").executeQuery()) {
                while (rs.next()) {
                    sink.accept(rs.getString(1));
                }
            }
            return null;
        });
    }

    /**
     * Every blob id named in a task's payload (any state, waiting ones included): blobs a task will
     * still delete, repair or count, which the consistency check must not treat as orphans. Tokens
     * of 32 lower-case hex characters are taken, so an ETag in a payload is included too (harmless).
     */
    public Set<String> taskBlobIds() {
        return read("list blob ids of tasks", db -> {
            Set<String> ids = new HashSet<>();
            try (ResultSet rs = db.prepare("SELECT payload FROM tasks WHERE payload IS NOT NULL").executeQuery()) {
                while (rs.next()) {
                    for (String token : rs.getString(1).split(" ")) {
                        if (token.length() == 32 && token.chars().allMatch(c -> c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                            ids.add(token);
                        }
                    }
                }
            }
            return ids;
        });
    }

    /**
     * Makes every task waiting for a storage node pending, due now; returns how many. Called when a
     * node returns.
     */
    public int releaseWaitingTasks(Instant now) {
        return inTransaction("release waiting tasks", db -> {
            PreparedStatement ps = db.prepare("UPDATE tasks SET state = 'pending', next_run_at = ? WHERE state = '"
                    + WAITING + "'");
            ps.setLong(1, now.toEpochMilli());
            return ps.executeUpdate();
        });
    }

    /** Tasks waiting for a storage node to return. */
    public long waitingTaskCount() {
        return read("count waiting tasks", db -> {
            try (ResultSet rs = db.prepare("SELECT count(*) FROM tasks WHERE state = '" + WAITING + "'").executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    // ---------------------------------------------------------------- versions

    /** One version of a key by S3 version id ({@code "null"}: the null version), as last committed. */
    public Optional<ObjectVersion> version(String bucket, String key, String versionId) {
        return read("read version " + versionId + " of " + bucket + "/" + key,
                db -> VersionQueries.version(db, bucket, key, versionId));
    }

    /** The key's newest version (current row, else newest delete marker), as last committed. */
    public Optional<ObjectVersion> latestVersion(String bucket, String key) {
        return read("read latest version of " + bucket + "/" + key, db -> VersionQueries.latest(db, bucket, key));
    }

    /**
     * Versions and delete markers of a bucket whose key starts with {@code prefix}: keys in UTF-8 byte order,
     * newest first within a key, at most {@code limit}. With {@code afterKey}, strictly after the version
     * {@code afterVersionId} of that key (null, or a version no longer there: after all of that key's versions).
     */
    public List<ObjectVersion> listVersions(String bucket, String prefix, String afterKey, String afterVersionId, int limit) {
        if (limit <= 0) {
            return List.of();
        }
        return read("list versions of " + bucket, db -> VersionQueries.list(db, bucket, prefix, afterKey, afterVersionId,
                null, limit));
    }

    /**
     * As {@link #listVersions(String, String, String, String, int)}, from the first version of {@code fromKey}
     * (inclusive; a key after the prefix's keys gives nothing): to go on after a common prefix.
     */
    public List<ObjectVersion> listVersionsFrom(String bucket, String prefix, String fromKey, int limit) {
        if (limit <= 0) {
            return List.of();
        }
        return read("list versions of " + bucket, db -> VersionQueries.list(db, bucket, prefix, null, null, fromKey, limit));
    }

    /** Number of noncurrent versions and delete markers in a bucket (null: all buckets). */
    public long noncurrentVersionCount(String bucket) {
        return read("count versions", db -> {
            PreparedStatement ps;
            if (bucket == null) {
                ps = db.prepare("SELECT count(*) FROM object_versions");
            } else {
                ps = db.prepare("SELECT count(*) FROM object_versions WHERE bucket = ?");
                ps.setString(1, bucket);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    // ---------------------------------------------------------------- damaged objects

    /**
     * Marks the object version stored in {@code blobId} as damaged (no intact replica anywhere); true
     * when the object still pointed at that blob and the mark is new.
     */
    public boolean markDamaged(String bucket, String key, String blobId, String reason, Instant at) {
        return inTransaction("mark " + bucket + "/" + key + " damaged", db -> {
            Optional<ObjectRecord> current = Queries.object(db, bucket, key);
            if (current.isEmpty() || !current.get().blobId().equals(blobId)) {
                return false;
            }
            PreparedStatement ps = db.prepare("INSERT OR IGNORE INTO damaged_blobs (blob_id, bucket, key, reason, detected_at)"
                    + " VALUES (?, ?, ?, ?, ?)");
            ps.setString(1, blobId);
            ps.setString(2, bucket);
            ps.setString(3, key);
            TxImpl.setNullableString(ps, 4, reason);
            ps.setLong(5, at.toEpochMilli());
            return ps.executeUpdate() == 1;
        });
    }

    /** Removes the damaged mark of a blob (an intact replica was found again); true when there was one. */
    public boolean unmarkDamaged(String blobId) {
        return inTransaction("unmark damaged blob " + blobId, db -> {
            PreparedStatement ps = db.prepare("DELETE FROM damaged_blobs WHERE blob_id = ?");
            ps.setString(1, blobId);
            return ps.executeUpdate() == 1;
        });
    }

    /** Blob ids marked damaged whose object still points at them. */
    public Set<String> damagedBlobIds() {
        return read("list damaged blobs", db -> {
            Set<String> ids = new HashSet<>();
            try (ResultSet rs = db.prepare("SELECT d.blob_id FROM damaged_blobs d JOIN objects o"
                    + " ON o.bucket = d.bucket AND o.key = d.key AND o.blob_id = d.blob_id").executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
            return ids;
        });
    }

    // ---------------------------------------------------------------- multipart uploads

    /** The upload as last committed, if it is in progress. */
    public Optional<UploadRecord> upload(String uploadId) {
        return read("read upload " + uploadId, db -> Queries.upload(db, uploadId));
    }

    /** Parts of an upload numbered above {@code afterPartNumber}, ascending, at most {@code limit}. */
    public List<PartRecord> parts(String uploadId, int afterPartNumber, int limit) {
        return read("list parts of upload " + uploadId, db -> Queries.parts(db, uploadId, afterPartNumber, limit));
    }

    /**
     * Uploads in progress in a bucket whose key starts with {@code prefix}, after the position
     * ({@code afterKey}, {@code afterUploadId}) (null: from the start; a null upload id skips the
     * whole key), ordered by key (UTF-8 bytes) then initiation, at most {@code limit}.
     */
    public List<UploadRecord> uploads(String bucket, String prefix, String afterKey, String afterUploadId, int limit) {
        String p = prefix == null ? "" : prefix;
        StringBuilder sql = new StringBuilder("SELECT ").append(Rows.UPLOAD_COLUMNS)
                .append(" FROM uploads WHERE bucket = ? AND substr(key, 1, length(?)) = ?");
        if (afterKey != null) {
            sql.append(afterUploadId == null ? " AND key > ?" : " AND (key > ? OR (key = ? AND upload_id > ?))");
        }
        sql.append(" ORDER BY key, upload_id LIMIT ?");
        return read("list uploads of " + bucket, db -> {
            PreparedStatement ps = db.prepare(sql.toString());
            int i = 1;
            ps.setString(i++, bucket);
            ps.setString(i++, p);
            ps.setString(i++, p);
            if (afterKey != null) {
                ps.setString(i++, afterKey);
                if (afterUploadId != null) {
                    ps.setString(i++, afterKey);
                    ps.setString(i++, afterUploadId);
                }
            }
            ps.setInt(i, limit);
            List<UploadRecord> uploads = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    uploads.add(Rows.upload(rs));
                }
            }
            return uploads;
        });
    }

    /** Uploads in progress, in any bucket, initiated before {@code cutoff}; oldest first, at most {@code limit}. */
    public List<UploadRecord> uploadsInitiatedBefore(Instant cutoff, int limit) {
        return read("list uploads initiated before " + cutoff, db -> {
            PreparedStatement ps = db.prepare("SELECT " + Rows.UPLOAD_COLUMNS
                    + " FROM uploads WHERE initiated < ? ORDER BY initiated, upload_id LIMIT ?");
            ps.setLong(1, cutoff.toEpochMilli());
            ps.setInt(2, limit);
            List<UploadRecord> uploads = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    uploads.add(Rows.upload(rs));
                }
            }
            return uploads;
        });
    }

    /** The layout of a completed multipart object whose row points at {@code blobId}, if it is one. */
    public Optional<MultipartLayout> multipartLayout(String bucket, String key, String blobId) {
        return read("read the parts of " + bucket + "/" + key, db -> {
            PreparedStatement ps = db.prepare("SELECT blob_id, content_md5, part_sizes FROM multipart_objects"
                    + " WHERE bucket = ? AND key = ? AND blob_id = ?");
            ps.setString(1, bucket);
            ps.setString(2, key);
            ps.setString(3, blobId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(Rows.layout(rs)) : Optional.empty();
            }
        });
    }

    /** Every bucket's statistics, sorted by bucket name. */
    public List<BucketStatsRecord> bucketStats() {
        return read("read bucket statistics", db -> {
            List<BucketStatsRecord> stats = new ArrayList<>();
            try (ResultSet rs = db.prepare("SELECT " + STATS_COLUMNS + " FROM bucket_stats ORDER BY bucket").executeQuery()) {
                while (rs.next()) {
                    stats.add(statsRow(rs));
                }
            }
            return stats;
        });
    }

    /** One bucket's statistics, if the bucket exists. */
    public Optional<BucketStatsRecord> bucketStats(String bucket) {
        return read("read statistics of bucket " + bucket, db -> {
            PreparedStatement ps = db.prepare("SELECT " + STATS_COLUMNS + " FROM bucket_stats WHERE bucket = ?");
            ps.setString(1, bucket);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(statsRow(rs)) : Optional.empty();
            }
        });
    }

    private static final String STATS_COLUMNS = "bucket, objects, bytes, uploads, uploaded_bytes, last_upload_at";

    private static BucketStatsRecord statsRow(ResultSet rs) throws SQLException {
        long last = rs.getLong(6);
        Instant lastUploadAt = rs.wasNull() ? null : Instant.ofEpochMilli(last);
        return new BucketStatsRecord(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5),
                lastUploadAt);
    }

    // ---------------------------------------------------------------- tasks

    /**
     * True when a task queued with {@link Tx#enqueueTaskOnce} under this key is still in the table
     * (open or parked as failed). One index lookup on a read connection: no write lock.
     */
    public boolean hasTask(String uniqueKey) {
        return read("look up task " + uniqueKey, db -> {
            PreparedStatement ps = db.prepare("SELECT 1 FROM tasks WHERE unique_key = ?");
            ps.setString(1, uniqueKey);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        });
    }

    /**
     * Claims up to {@code max} pending tasks whose next_run_at is not after {@code now}, oldest
     * first, marking them running (attempts + 1); the records returned show the new state.
     * Checks on a read connection first, so idle polling never takes the write lock.
     */
    public List<TaskRecord> claimTasks(int max, Instant now) {
        if (max <= 0) {
            return List.of();
        }
        long nowMillis = now.toEpochMilli();
        if (!hasDueTasks(now)) {
            return List.of();
        }
        return inTransaction("claim tasks", db -> {
            PreparedStatement select = db.prepare("SELECT " + Rows.TASK_COLUMNS
                    + " FROM tasks WHERE state = 'pending' AND next_run_at <= ? ORDER BY id LIMIT ?");
            select.setLong(1, nowMillis);
            select.setInt(2, max);
            List<TaskRecord> claimed = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    TaskRecord t = Rows.task(rs);
                    claimed.add(new TaskRecord(t.id(), t.kind(), t.payload(), RUNNING, t.attempts() + 1,
                            t.createdAt(), t.nextRunAt(), t.lastError()));
                }
            }
            PreparedStatement update = db.prepare(
                    "UPDATE tasks SET state = 'running', attempts = attempts + 1 WHERE id = ?");
            for (TaskRecord t : claimed) {
                update.setLong(1, t.id());
                update.executeUpdate();
            }
            return claimed;
        });
    }

    /** True when a pending task's next_run_at is not after {@code now}. On a read connection: no write lock. */
    public boolean hasDueTasks(Instant now) {
        return read("look for due tasks", db -> {
            PreparedStatement ps = db.prepare("SELECT 1 FROM tasks WHERE state = 'pending' AND next_run_at <= ? LIMIT 1");
            ps.setLong(1, now.toEpochMilli());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        });
    }

    /** Removes a finished task. */
    public void completeTask(long id) {
        completeTasks(List.of(id));
    }

    /** Removes finished tasks, all in one transaction (a worker's batch costs one commit). */
    public void completeTasks(List<Long> ids) {
        if (ids.isEmpty()) {
            return;
        }
        inTransaction("complete " + ids.size() + " task(s)", db -> {
            PreparedStatement ps = db.prepare("DELETE FROM tasks WHERE id = ?");
            for (long id : ids) {
                ps.setLong(1, id);
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** Puts a task back to pending after a failed attempt, not to be claimed before {@code nextRunAt}. */
    public void retryTask(long id, String error, Instant nextRunAt) {
        inTransaction("retry task " + id, db -> {
            PreparedStatement ps = db.prepare(
                    "UPDATE tasks SET state = 'pending', last_error = ?, next_run_at = ? WHERE id = ?");
            TxImpl.setNullableString(ps, 1, error);
            ps.setLong(2, nextRunAt.toEpochMilli());
            ps.setLong(3, id);
            return ps.executeUpdate();
        });
    }

    /** Parks a task as failed for good, keeping its last error. */
    public void failTask(long id, String error) {
        inTransaction("fail task " + id, db -> {
            PreparedStatement ps = db.prepare("UPDATE tasks SET state = 'failed', last_error = ? WHERE id = ?");
            TxImpl.setNullableString(ps, 1, error);
            ps.setLong(2, id);
            return ps.executeUpdate();
        });
    }

    /** Marks tasks left running by a previous process as pending again (called at start-up); returns how many. */
    public int resetRunningTasks() {
        return inTransaction("reset running tasks",
                db -> db.prepare("UPDATE tasks SET state = 'pending' WHERE state = 'running'").executeUpdate());
    }

    /** Tasks by state: pending + running. */
    public long openTaskCount() {
        return read("count open tasks", db -> {
            try (ResultSet rs = db.prepare("SELECT count(*) FROM tasks WHERE state IN ('pending', 'running')")
                    .executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    /** Tasks parked as failed (they stay in the table, with their last error, until removed by hand). */
    public long failedTaskCount() {
        return read("count failed tasks", db -> {
            try (ResultSet rs = db.prepare("SELECT count(*) FROM tasks WHERE state = '" + FAILED + "'").executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    /** Pending and running tasks, oldest first, at most {@code limit}. */
    public List<TaskRecord> openTasks(int limit) {
        return tasks("SELECT " + Rows.TASK_COLUMNS
                + " FROM tasks WHERE state IN ('pending', 'running') ORDER BY id LIMIT ?", limit);
    }

    /** Tasks parked as failed, oldest first, at most {@code limit}. */
    public List<TaskRecord> failedTasks(int limit) {
        return tasks("SELECT " + Rows.TASK_COLUMNS + " FROM tasks WHERE state = '" + FAILED
                + "' ORDER BY id LIMIT ?", limit);
    }

    private List<TaskRecord> tasks(String sql, int limit) {
        return read("list tasks", db -> {
            PreparedStatement ps = db.prepare(sql);
            ps.setInt(1, Math.max(0, limit));
            List<TaskRecord> tasks = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    tasks.add(Rows.task(rs));
                }
            }
            return tasks;
        });
    }

    // ---------------------------------------------------------------- lifecycle

    /** Cheap liveness probe: the database answers a trivial query. False once closed. */
    public boolean isHealthy() {
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

    /**
     * Closes every connection (idempotent). Waits up to the lock timeout for a running write;
     * read connections in use are closed when they are given back.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        SqlConnection idle;
        while ((idle = idleReaders.poll()) != null) {
            idle.close();
        }
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

    @Override
    public String toString() {
        return "MetadataStore(" + file + (closed.get() ? ", closed" : "") + ")";
    }
}
