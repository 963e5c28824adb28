package dev.mockstorage.internal.metadata;

import dev.mockstorage.internal.error.StorageException;
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
    private final Database database;

    private MetadataStore(Database database) {
        this.database = database;
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
        return new MetadataStore(Database.open(file, fsync, lockTimeout));
    }

    /** The database file. */
    public Path file() {
        return database.file();
    }

    // ---------------------------------------------------------------- writing

    /**
     * Runs {@code work} in one transaction: commits on return, rolls back on any exception (rethrown).
     * Work that must share the transaction is given its {@link Tx}; a part that may fail alone is a
     * {@link Tx#savepoint}. The {@link Tx} must not be used after {@code work} returns.
     *
     * @throws IllegalStateException when this thread is already in a write (transactions do not nest)
     * @throws StorageException      SlowDown when the write lock is not acquired within the lock timeout;
     *                               InternalError when SQLite fails (the SQLException is the cause)
     */
    public <T> T write(Function<Tx, T> work) {
        return database.write("transaction", db -> {
            TxImpl tx = new TxImpl(db);
            try {
                return work.apply(tx);
            } finally {
                tx.end();
            }
        });
    }

    // ---------------------------------------------------------------- reading

    /** The bucket as last committed, if it exists. */
    public Optional<BucketRecord> bucket(String name) {
        return database.read("read bucket " + name, db -> Queries.bucket(db, name));
    }

    /**
     * The bucket's CORS rules as last committed (one primary-key lookup); empty when the bucket has no
     * CORS configuration or does not exist.
     */
    public Optional<List<CorsRule>> bucketCors(String bucket) {
        return database.read("read CORS rules of bucket " + bucket, db -> Queries.bucketCors(db, bucket));
    }

    /** All buckets sorted by name. */
    public List<BucketRecord> buckets() {
        return database.read("list buckets", db -> {
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
        return database.read("read object " + bucket + "/" + key, db -> Queries.object(db, bucket, key));
    }

    /**
     * Objects of a bucket whose key starts with {@code prefix} and sorts strictly after
     * {@code afterKey} (null: from the start), ascending by the key's UTF-8 bytes, at most {@code limit}.
     * Walks the primary-key index from the later of {@code prefix} and {@code afterKey} and stops at
     * the first key outside the prefix, so a page costs {@code limit} rows, not the bucket's size.
     */
    public List<ObjectRecord> listObjects(String bucket, String prefix, String afterKey, int limit) {
        if (limit <= 0) {
            return List.of();
        }
        String p = prefix == null ? "" : prefix;
        boolean fromAfterKey = afterKey != null && Queries.compareUtf8(afterKey, p) >= 0;
        String sql = "SELECT " + Rows.OBJECT_COLUMNS + " FROM objects WHERE bucket = ? AND key "
                + (fromAfterKey ? ">" : ">=") + " ? ORDER BY key LIMIT ?";
        return database.read("list objects of " + bucket, db -> {
            PreparedStatement ps = db.prepare(sql);
            ps.setString(1, bucket);
            ps.setString(2, fromAfterKey ? afterKey : p);
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
        return database.read("count objects", db -> {
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

    /** Every bucket with its object count and bytes (empty buckets included), by name. */
    public List<BucketTotals> bucketTotals() {
        return database.read("count objects per bucket", db -> {
            List<BucketTotals> out = new ArrayList<>();
            try (ResultSet rs = db.prepare("SELECT b.name, count(o.key), coalesce(sum(o.size), 0) FROM buckets b"
                    + " LEFT JOIN objects o ON o.bucket = b.name GROUP BY b.name ORDER BY b.name").executeQuery()) {
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
     * Filters other than bucket and prefix scan the rows in order; fine for a test store.
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
        if (afterBucket != null) {
            sql.append(" AND (bucket > ? OR (bucket = ? AND key > ?))");
            args.add(afterBucket);
            args.add(afterBucket);
            args.add(afterKey == null ? "" : afterKey);
        }
        sql.append(" ORDER BY bucket, key LIMIT ?");
        args.add(limit);
        String text = sql.toString();
        return database.read("find objects", db -> {
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
        return database.read("list blob ids", db -> {
            Set<String> ids = new HashSet<>();
            try (ResultSet rs = db.prepare("SELECT blob_id FROM objects").executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
            try (ResultSet rs = db.prepare("SELECT blob_id FROM upload_parts").executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
            // noncurrent versions keep their blobs: a repairing check must never take them for orphans
            try (ResultSet rs = db.prepare("SELECT blob_id FROM object_versions WHERE blob_id IS NOT NULL").executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
            return ids;
        });
    }

    /**
     * Every blob id named in a task's payload (any state, waiting ones included): blobs a task will
     * still delete, repair or count, which the consistency check must not treat as orphans. Tokens
     * of 32 lower-case hex characters are taken, so an ETag in a payload is included too (harmless).
     */
    public Set<String> taskBlobIds() {
        return database.read("list blob ids of tasks", TaskTable::payloadBlobIds);
    }

    /**
     * Makes every task waiting for a storage node pending, due now; returns how many. Called when a
     * node returns.
     */
    public int releaseWaitingTasks(Instant now) {
        return database.write("release waiting tasks", db -> TaskTable.releaseWaiting(db, now));
    }

    /** Tasks waiting for a storage node to return. */
    public long waitingTaskCount() {
        return database.read("count waiting tasks", TaskTable::countWaiting);
    }

    // ---------------------------------------------------------------- versions

    /** One version of a key by S3 version id ({@code "null"}: the null version), as last committed. */
    public Optional<ObjectVersion> version(String bucket, String key, String versionId) {
        return database.read("read version " + versionId + " of " + bucket + "/" + key,
                db -> VersionQueries.version(db, bucket, key, versionId));
    }

    /** The key's newest version (current row, else newest delete marker), as last committed. */
    public Optional<ObjectVersion> latestVersion(String bucket, String key) {
        return database.read("read latest version of " + bucket + "/" + key, db -> VersionQueries.latest(db, bucket, key));
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
        return database.read("list versions of " + bucket, db -> VersionQueries.list(db, bucket, prefix, afterKey, afterVersionId, limit));
    }

    /** Number of noncurrent versions and delete markers in a bucket (null: all buckets). */
    public long noncurrentVersionCount(String bucket) {
        return database.read("count versions", db -> {
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
        return database.write("mark " + bucket + "/" + key + " damaged", db -> {
            Optional<ObjectRecord> current = Queries.object(db, bucket, key);
            if (current.isEmpty() || !current.get().blobId().equals(blobId)) {
                return false;
            }
            PreparedStatement ps = db.prepare("INSERT OR IGNORE INTO damaged_blobs (blob_id, bucket, key, reason, detected_at)"
                    + " VALUES (?, ?, ?, ?, ?)");
            ps.setString(1, blobId);
            ps.setString(2, bucket);
            ps.setString(3, key);
            Rows.setNullableString(ps, 4, reason);
            ps.setLong(5, at.toEpochMilli());
            return ps.executeUpdate() == 1;
        });
    }

    /** Removes the damaged mark of a blob (an intact replica was found again); true when there was one. */
    public boolean unmarkDamaged(String blobId) {
        return database.write("unmark damaged blob " + blobId, db -> {
            PreparedStatement ps = db.prepare("DELETE FROM damaged_blobs WHERE blob_id = ?");
            ps.setString(1, blobId);
            return ps.executeUpdate() == 1;
        });
    }

    /** Blob ids marked damaged whose object still points at them. */
    public Set<String> damagedBlobIds() {
        return database.read("list damaged blobs", db -> {
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
        return database.read("read upload " + uploadId, db -> Queries.upload(db, uploadId));
    }

    /** Parts of an upload numbered above {@code afterPartNumber}, ascending, at most {@code limit}. */
    public List<PartRecord> parts(String uploadId, int afterPartNumber, int limit) {
        return database.read("list parts of upload " + uploadId, db -> Queries.parts(db, uploadId, afterPartNumber, limit));
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
        return database.read("list uploads of " + bucket, db -> {
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
        return database.read("list uploads initiated before " + cutoff, db -> {
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
        return database.read("read the parts of " + bucket + "/" + key, db -> {
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
        return database.read("read bucket statistics", db -> {
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
        return database.read("read statistics of bucket " + bucket, db -> {
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
        return database.read("look up task " + uniqueKey, db -> TaskTable.exists(db, uniqueKey));
    }


    /** True when a pending task's next_run_at is not after {@code now}. On a read connection: no write lock. */
    public boolean hasDueTasks(Instant now) {
        return database.read("look for due tasks", db -> TaskTable.hasDue(db, now));
    }


    /** Removes finished tasks, all in one transaction (a worker's batch costs one commit). */
    public void completeTasks(List<Long> ids) {
        if (ids.isEmpty()) {
            return;
        }
        database.write("complete " + ids.size() + " task(s)", db -> {
            TaskTable.delete(db, ids);
            return null;
        });
    }

    /** Puts a task back to pending after a failed attempt, not to be claimed before {@code nextRunAt}. */
    public void retryTask(long id, String error, Instant nextRunAt) {
        database.write("retry task " + id, db -> TaskTable.retry(db, id, error, nextRunAt));
    }

    /** Parks a task as failed for good, keeping its last error. */
    public void failTask(long id, String error) {
        database.write("fail task " + id, db -> TaskTable.fail(db, id, error));
    }

    /** Marks tasks left running by a previous process as pending again (called at start-up); returns how many. */
    public int resetRunningTasks() {
        return database.write("reset running tasks", TaskTable::resetRunning);
    }

    /** Tasks by state: pending + running. */
    public long openTaskCount() {
        return database.read("count open tasks", TaskTable::countOpen);
    }

    /** Tasks parked as failed (they stay in the table, with their last error, until removed by hand). */
    public long failedTaskCount() {
        return database.read("count failed tasks", TaskTable::countFailed);
    }

    /** Pending and running tasks, oldest first, at most {@code limit}. */
    public List<TaskRecord> openTasks(int limit) {
        return database.read("list tasks", db -> TaskTable.open(db, limit));
    }

    /** Tasks parked as failed, oldest first, at most {@code limit}. */
    public List<TaskRecord> failedTasks(int limit) {
        return database.read("list tasks", db -> TaskTable.failed(db, limit));
    }

    // ---------------------------------------------------------------- lifecycle

    /** Cheap liveness probe: the database answers a trivial query. False once closed. */
    public boolean isHealthy() {
        return database.isHealthy();
    }

    /**
     * Closes every connection (idempotent). Waits up to the lock timeout for a running write;
     * read connections in use are closed when they are given back.
     */
    @Override
    public void close() {
        database.close();
    }

    @Override
    public String toString() {
        return "MetadataStore(" + database.file() + (database.isClosed() ? ", closed" : "") + ")";
    }
}
