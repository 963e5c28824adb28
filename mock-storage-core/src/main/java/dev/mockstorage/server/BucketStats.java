package dev.mockstorage.server;

import java.time.Instant;

/**
 * Statistics of one bucket ({@link MockStorageServer#bucketStats()}).
 *
 * @param bucket        the bucket's name
 * @param objects       objects in it now (always exact); with versioning, current versions only (what ListObjects
 *                      lists): noncurrent versions and delete markers are not counted
 * @param bytes         their total size now (always exact), current versions only
 * @param uploads       uploads stored (PUT and copy, overwrites included) since the bucket was created;
 *                      counted by a background task, so exact after {@link MockStorageServer#awaitIdle}
 * @param uploadedBytes bytes of those uploads
 * @param lastUploadAt  when the last counted upload was stored, or null before the first
 */
public record BucketStats(String bucket, long objects, long bytes, long uploads, long uploadedBytes,
                          Instant lastUploadAt) {
}
