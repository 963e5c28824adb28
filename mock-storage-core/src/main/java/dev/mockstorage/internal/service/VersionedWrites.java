package dev.mockstorage.internal.service;

import dev.mockstorage.internal.clock.HttpDate;
import dev.mockstorage.internal.error.ErrorCode;
import dev.mockstorage.internal.error.StorageException;
import dev.mockstorage.internal.metadata.BucketRecord;
import dev.mockstorage.internal.metadata.ObjectRecord;
import dev.mockstorage.internal.metadata.ObjectVersion;
import dev.mockstorage.internal.metadata.Tx;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * S3 versioning inside one metadata transaction: what a write or delete does to a key's versions,
 * and which blobs it leaves for the delete-blob task. A bucket that was never versioned takes the
 * same statements as before versioning existed (the current row is replaced or deleted, its blob
 * queued for deletion); Enabled keeps every version; Suspended writes the "null" version,
 * replacing the previous null version (current or not) and keeping the others.
 */
final class VersionedWrites {
    private VersionedWrites() {}

    /** Our version ids: 24 random bytes, URL-safe base64 (32 characters), safe in a query string unescaped. */
    private static final Pattern VERSION_ID = Pattern.compile("[A-Za-z0-9_-]{32}");

    /** A new version id. */
    static String newVersionId() {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(RandomBytes.of(24));
    }

    /** {@code InvalidArgument} unless {@code versionId} is {@code "null"} or has the shape of our ids, as S3 answers a malformed one. */
    static void validateVersionId(String versionId) {
        if (!ObjectVersion.NULL_ID.equals(versionId)
                && (versionId == null || !VERSION_ID.matcher(versionId).matches())) {
            throw new StorageException(ErrorCode.InvalidArgument, "Invalid version id specified: '" + versionId + "'")
                    .with("ArgumentName", "versionId")
                    .with("ArgumentValue", versionId);
        }
    }

    /** The version id a write to a bucket gets: a new id when versioning is Enabled, else null (the null version). */
    static String versionIdFor(String versioning) {
        return BucketRecord.ENABLED.equals(versioning) ? newVersionId() : null;
    }

    /**
     * Makes {@code record} (version id already set) the key's current version; returns the row it displaced as
     * current (for the statistics). The displaced row's blob is queued for deletion unless it stays as a
     * noncurrent version.
     */
    static Optional<ObjectRecord> putCurrent(Tx tx, ObjectRecord record, String versioning) {
        if (versioning == null) {
            Optional<ObjectRecord> previous = tx.putObject(record);
            previous.ifPresent(p -> DeleteBlob.enqueue(tx, p.blobId()));
            return previous;
        }
        Optional<ObjectRecord> current = tx.object(record.bucket(), record.key());
        boolean replacesNull = current.isPresent() && current.get().versionId() == null && record.versionId() == null;
        if (current.isPresent() && !replacesNull) {
            tx.addNoncurrentVersion(current.get());
        }
        if (record.versionId() == null) {
            dropNoncurrentNull(tx, record.bucket(), record.key());
        }
        tx.putObject(record);
        if (replacesNull) {
            DeleteBlob.enqueue(tx, current.get().blobId());
        }
        return current;
    }

    /** The null version is unique per key: a new one (object or marker) removes a noncurrent one. */
    private static void dropNoncurrentNull(Tx tx, String bucket, String key) {
        tx.deleteNoncurrentVersion(bucket, key, ObjectVersion.NULL_ID).ifPresent(v -> {
            if (!v.deleteMarker()) {
                DeleteBlob.enqueue(tx, v.object().blobId());
            }
        });
    }

    /**
     * DeleteObject without a version id in a bucket with versioning configured: the current version becomes
     * noncurrent (or, a null version while Suspended, goes) and a delete marker becomes the newest version,
     * even when the key had no version at all (as on S3).
     */
    static DeleteOutcome deleteLatest(Tx tx, BucketRecord bucket, String key, Instant now) {
        String versioning = bucket.versioning();
        Optional<ObjectRecord> current = tx.object(bucket.name(), key);
        String markerId = BucketRecord.ENABLED.equals(versioning) ? newVersionId() : ObjectVersion.NULL_ID;
        if (current.isPresent()) {
            ObjectRecord c = current.get();
            boolean dropNull = c.versionId() == null && ObjectVersion.NULL_ID.equals(markerId);
            if (!dropNull) {
                tx.addNoncurrentVersion(c);
            }
            tx.deleteObject(bucket.name(), key);
            if (dropNull) {
                DeleteBlob.enqueue(tx, c.blobId());
            }
            tx.adjustBucketStats(bucket.name(), -1, -c.size());
        }
        if (ObjectVersion.NULL_ID.equals(markerId)) {
            dropNoncurrentNull(tx, bucket.name(), key);
        }
        tx.addDeleteMarker(bucket.name(), key, markerId, now);
        return new DeleteOutcome(current, markerId, true);
    }

    /**
     * DeleteObject with a version id: removes that version for good (its blob is queued for deletion). When it
     * was the current one, or a delete marker on top, the newest remaining version becomes current again unless
     * it is a marker. An unknown version is no error (S3 answers 204 and echoes the id).
     */
    static DeleteOutcome deleteVersion(Tx tx, String bucket, String key, String versionId) {
        Optional<ObjectRecord> current = tx.object(bucket, key);
        if (current.isPresent() && current.get().s3VersionId().equals(versionId)) {
            tx.deleteObject(bucket, key);
            DeleteBlob.enqueue(tx, current.get().blobId());
            tx.adjustBucketStats(bucket, -1, -current.get().size());
            promote(tx, bucket, key);
            return new DeleteOutcome(current, versionId, false);
        }
        Optional<ObjectVersion> removed = tx.deleteNoncurrentVersion(bucket, key, versionId);
        if (removed.isEmpty()) {
            return new DeleteOutcome(Optional.empty(), versionId, false);
        }
        if (!removed.get().deleteMarker()) {
            DeleteBlob.enqueue(tx, removed.get().object().blobId());
        }
        if (current.isEmpty()) {
            promote(tx, bucket, key); // the marker on top went: the version under it is visible again
        }
        return new DeleteOutcome(
                Optional.ofNullable(removed.get().object()),
                versionId,
                removed.get().deleteMarker());
    }

    private static void promote(Tx tx, String bucket, String key) {
        tx.promoteNewestVersion(bucket, key).ifPresent(p -> tx.adjustBucketStats(bucket, 1, p.size()));
    }

    /** The version of a key by id for GET/HEAD: {@code NoSuchVersion}, or {@code MethodNotAllowed} for a delete marker, as S3. */
    static ObjectRecord readable(
            Optional<ObjectVersion> found, String bucket, String key, String versionId, String method) {
        if (found.isEmpty()) {
            throw NotFound.version(bucket, key, versionId);
        }
        ObjectVersion v = found.get();
        if (v.deleteMarker()) {
            throw new StorageException(
                            ErrorCode.MethodNotAllowed,
                            "The specified method is not allowed against this resource: " + versionId + " of " + bucket
                                    + "/" + key + " is a delete marker",
                            bucket + "/" + key)
                    .with("Method", method)
                    .with("ResourceType", "DeleteMarker")
                    .withHeader("x-amz-delete-marker", "true")
                    .withHeader("x-amz-version-id", v.versionId())
                    .withHeader("Last-Modified", HttpDate.format(v.lastModified()))
                    .withHeader("Allow", "DELETE");
        }
        return v.object();
    }
}
