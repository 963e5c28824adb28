package dev.mockstorage.internal.service;

import dev.mockstorage.internal.error.ErrorCode;
import dev.mockstorage.internal.error.StorageException;
import dev.mockstorage.internal.metadata.BucketRecord;
import dev.mockstorage.internal.metadata.MetadataStore;
import dev.mockstorage.internal.queue.TaskQueue;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Buckets: listing, creation, deletion (with their unfinished uploads), and their versioning status,
 * of which the buckets that have one are kept in memory for the read path.
 */
public final class Buckets {
    private final MetadataStore metadata;
    private final TaskQueue queue;
    private final Clock clock;
    /**
     * Buckets with versioning configured (Enabled or Suspended): GET/HEAD of their null versions answer
     * {@code x-amz-version-id: null} without a bucket query. Replaced, never changed.
     */
    private volatile Set<String> versioned = Set.of();

    Buckets(MetadataStore metadata, TaskQueue queue, Clock clock) {
        this.metadata = metadata;
        this.queue = queue;
        this.clock = clock;
        refreshVersioned();
    }

    /** Every bucket, in name order. */
    public List<BucketRecord> list() {
        return metadata.buckets();
    }

    /** Creates a bucket; {@code BucketAlreadyOwnedByYou} when it exists. */
    public BucketRecord create(String name) {
        BucketNames.validate(name);
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        boolean created = metadata.write(tx -> tx.createBucket(name, now));
        if (!created) {
            throw new StorageException(ErrorCode.BucketAlreadyOwnedByYou,
                    "Your previous request to create the named bucket succeeded and you already own it: " + name, name)
                    .with("BucketName", name);
        }
        return new BucketRecord(name, now);
    }

    /** The bucket; {@code NoSuchBucket} when absent. */
    public BucketRecord require(String name) {
        return metadata.bucket(name).orElseThrow(() -> NotFound.bucket(name));
    }

    /** Deletes an empty bucket. */
    public void delete(String name) {
        metadata.write(tx -> {
            if (tx.bucket(name).isEmpty()) {
                throw NotFound.bucket(name);
            }
            if (!tx.bucketIsEmpty(name)) {
                throw new StorageException(ErrorCode.BucketNotEmpty,
                        "The bucket you tried to delete is not empty: " + name, name).with("BucketName", name);
            }
            DeleteBlobs.enqueue(tx, tx.deleteUploads(name)); // S3 drops the bucket's unfinished uploads with it
            return tx.deleteBucket(name);
        });
        if (versioned.contains(name)) {
            refreshVersioned();
        }
        queue.wakeUp();
    }

    /** True when the bucket has versioning configured (Enabled or Suspended, now or before); no query. */
    public boolean isVersioned(String bucket) {
        Set<String> names = versioned;
        return !names.isEmpty() && names.contains(bucket);
    }

    /** The bucket's versioning status: null (never configured), Enabled or Suspended; {@code NoSuchBucket} when absent. */
    public String versioning(String bucket) {
        return require(bucket).versioning();
    }

    /**
     * PutBucketVersioning: {@code status} is {@link BucketRecord#ENABLED} or {@link BucketRecord#SUSPENDED}
     * (checked by the caller). Once configured a bucket never returns to "never versioned", as on S3.
     */
    public void setVersioning(String bucket, String status) {
        if (!BucketRecord.ENABLED.equals(status) && !BucketRecord.SUSPENDED.equals(status)) {
            throw new StorageException(ErrorCode.IllegalVersioningConfigurationException,
                    "The versioning status must be Enabled or Suspended, not '" + status + "'");
        }
        boolean set = metadata.write(tx -> tx.setBucketVersioning(bucket, status));
        if (!set) {
            throw NotFound.bucket(bucket);
        }
        refreshVersioned();
    }

    /** Reloads which buckets have versioning configured (after buckets went or their versioning changed). */
    void refreshVersioned() {
        Set<String> names = new HashSet<>();
        for (BucketRecord b : metadata.buckets()) {
            if (b.versioning() != null) {
                names.add(b.name());
            }
        }
        versioned = Set.copyOf(names);
    }
}
