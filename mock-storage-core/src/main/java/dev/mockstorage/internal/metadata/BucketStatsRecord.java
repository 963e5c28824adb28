package dev.mockstorage.internal.metadata;

import java.time.Instant;

/**
 * Statistics of one bucket.
 *
 * @param bucket        the bucket's name
 * @param objects       objects in the bucket now (exact: changed in the transaction that changes the objects)
 * @param bytes         their total size now (exact, like {@code objects})
 * @param uploads       successful uploads (PUT, copy) since the bucket was created, counted by the
 *                      {@code upload-completed} task, so up to date once the queue is idle
 * @param uploadedBytes bytes of those uploads, overwritten ones included
 * @param lastUploadAt  when the last counted upload was stored, or null before the first
 */
public record BucketStatsRecord(
        String bucket, long objects, long bytes, long uploads, long uploadedBytes, Instant lastUploadAt) {}
