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
}
