package dev.mockstorage.internal.service;

import dev.mockstorage.internal.error.ErrorCode;
import dev.mockstorage.internal.error.StorageException;
import dev.mockstorage.internal.metadata.BucketRecord;
import dev.mockstorage.internal.metadata.MetadataStore;
import dev.mockstorage.internal.metadata.ObjectRecord;
import dev.mockstorage.internal.queue.TaskQueue;
import dev.mockstorage.internal.service.BlobWriter.StoredBlob;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * DESIGN.md's upload and delete, where the transaction boundary lives: a write streams the body once
 * into a pending blob on every node while hashing it ({@link BlobWriter}), commits the blob files,
 * then in ONE metadata transaction points the key at the new blob and queues the follow-up tasks (the
 * previous blob's deletion, the upload's bookkeeping). A failure before that transaction removes the
 * new files and leaves the old object. A delete removes the row and queues its blob's deletion in one
 * transaction. Versioned buckets keep versions as {@link VersionedWrites} says.
 */
public final class ObjectWrites {
    private final MetadataStore metadata;
    private final TaskQueue queue;
    private final Clock clock;
    private final boolean autoCreateBuckets;
    private final Buckets buckets;
    private final BlobWriter writer;
    private final ObjectReads reads;
    private final AccessControls access;

    ObjectWrites(
            MetadataStore metadata,
            TaskQueue queue,
            Clock clock,
            boolean autoCreateBuckets,
            Buckets buckets,
            BlobWriter writer,
            ObjectReads reads,
            AccessControls access) {
        this.metadata = metadata;
        this.queue = queue;
        this.clock = clock;
        this.autoCreateBuckets = autoCreateBuckets;
        this.buckets = buckets;
        this.writer = writer;
        this.reads = reads;
        this.access = access;
    }

    /**
     * Stores an object (DESIGN.md's upload flow). The body is read once, to its end.
     *
     * @return the stored record
     */
    public ObjectRecord put(ObjectWrite write, InputStream body) {
        return put(write, body, WriteCondition.NONE);
    }

    /**
     * Stores an object if {@code condition} holds of the key's current object, before the body is stored and
     * again when it commits (see {@link WriteCondition}).
     *
     * @return the stored record
     */
    public ObjectRecord put(ObjectWrite write, InputStream body, WriteCondition condition) {
        WriteChecks.validateKey(write.key());
        WriteChecks.validateUserMetadata(write.userMetadata());
        WriteChecks.checkDeclaredLength(write.declaredLength());
        byte[] expectedMd5 = WriteChecks.decodeContentMd5(write.contentMd5());
        WriteChecks.validateChecksumValues(write.checksums());
        ObjectLocks.validateRequested(write.lock(), clock.instant());
        if (!autoCreateBuckets) {
            buckets.require(write.bucket());
        } else if (metadata.bucket(write.bucket()).isEmpty()) {
            BucketNames.validate(write.bucket());
        }
        access.checkAclWrite(write.bucket(), write.grants());
        if (condition.any()) {
            condition.checkBefore(write.bucket(), write.key(), metadata.object(write.bucket(), write.key()));
        }
        queue.awaitRoom();

        StoredBlob stored = writer.store(write, body, expectedMd5);
        String blobId = stored.blobId();
        boolean underReplicated = stored.underReplicated();
        ObjectRecord record = new ObjectRecord(
                write.bucket(),
                write.key(),
                blobId,
                stored.size(),
                stored.md5Hex(),
                write.contentType(),
                now(),
                new LinkedHashMap<>(write.userMetadata()),
                new LinkedHashMap<>(write.headers()),
                stored.checksums(),
                write.tags(),
                null,
                write.grants());
        ObjectRecord committed;
        try {
            committed = metadata.write(tx -> {
                Optional<BucketRecord> bucket = tx.bucket(write.bucket());
                Instant bucketCreated;
                String versioning = null;
                if (bucket.isPresent()) {
                    bucketCreated = bucket.get().createdAt();
                    versioning = bucket.get().versioning();
                } else {
                    if (!autoCreateBuckets) {
                        throw NotFound.bucket(write.bucket());
                    }
                    tx.createBucket(write.bucket(), record.lastModified());
                    bucketCreated = record.lastModified();
                }
                if (condition.any()) {
                    condition.checkCommitting(write.bucket(), write.key(), tx.object(write.bucket(), write.key()));
                }
                ObjectRecord version =
                        versioning == null ? record : record.withVersionId(VersionedWrites.versionIdFor(versioning));
                Optional<ObjectRecord> previous = VersionedWrites.putCurrent(tx, version, versioning);
                if (write.lock() != null || buckets.hasObjectLock(write.bucket())) {
                    ObjectLocks.onWrite(tx, write.bucket(), version, write.lock(), record.lastModified());
                }
                tx.adjustBucketStats(
                        record.bucket(),
                        previous.isPresent() ? 0 : 1,
                        record.size() - previous.map(ObjectRecord::size).orElse(0L));
                UploadCompleted.enqueue(tx, record, bucketCreated);
                if (underReplicated) {
                    // storage.write_quorum below the node count: the nodes that missed it get it when they return
                    RepairBlob.enqueueWaiting(tx, record);
                }
                return version;
            });
        } catch (RuntimeException e) {
            writer.deleteQuietly(blobId);
            throw e;
        }
        queue.wakeUp();
        return committed;
    }

