package dev.mockstorage.internal.service;

import dev.mockstorage.internal.metadata.MetadataStore;
import dev.mockstorage.internal.metadata.ObjectRecord;
import dev.mockstorage.internal.metadata.Tx;
import dev.mockstorage.internal.storage.BlobStore;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Payloads and handlers of the tasks {@link ObjectService} queues besides {@code delete-blob}.
 * Payloads are short space-separated text: cheap to build on the request path, readable in the
 * failed-task listing. Bucket names and blob ids hold no spaces; a key does, so it comes last.
 */
final class BackgroundTasks {
    private static final Pattern MD5_HEX = Pattern.compile("[0-9a-f]{32}");
    private static final System.Logger LOG = System.getLogger(BackgroundTasks.class.getName());

    private BackgroundTasks() {
    }

    // ---------------------------------------------------------------- upload-completed

    static String uploadCompleted(ObjectRecord stored, Instant bucketCreatedAt) {
        return stored.bucket() + " " + bucketCreatedAt.toEpochMilli() + " " + stored.size() + " "
                + stored.lastModified().toEpochMilli();
    }

    /** Counts the upload in the bucket's statistics (in the queue's transaction: exactly once). */
    static void recordUpload(Tx tx, String payload) {
        String[] f = fields(payload, 4, ObjectService.UPLOAD_COMPLETED);
        try {
            tx.recordUpload(f[0], Instant.ofEpochMilli(Long.parseLong(f[1])), Long.parseLong(f[2]),
                    Instant.ofEpochMilli(Long.parseLong(f[3])));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("malformed " + ObjectService.UPLOAD_COMPLETED + " payload: " + payload, e);
        }
    }

    // ---------------------------------------------------------------- repair-blob

    static String repairPayload(ObjectRecord o) {
        return o.blobId() + " " + o.size() + " " + o.etag() + " " + o.bucket() + " " + o.key();
    }

    /**
     * Copies an intact replica to the nodes lacking one, if the object still points at the blob (an
     * overwritten or deleted object's blob is on its way out). Checked again afterwards: when the
     * object changed meanwhile, the copies just made are removed, as its delete-blob task does.
     */
    static void repair(MetadataStore metadata, BlobStore blobs, String payload) throws IOException {
        String[] f = fields(payload, 5, ObjectService.REPAIR_BLOB);
        String blobId = f[0];
        long size;
        try {
            size = Long.parseLong(f[1]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("malformed " + ObjectService.REPAIR_BLOB + " payload: " + payload, e);
        }
        String md5 = MD5_HEX.matcher(f[2]).matches() ? f[2] : null; // multipart ETags are no content MD5
        String bucket = f[3];
        String key = f[4];
        if (!pointsAt(metadata, bucket, key, blobId)) {
            return;
        }
        if (md5 == null) {
            md5 = metadata.multipartLayout(bucket, key, blobId).map(dev.mockstorage.internal.metadata.MultipartLayout::contentMd5).orElse(null);
        }
        List<String> repaired = blobs.replicas().repair(blobId, size, md5);
        if (blobs.nodes().stream().anyMatch(n -> n.state() != dev.mockstorage.internal.storage.NodeState.UP)
                && pointsAt(metadata, bucket, key, blobId)) {
            // a node is (still) down: its copy is repaired when it returns
            metadata.write(tx -> {
                tx.enqueueWaitingTask(ObjectService.REPAIR_BLOB, payload);
                return null;
            });
        }
        if (repaired.isEmpty()) {
            return;
        }
        if (!pointsAt(metadata, bucket, key, blobId)) {
            blobs.delete(blobId);
            return;
        }
        // DEBUG: the damage was logged when the read found it and queued this repair; one line per fault
        LOG.log(System.Logger.Level.DEBUG, "repaired blob {0} of {1}/{2} on {3}", blobId, bucket, key, repaired);
    }

    private static boolean pointsAt(MetadataStore metadata, String bucket, String key, String blobId) {
        Optional<ObjectRecord> current = metadata.object(bucket, key);
        return current.isPresent() && current.get().blobId().equals(blobId);
    }

    private static String[] fields(String payload, int count, String kind) {
        String[] f = payload == null ? new String[0] : payload.split(" ", count);
        if (f.length != count) {
            throw new IllegalArgumentException("malformed " + kind + " payload (" + count + " fields expected): " + payload);
        }
        return f;
    }
}
