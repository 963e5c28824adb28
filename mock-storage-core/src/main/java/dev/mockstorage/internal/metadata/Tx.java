package dev.mockstorage.internal.metadata;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The operations available inside one metadata transaction ({@link MetadataStore#write}): work that
 * must share a transaction takes its {@code Tx}. Transactions do not nest: a {@code write} inside
 * another on the same thread is refused; a part that may fail alone is a {@link #savepoint}.
 */
public interface Tx {
    /**
     * Runs {@code work} on this transaction as a part that fails alone: when it throws, what it
     * changed is rolled back, the rest of the transaction stays, and the exception is rethrown.
     * {@code work} is given this {@code Tx}.
     */
    void savepoint(Consumer<Tx> work);

    Optional<BucketRecord> bucket(String name);

    /** Creates the bucket; false when it already exists (nothing changed). */
    boolean createBucket(String name, Instant createdAt);

    /** Deletes the bucket row; false when it did not exist. Callers check emptiness first. */
    boolean deleteBucket(String name);

    boolean bucketIsEmpty(String name);

    Optional<ObjectRecord> object(String bucket, String key);

    /** Inserts or replaces the object row; returns the row it replaced, if any. */
    Optional<ObjectRecord> putObject(ObjectRecord object);

    /** Deletes the object row; returns it if it existed. */
    Optional<ObjectRecord> deleteObject(String bucket, String key);

    /** Queues a task in this same transaction; returns its id. */
    long enqueueTask(String kind, String payload);

    /**
     * Queues a task that waits for a storage node to return: it is not run (nor counted as open)
     * until {@link MetadataStore#releaseWaitingTasks} makes it pending, e.g. the repair of a blob
     * written while a node was down.
     */
    void enqueueWaitingTask(String kind, String payload);

    /**
     * Queues a task unless a task with the same {@code uniqueKey} is still in the table (open, or
     * parked as failed); true when queued. The key is free again once that task is done.
     */
    boolean enqueueTaskOnce(String kind, String payload, String uniqueKey);

    // ---------------------------------------------------------------- the task queue's side

    /**
     * Claims up to {@code max} pending tasks whose next_run_at is not after {@code now}, oldest
     * first, marking them running (attempts + 1); the records returned show the new state.
     */
    List<TaskRecord> claimTasks(int max, Instant now);

    /** Removes finished tasks. */
    void completeTasks(List<Long> ids);

    // ---------------------------------------------------------------- bucket statistics

    /**
     * Adds to a bucket's current object count and byte total (negative to subtract); in the same
     * transaction as the object change, so the statistics never disagree with the objects.
     */
    void adjustBucketStats(String bucket, long objectsDelta, long bytesDelta);

    /**
     * Counts one stored upload of {@code size} bytes in the bucket's statistics. Nothing happens when
     * the bucket is gone or is a newer bucket of the same name (its creation time is not
     * {@code bucketCreatedAt}): the upload belonged to the deleted one.
     */
    void recordUpload(String bucket, Instant bucketCreatedAt, long size, Instant storedAt);

    // ---------------------------------------------------------------- multipart uploads

    /** Inserts a new multipart upload. */
    void createUpload(UploadRecord upload);

    Optional<UploadRecord> upload(String uploadId);

    /**
     * Stores a part unless the part of its number stored already was {@link PartRecord#started started} later (the
     * later-started upload wins, as on S3, whichever finished last). Returns the part that lost, whose blob nothing
     * refers to any more: the one replaced, or {@code part} itself; empty when there was none. The upload must exist.
     */
    Optional<PartRecord> putPart(PartRecord part);

    /** Every part of an upload, by part number. */
    List<PartRecord> parts(String uploadId);

    /** Deletes an upload and its parts; returns the part blob ids (empty when it did not exist). */
    List<String> deleteUpload(String uploadId);

    /** Deletes every upload of a bucket and their parts; returns the part blob ids. */
    List<String> deleteUploads(String bucket);

    /**
     * Records the layout of a completed multipart object; call after {@link #putObject} of the row
     * pointing at {@code layout.blobId()}. It goes when that row goes or points elsewhere.
     */
    void putMultipartLayout(String bucket, String key, MultipartLayout layout);

    /** The current object of {@code bucket/key} while it is the one completed from {@code uploadId}. */
    Optional<ObjectRecord> completedUpload(String bucket, String key, String uploadId);

    // ---------------------------------------------------------------- tagging

    /** Replaces the tags of an existing object row (empty: none) without touching anything else; false when no such row. */
    boolean setObjectTags(String bucket, String key, Map<String, String> tags);

    /** The bucket's tag set; empty when it has none. */
    Optional<Map<String, String>> bucketTags(String bucket);

    /** Replaces the bucket's tag set (empty: deletes it). The bucket must exist. */
    void setBucketTags(String bucket, Map<String, String> tags);

    // ---------------------------------------------------------------- CORS

    /** The bucket's CORS rules; empty when it has no CORS configuration. */
    Optional<List<CorsRule>> bucketCors(String bucket);

    /** Replaces the bucket's CORS rules (empty: deletes the configuration). The bucket must exist. */
    void setBucketCors(String bucket, List<CorsRule> rules);

    // ---------------------------------------------------------------- bucket settings and ACLs (the ACL migration in
    // Schema)

    /** The bucket's setting; empty when it has none. */
    <T> Optional<T> bucketSetting(String bucket, BucketSetting<T> setting);

    /** Sets the bucket's setting (null: removes it). The bucket must exist. */
    <T> void setBucketSetting(String bucket, BucketSetting<T> setting, T value);

    /**
     * Replaces the grants of one version of an object ({@code versionId} S3's, {@code "null"} for the null version),
     * current or noncurrent (null: none of its own, the owner's FULL_CONTROL); false when there is no such version
     * (or it is a delete marker).
     */
    boolean setObjectGrants(String bucket, String key, String versionId, List<Grant> grants);

    // ---------------------------------------------------------------- lifecycle

    /** The bucket's lifecycle rules; empty when it has no lifecycle configuration. */
    Optional<List<LifecycleRule>> bucketLifecycle(String bucket);

    /** Replaces the bucket's lifecycle rules (empty: deletes the configuration). The bucket must exist. */
    void setBucketLifecycle(String bucket, List<LifecycleRule> rules);

    /** The buckets that have lifecycle rules, by name. */
    List<String> lifecycleBuckets();

    // ---------------------------------------------------------------- object lock

    /** The bucket's object-lock configuration; empty when object lock is not enabled on it. */
    Optional<ObjectLockConfig> objectLockConfig(String bucket);

    /** Enables object lock on the bucket with this configuration (replacing the one it had). The bucket must exist. */
    void setObjectLockConfig(String bucket, ObjectLockConfig config);

    /** The lock of one version ({@code versionId} as S3 writes it: {@code "null"} for the null version), if it has one. */
    Optional<ObjectLock> objectLock(String bucket, String key, String versionId);

    /** Replaces the lock of one version; null or an empty lock removes it (call when the version is deleted). */
    void setObjectLock(String bucket, String key, String versionId, ObjectLock lock);

    // ---------------------------------------------------------------- versioning (the versioning migration in Schema)

    /** Sets the bucket's versioning status ({@link BucketRecord#ENABLED} or {@link BucketRecord#SUSPENDED}); false when no such bucket. */
    boolean setBucketVersioning(String bucket, String status);

    /** One version of a key by S3 version id ({@code "null"} for the null version): current or noncurrent, or a marker. */
    Optional<ObjectVersion> version(String bucket, String key, String versionId);

    /** The key's newest version: the current row, else its newest delete marker; empty when the key has no versions. */
    Optional<ObjectVersion> latestVersion(String bucket, String key);

    /**
     * Keeps {@code version} as the key's newest noncurrent version (call before its current row is replaced or
     * deleted: the row's blob stays referenced).
     */
    void addNoncurrentVersion(ObjectRecord version);

    /** Adds a delete marker as the key's newest version ({@code versionId} S3's, {@code "null"} for the null marker). */
    void addDeleteMarker(String bucket, String key, String versionId, Instant at);

    /** Removes a noncurrent version or delete marker by S3 version id; returns it if it existed. */
    Optional<ObjectVersion> deleteNoncurrentVersion(String bucket, String key, String versionId);

    /**
     * For a key without a current row: makes its newest noncurrent version current again when that is not a delete
     * marker (moves it into the objects table); returns it when it did.
     */
    Optional<ObjectRecord> promoteNewestVersion(String bucket, String key);

    /** Number of noncurrent versions and delete markers of one key (its current row not counted). */
    long noncurrentVersionCount(String bucket, String key);

    /** Removes every noncurrent version and delete marker of a bucket (a reset); returns their blob ids. */
    List<String> deleteAllNoncurrentVersions(String bucket);
}
