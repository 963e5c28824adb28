package dev.mockstorage.internal.metadata;

import java.time.Instant;
import java.util.Optional;

/** The operations available inside one metadata transaction ({@link MetadataStore#write}). */
public interface Tx {
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
}
