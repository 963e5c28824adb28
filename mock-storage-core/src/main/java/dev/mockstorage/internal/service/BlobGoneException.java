package dev.mockstorage.internal.service;

import dev.mockstorage.internal.error.ErrorCode;
import dev.mockstorage.internal.error.StorageException;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * No node had an intact copy of the blob an object record names when a read opened it. Usually the
 * object was overwritten or deleted after the record was looked up and the queue deleted the old
 * blob first (a slow node widens that gap); else the copies are damaged or on nodes that are down.
 * {@link #retrying} tells the two apart by looking the object up again. Answered as 500 InternalError.
 */
public final class BlobGoneException extends StorageException {
    private static final long serialVersionUID = 1L;
    /**
     * Lookups at most. Each attempt loses only if yet another overwrite's cleanup deletes the blob between
     * its lookup and its open; with 3 a reader lost to a writer overwriting in a loop about once in 150
     * reads on a loaded 2-core machine (a slow node widens the gap), so a few more cost nothing.
     */
    private static final int ATTEMPTS = 10;

    private final String blobId;

    BlobGoneException(String message, String resource, String blobId, Throwable cause) {
        super(ErrorCode.InternalError, message, resource, cause);
        this.blobId = blobId;
    }

    public String blobId() {
        return blobId;
    }

    /**
     * Reads the object {@code lookup} finds with {@code read}; when its blob is gone and a new lookup
     * names another blob (overwritten meanwhile) reads that one instead, so a reader racing writers gets
     * one version or the other, never an error. A lookup that finds nothing throws (NoSuchKey: deleted
     * meanwhile); the same blob again means it really has no intact copy, and the error stands.
     */
    public static <R, T> T retrying(Supplier<R> lookup, Function<R, String> blobIdOf, Function<R, T> read) {
        R record = lookup.get();
        for (int attempt = 1; ; attempt++) {
            try {
                return read.apply(record);
            } catch (BlobGoneException e) {
                R now = lookup.get();
                if (attempt >= ATTEMPTS || blobIdOf.apply(now).equals(e.blobId())) {
                    throw e;
                }
                record = now;
            }
        }
    }
}