    /**
     * Copies an object: the source's bytes through the upload flow into {@code target}.
     *
     * @param source the source's current record (conditions already checked by the caller)
     */
    public ObjectRecord copy(ObjectRecord source, ObjectWrite target) {
        return copy(source, target, WriteCondition.NONE);
    }

    /**
     * Copies an object if {@code condition} holds of the destination key's current object (see {@link WriteCondition}).
     *
     * @param source the source's current record (its own conditions already checked by the caller)
     */
    public ObjectRecord copy(ObjectRecord source, ObjectWrite target, WriteCondition condition) {
        if (condition.any()) {
            condition.checkBefore(target.bucket(), target.key(), metadata.object(target.bucket(), target.key()));
        }
        try (InputStream in = reads.read(source, 0, source.size())) {
            return put(target, in, condition);
        } catch (IOException e) {
            throw new StorageException(
                    ErrorCode.InternalError, "could not read the copy source: " + e.getMessage(), null, e);
        }
    }

    /**
     * Deletes an object if present (S3 answers success either way); returns the record that stopped being
     * current. In a bucket with versioning configured this adds a delete marker (see {@link #deleteObject}).
     */
    public Optional<ObjectRecord> delete(String bucket, String key) {
        return deleteObject(bucket, key, null).removed();
    }

    /**
     * DeleteObject. Without {@code versionId}: in a never-versioned bucket the object goes (its blob by the
     * queue); with versioning configured a delete marker becomes the key's newest version. With
     * {@code versionId} (S3's id, {@code "null"} for the null version): that version goes for good; an unknown
     * one is no error, as on S3. {@code NoSuchBucket} when the bucket is absent.
     */
    public DeleteOutcome deleteObject(String bucket, String key, String versionId) {
        return deleteObject(bucket, key, versionId, false);
    }

    /**
     * DeleteObject as {@link #deleteObject(String, String, String)}; a version deleted by id must not be under a
     * legal hold or a retention that has not ended ({@code AccessDenied}), but for a governance retention when
     * {@code bypassGovernance} ({@code x-amz-bypass-governance-retention: true}).
     */
    public DeleteOutcome deleteObject(String bucket, String key, String versionId, boolean bypassGovernance) {
        if (versionId != null) {
            VersionedWrites.validateVersionId(versionId);
        }
        queue.awaitRoom();
        Instant now = now();
        DeleteOutcome outcome = metadata.write(tx -> {
            BucketRecord b = tx.bucket(bucket).orElseThrow(() -> NotFound.bucket(bucket));
            if (versionId != null) {
                ObjectLocks.releaseForDelete(tx, bucket, key, versionId, now, bypassGovernance);
                return VersionedWrites.deleteVersion(tx, bucket, key, versionId);
            }
            if (b.versioning() != null) {
                return VersionedWrites.deleteLatest(tx, b, key, now);
            }
            Optional<ObjectRecord> gone = tx.deleteObject(bucket, key);
            gone.ifPresent(r -> {
                DeleteBlob.enqueue(tx, r.blobId());
                tx.adjustBucketStats(bucket, -1, -r.size());
            });
            return new DeleteOutcome(gone, null, false);
        });
        if (outcome.removed().isPresent() || outcome.versionId() != null) {
            queue.wakeUp();
        }
        return outcome;
    }

    /** Replaces the tags of an existing object (empty: removes them); {@code NoSuchKey}/{@code NoSuchBucket} when absent. */
    public void setObjectTags(String bucket, String key, Map<String, String> tags) {
        Map<String, String> checked = Tags.validate(tags);
        boolean updated = metadata.write(tx -> tx.setObjectTags(bucket, key, checked));
        if (!updated) {
            buckets.require(bucket);
            throw NotFound.key(bucket, key);
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
