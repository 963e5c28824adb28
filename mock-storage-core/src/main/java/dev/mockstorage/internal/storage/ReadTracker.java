package dev.mockstorage.internal.storage;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Reads in progress per blob id. A blob file that someone is reading must be unlinked when the blob
 * is deleted, never kept as a {@link StorageNode.Spare}: a spare is written over in place, so a reader
 * holding it open would see the next blob's bytes. Thread-safe.
 */
final class ReadTracker {
    private final ConcurrentHashMap<String, Integer> reading = new ConcurrentHashMap<>();

    /** A read of the blob starts; before its file is opened. */
    void start(String blobId) {
        reading.merge(blobId, 1, Integer::sum);
    }

    /** A read of the blob ended (its file is closed). */
    void done(String blobId) {
        reading.computeIfPresent(blobId, (id, n) -> n == 1 ? null : n - 1);
    }

    /**
     * Runs {@code action} with true when no read of the blob is in progress; no read starts until it
     * returns, so a read that starts later finds the file gone rather than reused.
     */
    void whileUnread(String blobId, Consumer<Boolean> action) {
        reading.compute(blobId, (id, n) -> {
            action.accept(n == null);
            return n;
        });
    }
}
