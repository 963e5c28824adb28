package dev.mockstorage.internal.service;

import dev.mockstorage.internal.metadata.ObjectRecord;
import dev.mockstorage.internal.metadata.Tx;
import dev.mockstorage.internal.queue.TaskHandlers;
import java.time.Instant;

/**
 * Task: bookkeeping after a stored upload (PUT, copy, completed multipart upload): counts it in the
 * bucket's statistics, in the queue's transaction (exactly once). Payload
 * {@code <bucket> <bucket created, epoch ms> <size> <stored at, epoch ms>}.
 */
record UploadCompleted(String bucket, Instant bucketCreatedAt, long size, Instant storedAt) implements Task {
    static final String KIND = "upload-completed";

    /** Queues the bookkeeping of {@code stored} in {@code tx} (no record is built: this is every PUT's path). */
    static void enqueue(Tx tx, ObjectRecord stored, Instant bucketCreatedAt) {
        tx.enqueueTask(KIND, encode(stored.bucket(), bucketCreatedAt, stored.size(), stored.lastModified()));
    }

    private static String encode(String bucket, Instant bucketCreatedAt, long size, Instant storedAt) {
        return bucket + " " + bucketCreatedAt.toEpochMilli() + " " + size + " " + storedAt.toEpochMilli();
    }

    static UploadCompleted decode(String payload) {
        PayloadFields f = new PayloadFields(KIND, payload, 4);
        return new UploadCompleted(
                f.text(0), Instant.ofEpochMilli(f.number(1)), f.number(2), Instant.ofEpochMilli(f.number(3)));
    }

    static void register(TaskHandlers handlers) {
        handlers.inTransaction(KIND, (tx, payload) -> decode(payload).apply(tx));
    }

    private void apply(Tx tx) {
        tx.recordUpload(bucket, bucketCreatedAt, size, storedAt);
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public String payload() {
        return encode(bucket, bucketCreatedAt, size, storedAt);
    }
}
