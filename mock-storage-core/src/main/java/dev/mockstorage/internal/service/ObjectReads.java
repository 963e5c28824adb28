package dev.mockstorage.internal.service;

import dev.mockstorage.internal.error.ErrorCode;
import dev.mockstorage.internal.error.StorageException;
import dev.mockstorage.internal.metadata.BucketRecord;
import dev.mockstorage.internal.metadata.MetadataStore;
import dev.mockstorage.internal.metadata.ObjectRecord;
import dev.mockstorage.internal.metadata.ObjectVersion;
import dev.mockstorage.internal.queue.TaskQueue;
import dev.mockstorage.internal.storage.BlobReader;
import dev.mockstorage.internal.storage.BlobStore;
import dev.mockstorage.internal.storage.DamagedBlobException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.nio.file.NoSuchFileException;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * DESIGN.md's download, without the third party: the current version or one by id, and its bytes
 * from the first node holding an intact copy. A read that finds a copy missing or damaged queues its
 * repair and carries on from an intact one; an object the consistency check marked damaged is
 * refused. Reading through from the third party is {@link ReadThrough}.
 */
public final class ObjectReads {
    private static final System.Logger LOG = System.getLogger(ObjectReads.class.getName());

    private final MetadataStore metadata;
    private final BlobStore blobs;
    private final TaskQueue queue;
    private final Buckets buckets;
    /**
     * Blob ids of object versions the consistency check marked damaged (no intact replica): a copy of
     * the metadata's marks, so GET and HEAD refuse them without a query. Replaced, never changed.
     */
    private volatile Set<String> damaged = Set.of();

    ObjectReads(MetadataStore metadata, BlobStore blobs, TaskQueue queue, Buckets buckets) {
        this.metadata = metadata;
        this.blobs = blobs;
        this.queue = queue;
        this.buckets = buckets;
        if (!metadata.isNew()) { // a new store has no damaged marks
            refreshDamaged();
        }
    }

    /** Reloads the damaged marks from the metadata (after a consistency check changed them). */
    public void refreshDamaged() {
        damaged = Set.copyOf(metadata.damagedBlobIds());
    }

    /**
     * The current version of an object, or empty when the key has none here. {@code InternalError} when
     * it is marked damaged, {@code NoSuchBucket} when the bucket is absent, {@code NoSuchKey} (with
     * {@code x-amz-delete-marker}) when its newest version is a delete marker.
     */
    Optional<ObjectRecord> current(String bucket, String key) {
        Optional<ObjectRecord> found = metadata.object(bucket, key);
        if (found.isPresent()) {
            Set<String> marked = damaged;
            if (!marked.isEmpty() && marked.contains(found.get().blobId())) {
                throw new StorageException(
                        ErrorCode.InternalError,
                        "the object " + bucket + "/" + key + " is damaged: the"
                                + " consistency check found no intact copy on any storage node (blob "
                                + found.get().blobId()
                                + "); PUT it again",
                        bucket + "/" + key);
            }
            return found;
        }
        BucketRecord b = buckets.require(bucket);
        if (b.versioning() != null) {
            Optional<ObjectVersion> latest = metadata.latestVersion(bucket, key);
            if (latest.isPresent() && latest.get().deleteMarker()) {
                throw NotFound.key(bucket, key)
                        .withHeader("x-amz-delete-marker", "true")
                        .withHeader("x-amz-version-id", latest.get().versionId());
            }
        }
        return found;
    }

    /**
     * One version of an object by S3 version id, for GET/HEAD ({@code method} names it in the error):
     * {@code InvalidArgument} for a malformed id, {@code NoSuchVersion} for an unknown one, {@code MethodNotAllowed}
     * (with {@code x-amz-delete-marker}) for a delete marker, {@code NoSuchBucket} when the bucket is absent.
     */
    public ObjectRecord headVersion(String bucket, String key, String versionId, String method) {
        return VersionedWrites.readable(version(bucket, key, versionId), bucket, key, versionId, method);
    }

    /** One version of an object or a delete marker by S3 version id; empty when unknown. Validates the id and the bucket. */
    public Optional<ObjectVersion> version(String bucket, String key, String versionId) {
        VersionedWrites.validateVersionId(versionId);
        Optional<ObjectVersion> found = metadata.version(bucket, key, versionId);
        if (found.isEmpty()) {
            buckets.require(bucket);
        }
        return found;
    }

    /**
     * Opens {@code length} bytes of the object's content from {@code offset}, from the first node
     * that holds an intact copy: right size and, checked against the stored MD5, right content
     * (see {@link BlobStore#find(String, long, String)} for what is checked when). Nodes found
     * lacking an intact copy get a repair queued. A large copy found damaged only while it streams
     * fails the stream (the client sees an aborted response, never wrong bytes) and queues a repair.
     */
    public InputStream read(ObjectRecord object, long offset, long length) {
        String md5 = ContentMd5.expected(metadata, object);
        Optional<BlobReader> reader = blobs.find(object.blobId(), object.size(), md5);
        if (reader.isEmpty()) {
            throw new BlobGoneException(
                    "no storage node holds an intact copy of " + object.bucket() + "/" + object.key() + " (blob "
                            + object.blobId() + ")",
                    object.bucket() + "/" + object.key(),
                    object.blobId(),
                    null);
        }
        if (!reader.get().missingOn().isEmpty()) {
            requestRepair(object, reader.get().missingOn());
        }
        InputStream in;
        try {
            in = reader.get().open(offset, length);
        } catch (NoSuchFileException e) {
            // overwritten and cleaned up between lookup and open: never wrong bytes; the caller looks again
            throw new BlobGoneException(
                    "the object " + object.bucket() + "/" + object.key()
                            + " changed while it was being read; try again",
                    object.bucket() + "/" + object.key(),
                    object.blobId(),
                    e);
        } catch (IOException e) {
            throw new StorageException(
                    ErrorCode.InternalError,
                    "could not read blob " + object.blobId() + " from node "
                            + reader.get().nodeId() + ": " + e.getMessage(),
                    object.bucket() + "/" + object.key(),
                    e);
        }
        return new FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                try {
                    return super.read(b, off, len);
                } catch (DamagedBlobException e) {
                    requestRepair(object, List.of(e.nodeId()));
                    throw e;
                }
            }
        };
    }

    /**
     * Queues the repair of a blob a read found missing or damaged on some node, unless one is already
     * queued (one indexed read, no write lock) or the queue is full (a later read asks again). Never
     * fails the read: the bytes come from an intact copy either way.
     */
    private void requestRepair(ObjectRecord object, List<String> damagedOn) {
        try {
            if (metadata.hasTask(RepairBlob.uniqueKey(object.blobId())) || !queue.hasRoom()) {
                return;
            }
            if (metadata.write(tx -> RepairBlob.enqueueOnce(tx, object))) {
                LOG.log(
                        Level.INFO,
                        "blob {0} of {1}/{2} is missing or damaged on {3}: repair queued",
                        object.blobId(),
                        object.bucket(),
                        object.key(),
                        damagedOn);
                queue.wakeUp();
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "could not queue the repair of blob " + object.blobId(), e);
        }
    }
}
