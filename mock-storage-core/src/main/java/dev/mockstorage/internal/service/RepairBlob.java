package dev.mockstorage.internal.service;

import dev.mockstorage.internal.metadata.MetadataStore;
import dev.mockstorage.internal.metadata.ObjectRecord;
import dev.mockstorage.internal.metadata.Tx;
import dev.mockstorage.internal.queue.TaskHandlers;
import dev.mockstorage.internal.queue.TaskQueue;
import dev.mockstorage.internal.storage.BlobStore;
import dev.mockstorage.internal.storage.NodeState;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Optional;

/**
 * Task: copy an intact replica of an object's blob to the nodes that lack one. Queued by a read that
 * found a copy missing or damaged (at most once per blob while one is in the table), and, waiting
 * until a node returns, by a write that reached fewer nodes than there are. Payload
 * {@code <blob id> <size> <etag> <bucket> <key>} (the key last: it may hold spaces).
 */
record RepairBlob(String blobId, long size, String etag, String bucket, String key) implements Task {
    static final String KIND = "repair-blob";
    private static final System.Logger LOG = System.getLogger(RepairBlob.class.getName());

    /** Queues the repair of {@code object}'s blob to wait until a node returns (a write missed a node). */
    static void enqueueWaiting(Tx tx, ObjectRecord object) {
        tx.enqueueWaitingTask(KIND, encode(object));
    }

    /** Queues the repair of {@code object}'s blob unless one is queued already; true when queued. */
    static boolean enqueueOnce(Tx tx, ObjectRecord object) {
        return tx.enqueueTaskOnce(KIND, encode(object), uniqueKey(object.blobId()));
    }

    /** What makes a queued repair of the blob unique ({@link MetadataStore#hasTask}). */
    static String uniqueKey(String blobId) {
        return KIND + ":" + blobId;
    }

    private static String encode(ObjectRecord o) {
        return encode(o.blobId(), o.size(), o.etag(), o.bucket(), o.key());
    }

    private static String encode(String blobId, long size, String etag, String bucket, String key) {
        return blobId + " " + size + " " + etag + " " + bucket + " " + key;
    }

    static RepairBlob decode(String payload) {
        PayloadFields f = new PayloadFields(KIND, payload, 5);
        return new RepairBlob(f.text(0), f.number(1), f.text(2), f.text(3), f.text(4));
    }

    static void register(TaskHandlers handlers, MetadataStore metadata, BlobStore blobs) {
        handlers.run(KIND, payload -> decode(payload).run(metadata, blobs));
    }

    /**
     * A node returned: the repairs of blobs written while it (or another node) was down become due.
     * Never throws: a failure leaves them waiting for the next return or consistency check.
     */
    static void releaseWaiting(MetadataStore metadata, TaskQueue queue, String nodeId) {
        try {
            int released = metadata.releaseWaitingTasks(queue.now());
            if (released > 0) {
                LOG.log(Level.INFO, "node {0} is up again: {1} repair(s) queued", nodeId, released);
                queue.wakeUp();
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "could not queue the repairs waiting for node " + nodeId, e);
        }
    }

    /**
     * Copies an intact replica to the nodes lacking one, if the object still points at the blob (an
     * overwritten or deleted object's blob is on its way out). Checked again afterwards: when the
     * object changed meanwhile, the copies just made are removed, as its delete-blob task does.
     */
    private void run(MetadataStore metadata, BlobStore blobs) throws IOException {
        if (!pointsAt(metadata)) {
            return;
        }
        String md5 = ContentMd5.expected(metadata, bucket, key, blobId, etag);
        List<String> repaired = blobs.replicas().repair(blobId, size, md5);
        if (blobs.nodes().stream().anyMatch(n -> n.state() != NodeState.UP) && pointsAt(metadata)) {
            // a node is (still) down: its copy is repaired when it returns
            metadata.write(tx -> {
                tx.enqueueWaitingTask(KIND, payload());
                return null;
            });
        }
        if (repaired.isEmpty()) {
            return;
        }
        if (!pointsAt(metadata)) {
            blobs.delete(blobId);
            return;
        }
        // DEBUG: the damage was logged when the read found it and queued this repair; one line per fault
        LOG.log(Level.DEBUG, "repaired blob {0} of {1}/{2} on {3}", blobId, bucket, key, repaired);
    }

    private boolean pointsAt(MetadataStore metadata) {
        Optional<ObjectRecord> current = metadata.object(bucket, key);
        return current.isPresent() && current.get().blobId().equals(blobId);
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public String payload() {
        return encode(blobId, size, etag, bucket, key);
    }
}
