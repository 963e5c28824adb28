package dev.mockstorage.internal.service;

import dev.mockstorage.internal.error.ErrorCode;
import dev.mockstorage.internal.error.StorageException;
import dev.mockstorage.internal.metadata.BucketRecord;
import dev.mockstorage.internal.metadata.BucketSetting;
import dev.mockstorage.internal.metadata.MetadataStore;
import dev.mockstorage.internal.metadata.ObjectLockConfig;
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
    /** Buckets with object lock enabled: their writes look for a default retention. Replaced, never changed. */
    private volatile Set<String> locked = Set.of();

    Buckets(MetadataStore metadata, TaskQueue queue, Clock clock) {
        this.metadata = metadata;
        this.queue = queue;
        this.clock = clock;
        if (!metadata.isNew()) { // a new store has no buckets
            refreshVersioned();
        }
    }

    /** Every bucket, in name order. */
    public List<BucketRecord> list() {
        return metadata.buckets();
    }

    /**
     * One page of ListBuckets: up to {@code max} buckets whose names start with {@code prefix}, after the bucket
     * named {@code after} (null: from the first), in name order.
     */
    public BucketPage page(String prefix, String after, int max) {
        List<BucketRecord> found = metadata.buckets(prefix, after == null ? "" : after, max + 1);
        if (found.size() <= max) {
            return new BucketPage(found, false);
        }
        return new BucketPage(List.copyOf(found.subList(0, max)), true);
    }

    /**
     * A page of buckets.
     *
     * @param buckets   the page's buckets, in name order
     * @param truncated whether more follow the last one
     */
    public record BucketPage(List<BucketRecord> buckets, boolean truncated) {}

    /** Creates a bucket; {@code BucketAlreadyOwnedByYou} when it exists. */
    public BucketRecord create(String name) {
        return create(name, BucketCreation.PLAIN);
    }

    /** Creates a bucket with the settings CreateBucket asked for, in one transaction; {@code BucketAlreadyOwnedByYou} when it exists. */
    public BucketRecord create(String name, BucketCreation creation) {
        BucketNames.validate(name);
        Acls.checkCreation(creation);
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        boolean created = metadata.write(tx -> {
            if (!tx.createBucket(name, now)) {
                return false;
            }
            if (creation.grants() != null) {
                tx.setBucketSetting(name, BucketSetting.ACL, creation.grants());
            }
            if (creation.objectOwnership() != null) {
                tx.setBucketSetting(name, BucketSetting.OBJECT_OWNERSHIP, creation.objectOwnership());
            }
            if (creation.objectLock()) {
                tx.setBucketVersioning(name, BucketRecord.ENABLED);
                tx.setObjectLockConfig(name, ObjectLockConfig.ENABLED);
            }
            return true;
        });
        if (!created) {
            throw new StorageException(
                            ErrorCode.BucketAlreadyOwnedByYou,
                            "Your previous request to create the named bucket succeeded and you already own it: "
                                    + name,
                            name)
                    .with("BucketName", name);
        }
        if (creation.objectLock()) {
            refreshVersioned();
            return new BucketRecord(name, now, BucketRecord.ENABLED);
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
                throw new StorageException(
                                ErrorCode.BucketNotEmpty, "The bucket you tried to delete is not empty: " + name, name)
                        .with("BucketName", name);
            }
            DeleteBlobs.enqueue(tx, tx.deleteUploads(name)); // S3 drops the bucket's unfinished uploads with it
            return tx.deleteBucket(name);
        });
        if (versioned.contains(name) || locked.contains(name)) {
            refreshVersioned();
        }
        queue.wakeUp();
    }

    /** True when the bucket has versioning configured (Enabled or Suspended, now or before); no query. */
    public boolean isVersioned(String bucket) {
        Set<String> names = versioned;
        return !names.isEmpty() && names.contains(bucket);
    }

    /** True when the bucket has object lock enabled; no query. */
    public boolean hasObjectLock(String bucket) {
        Set<String> names = locked;
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
            throw new StorageException(
                    ErrorCode.IllegalVersioningConfigurationException,
                    "The versioning status must be Enabled or Suspended, not '" + status + "'");
        }
        boolean set = metadata.write(tx -> {
            if (BucketRecord.SUSPENDED.equals(status)
                    && tx.objectLockConfig(bucket).isPresent()) {
                throw new StorageException(
                        ErrorCode.InvalidBucketState,
                        "An Object Lock configuration is present on this bucket,"
                                + " so the versioning state cannot be changed: " + bucket,
                        bucket);
            }
            return tx.setBucketVersioning(bucket, status);
        });
        if (!set) {
            throw NotFound.bucket(bucket);
        }
        refreshVersioned();
    }

    /** Reloads which buckets have versioning configured and object lock enabled (after buckets went or those changed). */
    void refreshVersioned() {
        locked = Set.copyOf(metadata.objectLockBuckets());
        Set<String> names = new HashSet<>();
        for (BucketRecord b : metadata.buckets()) {
            if (b.versioning() != null) {
                names.add(b.name());
            }
        }
        versioned = Set.copyOf(names);
    }
}
