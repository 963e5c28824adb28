package dev.mockstorage.internal.metadata;

import dev.mockstorage.internal.error.StorageException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * SQLite metadata: buckets and their settings, objects, versions, multipart uploads, statistics and the task table;
 * what the rest of the server calls. Its methods run alone: each read on a read connection (the
 * last committed state; it never waits for a writer) and each change in its own transaction. Work
 * that must share a transaction goes through {@link #write}, whose {@link Tx} it is given; the
 * read methods here do not see that transaction's uncommitted changes.
 *
 * <p>Below it, {@link Database} holds the connections, the write lock and the transactions, and
 * one {@code *Table} class per table holds its SQL. Thread-safe.
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

    /**
     * True when this open created the database (a copy of the schema template, or a new file migrated from
     * scratch), so that every table was empty then: a start need not read what an empty store holds (buckets'
     * versioning and object-lock flags, damaged marks, the last part upload, tasks left running). Every
     * {@code @MockStorage} test and every container starts on one; the reads would open a read connection
     * (which parses the schema again) for nothing.
     */
    public boolean isNew() {
        return database.created();
    }

    /**
     * Loads SQLite's driver and native library and runs one statement on an in-memory database, so that
     * the {@link #open} of a start that called this first, on another thread, finds them loaded. The
     * standalone jar's {@code main} does, while it reads its settings: on two cores the two overlap.
     * Never fails: whatever goes wrong here goes wrong again in {@link #open}, which reports it.
     */
    public static void preload() {
        SqliteLibrary.prepare();
        SqlConnection.preload();
    }

    /** The database file. */
    public Path file() {
        return database.file();
    }

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

    // ---------------------------------------------------------------- buckets

    /** The bucket as last committed, if it exists. */
    public Optional<BucketRecord> bucket(String name) {
        return database.read("read bucket " + name, db -> BucketTable.find(db, name));
    }

    /** All buckets sorted by name. */
    public List<BucketRecord> buckets() {
        return database.read("list buckets", BucketTable::all);
    }

    /** Up to {@code limit} buckets named after {@code after} ("": from the first) that start with {@code prefix}, sorted by name. */
    public List<BucketRecord> buckets(String prefix, String after, int limit) {
        return database.read("list buckets", db -> BucketTable.page(db, prefix, after, limit));
    }

    /**
     * The bucket's CORS rules as last committed (one primary-key lookup); empty when the bucket has no
     * CORS configuration or does not exist.
     */
    public Optional<List<CorsRule>> bucketCors(String bucket) {
        return database.read("read CORS rules of bucket " + bucket, db -> BucketTable.cors(db, bucket));
    }

    /** The bucket's setting as last committed (one primary-key lookup); empty when it has none or does not exist. */
    public <T> Optional<T> bucketSetting(String bucket, BucketSetting<T> setting) {
        return database.read(
                "read " + setting + " of bucket " + bucket, db -> BucketSettingTable.find(db, bucket, setting));
    }

    /** Every bucket that has the setting, with its value, by bucket name. */
    public <T> Map<String, T> bucketSettings(BucketSetting<T> setting) {
        return database.read("read " + setting + " of every bucket", db -> BucketSettingTable.all(db, setting));
    }

    /** The bucket's lifecycle rules as last committed; empty when it has none (or does not exist). */
    public Optional<List<LifecycleRule>> bucketLifecycle(String bucket) {
        return database.read("read lifecycle rules of " + bucket, db -> BucketTable.lifecycle(db, bucket));
    }

    /** The buckets that have lifecycle rules, by name: one read of a table that is empty unless rules were put. */
    public List<String> lifecycleBuckets() {
        return database.read("list buckets with lifecycle rules", BucketTable::lifecycleBuckets);
    }

    /** The bucket's object-lock configuration as last committed; empty when object lock is not enabled on it. */
    public Optional<ObjectLockConfig> objectLockConfig(String bucket) {
        return database.read(
                "read the object-lock configuration of " + bucket, db -> ObjectLockTable.config(db, bucket));
    }

    /** The buckets with object lock enabled. */
    public Set<String> objectLockBuckets() {
        return database.read("list buckets with object lock", ObjectLockTable::buckets);
    }

    /** The lock of one version ({@code "null"}: the null version) as last committed, if it has one. */
    public Optional<ObjectLock> objectLock(String bucket, String key, String versionId) {
        return database.read(
                "read the lock of " + bucket + "/" + key, db -> ObjectLockTable.lock(db, bucket, key, versionId));
    }

    /** Every bucket's statistics, sorted by bucket name. */
    public List<BucketStatsRecord> bucketStats() {
        return database.read("read bucket statistics", BucketStatsTable::all);
    }

    /** One bucket's statistics, if the bucket exists. */
    public Optional<BucketStatsRecord> bucketStats(String bucket) {
        return database.read("read statistics of bucket " + bucket, db -> BucketStatsTable.find(db, bucket));
    }

    /**
     * Every bucket with its object count and bytes (empty buckets included), by name, from the bucket
     * statistics (no count of the object rows).
     */
    public List<BucketTotals> bucketTotals() {
        return database.read("count objects per bucket", ObjectTable::totals);
    }

    // ---------------------------------------------------------------- objects

    /** The object's current row as last committed (one primary-key lookup), if it exists. */
    public Optional<ObjectRecord> object(String bucket, String key) {
        return database.read("read object " + bucket + "/" + key, db -> ObjectTable.find(db, bucket, key));
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
        return database.read("list objects of " + bucket, db -> ObjectTable.list(db, bucket, prefix, afterKey, limit));
    }

    /**
     * As {@link #listObjects(String, String, String, int)}, but from {@code fromKey} inclusive: for a
     * listing that rolls keys up into a common prefix and goes on at the prefix's successor
     * ({@link KeyRange#successor}) instead of reading every key under it.
     */
    public List<ObjectRecord> listObjectsFrom(String bucket, String prefix, String fromKey, int limit) {
        if (limit <= 0) {
            return List.of();
        }
        return database.read(
                "list objects of " + bucket, db -> ObjectTable.listFrom(db, bucket, prefix, fromKey, limit));
    }

    /** Number of objects and total bytes ({@code [count, bytes]}) in a bucket (null: all buckets). */
    public long[] countAndBytes(String bucket) {
        return database.read("count objects", db -> ObjectTable.countAndBytes(db, bucket));
    }

    /** Rows a search that filters row by row examines per page at most (see {@link #findObjects}). */
    public static final int SEARCH_BUDGET = 10_000;

    /**
     * Objects across buckets matching {@code query}, ordered by bucket then key (UTF-8 byte order),
     * strictly after ({@code afterBucket}, {@code afterKey}) when given, at most {@code limit}.
     * A page costs its rows wherever it starts (see {@link ObjectTable}); filters other than bucket and
     * prefix are checked row by row within the prefix's range, at most {@link #SEARCH_BUDGET} rows per page.
     */
    public FoundObjects findObjects(ObjectQuery query, String afterBucket, String afterKey, int limit) {
        return findObjects(query, afterBucket, afterKey, limit, SEARCH_BUDGET);
    }

    /** {@link #findObjects(ObjectQuery, String, String, int)} examining at most {@code budget} rows. */
    public FoundObjects findObjects(ObjectQuery query, String afterBucket, String afterKey, int limit, int budget) {
        if (limit <= 0) {
            return FoundObjects.NONE;
        }
        return database.read(
                "find objects", db -> ObjectTable.search(db, query, afterBucket, afterKey, limit, Math.max(1, budget)));
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
    public void forEachReferencedBlobId(Consumer<String> sink) {
        database.read("list blob ids", db -> {
            ObjectTable.blobIds(db, sink);
            MultipartTable.partBlobIds(db, sink);
            // noncurrent versions keep their blobs: a repairing check must never take them for orphans
            VersionTable.blobIds(db, sink);
            return null;
        });
    }

    // ---------------------------------------------------------------- versions

    /** One version of a key by S3 version id ({@code "null"}: the null version), as last committed. */
    public Optional<ObjectVersion> version(String bucket, String key, String versionId) {
        return database.read(
                "read version " + versionId + " of " + bucket + "/" + key,
                db -> VersionTable.version(db, bucket, key, versionId));
    }

    /** The key's newest version (current row, else newest delete marker), as last committed. */
    public Optional<ObjectVersion> latestVersion(String bucket, String key) {
        return database.read(
                "read latest version of " + bucket + "/" + key, db -> VersionTable.latest(db, bucket, key));
    }

    /**
     * Versions and delete markers of a bucket whose key starts with {@code prefix}: keys in UTF-8 byte order,
     * newest first within a key, at most {@code limit}. With {@code afterKey}, strictly after the version
     * {@code afterVersionId} of that key (null, or a version no longer there: after all of that key's versions).
     */
    public List<ObjectVersion> listVersions(
            String bucket, String prefix, String afterKey, String afterVersionId, int limit) {
        if (limit <= 0) {
            return List.of();
        }
        return database.read(
                "list versions of " + bucket,
                db -> VersionTable.list(db, bucket, prefix, afterKey, afterVersionId, null, limit));
    }

    /**
     * As {@link #listVersions(String, String, String, String, int)}, from the first version of {@code fromKey}
     * (inclusive; a key after the prefix's keys gives nothing): to go on after a common prefix.
     */
    public List<ObjectVersion> listVersionsFrom(String bucket, String prefix, String fromKey, int limit) {
        if (limit <= 0) {
            return List.of();
        }
        return database.read(
                "list versions of " + bucket, db -> VersionTable.list(db, bucket, prefix, null, null, fromKey, limit));
    }

    /** Number of noncurrent versions and delete markers in a bucket (null: all buckets). */
    public long noncurrentVersionCount(String bucket) {
        return database.read("count versions", db -> VersionTable.count(db, bucket));
    }

    // ---------------------------------------------------------------- damaged objects

    /**
     * Marks the object version stored in {@code blobId} as damaged (no intact replica anywhere); true
     * when the object still pointed at that blob and the mark is new.
     */
    public boolean markDamaged(String bucket, String key, String blobId, String reason, Instant at) {
        return database.write("mark " + bucket + "/" + key + " damaged", db -> {
            Optional<ObjectRecord> current = ObjectTable.find(db, bucket, key);
            return current.isPresent()
                    && current.get().blobId().equals(blobId)
                    && DamagedBlobTable.mark(db, bucket, key, blobId, reason, at);
        });
    }

    /** Removes the damaged mark of a blob (an intact replica was found again); true when there was one. */
    public boolean unmarkDamaged(String blobId) {
        return database.write("unmark damaged blob " + blobId, db -> DamagedBlobTable.unmark(db, blobId));
    }

    /** Blob ids marked damaged whose object still points at them. */
    public Set<String> damagedBlobIds() {
        return database.read("list damaged blobs", DamagedBlobTable::ofCurrentObjects);
    }

    // ---------------------------------------------------------------- multipart uploads

    /** The upload as last committed, if it is in progress. */
    public Optional<UploadRecord> upload(String uploadId) {
        return database.read("read upload " + uploadId, db -> MultipartTable.upload(db, uploadId));
    }

    /** Parts of an upload numbered above {@code afterPartNumber}, ascending, at most {@code limit}. */
    public List<PartRecord> parts(String uploadId, int afterPartNumber, int limit) {
        return database.read(
                "list parts of upload " + uploadId, db -> MultipartTable.parts(db, uploadId, afterPartNumber, limit));
    }

    /**
     * Uploads in progress in a bucket whose key starts with {@code prefix}, after the position
     * ({@code afterKey}, {@code afterUploadId}) (null: from the start; a null upload id skips the
     * whole key), ordered by key (UTF-8 bytes) then initiation, at most {@code limit}.
     */
    public List<UploadRecord> uploads(String bucket, String prefix, String afterKey, String afterUploadId, int limit) {
        return database.read(
                "list uploads of " + bucket,
                db -> MultipartTable.uploads(db, bucket, prefix, afterKey, afterUploadId, limit));
    }

    /** Uploads in progress, in any bucket, initiated before {@code cutoff}; oldest first, at most {@code limit}. */
    public List<UploadRecord> uploadsInitiatedBefore(Instant cutoff, int limit) {
        return database.read(
                "list uploads initiated before " + cutoff, db -> MultipartTable.initiatedBefore(db, cutoff, limit));
    }

    /** The current object of {@code bucket/key} while it is the one completed from {@code uploadId}. */
    public Optional<ObjectRecord> completedUpload(String bucket, String key, String uploadId) {
        return database.read(
                "read the object completed from upload " + uploadId,
                db -> MultipartTable.completedBy(db, bucket, key, uploadId));
    }

    /** The largest {@link PartRecord#started} stored, where a new process goes on counting. */
    public long lastPartStart() {
        return database.read("read the last part start", MultipartTable::lastPartStart);
    }

    /** The layout of a completed multipart object whose row points at {@code blobId}, if it is one. */
    public Optional<MultipartLayout> multipartLayout(String bucket, String key, String blobId) {
        return database.read(
                "read the parts of " + bucket + "/" + key, db -> MultipartTable.layout(db, bucket, key, blobId));
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

    /**
     * Makes every task waiting for a storage node pending, due now; returns how many. Called when a
     * node returns.
     */
    public int releaseWaitingTasks(Instant now) {
        return database.write("release waiting tasks", db -> TaskTable.releaseWaiting(db, now));
    }

    /** Tasks by state: pending + running. */
    public long openTaskCount() {
        return database.read("count open tasks", TaskTable::countOpen);
    }

    /** Tasks parked as failed (they stay in the table, with their last error, until removed by hand). */
    public long failedTaskCount() {
        return database.read("count failed tasks", TaskTable::countFailed);
    }

    /** Tasks waiting for a storage node to return. */
    public long waitingTaskCount() {
        return database.read("count waiting tasks", TaskTable::countWaiting);
    }

    /** Pending and running tasks, oldest first, at most {@code limit}. */
    public List<TaskRecord> openTasks(int limit) {
        return database.read("list tasks", db -> TaskTable.open(db, limit));
    }

    /** Tasks parked as failed, oldest first, at most {@code limit}. */
    public List<TaskRecord> failedTasks(int limit) {
        return database.read("list tasks", db -> TaskTable.failed(db, limit));
    }

    /**
     * Every blob id named in a task's payload (any state, waiting ones included): blobs a task will
     * still delete, repair or count, which the consistency check must not treat as orphans. Tokens
     * of 32 lower-case hex characters are taken, so an ETag in a payload is included too (harmless).
     */
    public Set<String> taskBlobIds() {
        return database.read("list blob ids of tasks", TaskTable::payloadBlobIds);
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
