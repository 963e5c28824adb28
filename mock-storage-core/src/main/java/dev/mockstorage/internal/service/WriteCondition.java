package dev.mockstorage.internal.service;

import dev.mockstorage.internal.error.ErrorCode;
import dev.mockstorage.internal.error.StorageException;
import dev.mockstorage.internal.metadata.ObjectRecord;
import java.util.Optional;

/**
 * What a conditional write (PutObject, CopyObject's destination, CompleteMultipartUpload) requires of the
 * key's current object: {@code If-None-Match: *} that there is none, {@code If-Match} that there is one
 * with this ETag ({@code *}: any). The write checks it twice: before it stores its bytes (a condition that
 * does not hold is {@code 412 PreconditionFailed}, or {@code 404 NoSuchKey} for {@code If-Match} on no
 * object, as on S3), and again in the metadata transaction that makes the object current, where writes of
 * one key are serialised: a condition that held at first and fails there lost a race to a concurrent write
 * ({@code 409 ConditionalRequestConflict}) and the write stores nothing. Of many concurrent
 * {@code If-None-Match: *} writers of one key exactly one commits.
 *
 * @param absent whether the key must have no current object ({@code If-None-Match: *})
 * @param etag   the ETag the current object must have, unquoted ({@code *}: any); null for no {@code If-Match}
 */
public record WriteCondition(boolean absent, String etag) {
    /** An unconditional write. */
    public static final WriteCondition NONE = new WriteCondition(false, null);

    /** Whether the write has a condition at all. */
    public boolean any() {
        return absent || etag != null;
    }

    /** Before the write: {@code PreconditionFailed}, or {@code NoSuchKey} for {@code If-Match} on no object. */
    void checkBefore(String bucket, String key, Optional<ObjectRecord> current) {
        if (current.isEmpty() && etag != null) {
            throw NotFound.key(bucket, key);
        }
        String failed = failure(current);
        if (failed != null) {
            throw new StorageException(
                            ErrorCode.PreconditionFailed,
                            "At least one of the pre-conditions you specified did not " + "hold: " + failed,
                            bucket + "/" + key)
                    .with("Condition", failed.substring(0, failed.indexOf(':')));
        }
    }

    /** In the write's transaction, after {@link #checkBefore} passed: {@code ConditionalRequestConflict} when it no longer holds. */
    void checkCommitting(String bucket, String key, Optional<ObjectRecord> current) {
        String failed = failure(current);
        if (failed != null) {
            throw new StorageException(
                    ErrorCode.ConditionalRequestConflict,
                    "A conflicting operation occurred: a concurrent "
                            + "write of " + bucket + "/" + key + " committed first, and now " + failed
                            + ". If using PutObject you can retry the request.",
                    bucket + "/" + key);
        }
    }

    /** The condition that does not hold of {@code current}, as {@code header: why}; null when all hold. */
    private String failure(Optional<ObjectRecord> current) {
        if (absent && current.isPresent()) {
            return "If-None-Match: * (the key has an object, ETag \""
                    + current.get().etag() + "\")";
        }
        if (etag != null) {
            if (current.isEmpty()) {
                return "If-Match: \"" + etag + "\" (the key has no object)";
            }
            if (!etag.equals("*") && !etag.equals(current.get().etag())) {
                return "If-Match: \"" + etag + "\" (the object's ETag is \""
                        + current.get().etag() + "\")";
            }
        }
        return null;
    }
}
