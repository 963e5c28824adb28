package dev.mockstorage.internal.service;

import dev.mockstorage.internal.error.ErrorCode;
import dev.mockstorage.internal.error.StorageException;
import dev.mockstorage.internal.metadata.MetadataStore;
import dev.mockstorage.internal.metadata.ObjectRecord;
import dev.mockstorage.internal.storage.BlobStore;
import dev.mockstorage.internal.storage.NodeState;
import dev.mockstorage.internal.storage.StorageNode;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Faults on the storage nodes for tests, through the code paths real failures take: a node taken
 * down is skipped by reads and writes, a slow node makes the request thread wait in the blob store,
 * a corrupted replica is a file whose bytes changed in place. Shared by the in-process handle and
 * the admin API. Errors are {@link StorageException}s: {@code NoSuchNode}, {@code NoSuchBucket},
 * {@code NoSuchKey}, {@code NotFound} (no replica on that node), {@code InvalidArgument}.
 */
public final class FaultInjection {
    /** The reason a node taken down on purpose reports (health, stats, node list). */
    public static final String DOWN_REASON = "taken down by fault injection";

    private final MetadataStore metadata;
    private final BlobStore blobs;

    public FaultInjection(MetadataStore metadata, BlobStore blobs) {
        this.metadata = metadata;
        this.blobs = blobs;
    }

    /** One node now. */
    public record NodeStatus(String id, boolean up, String reason, Duration delay) {}

    /** Every node in read-preference order, its state freshly checked. */
    public List<NodeStatus> list() {
        return blobs.nodes().stream()
                .map(n -> {
                    n.check();
                    return new NodeStatus(n.id(), n.state() == NodeState.UP, n.reason(), n.delay());
                })
                .toList();
    }

    /** Takes the node down: reads use other replicas, writes skip it. */
    public void down(String nodeId) {
        node(nodeId).markDown(DOWN_REASON);
    }

    /** Ends {@link #down}: the node is up again if its directory is usable. */
    public void up(String nodeId) {
        node(nodeId).markUp();
    }

    /**
     * Makes the node's file system read-only: the next write on it fails with the error a real
     * read-only file system gives, handled as one (the node is marked down, the write goes on per
     * {@code storage.write_quorum}), and a health check reports it. {@link #up} ends it.
     */
    public void readOnly(String nodeId) {
        node(nodeId).readOnly(true);
    }

    /** Every read open and write on the node waits {@code delay} first; zero ends it. */
    public void slow(String nodeId, Duration delay) {
        if (delay == null || delay.isNegative()) {
            throw new StorageException(ErrorCode.InvalidArgument, "a node delay must be zero or more, got " + delay);
        }
        node(nodeId).delay(delay);
    }

    /** Every node up and without delay (part of a reset). */
    public void clear() {
        for (StorageNode n : blobs.nodes()) {
            n.delay(Duration.ZERO);
            n.markUp();
        }
    }

    /** Flips bytes of the node's replica of the object's current content in place, keeping its size. */
    public void corrupt(String bucket, String key, String nodeId) {
        StorageNode node = node(nodeId);
        ObjectRecord object = metadata.object(bucket, key).orElseThrow(() -> {
            if (metadata.bucket(bucket).isEmpty()) {
                return NotFound.bucket(bucket);
            }
            return NotFound.key(bucket, key);
        });
        boolean done;
        try {
            done = blobs.replicas().corrupt(node, object.blobId());
        } catch (IllegalArgumentException e) {
            throw new StorageException(ErrorCode.InvalidArgument, e.getMessage() + " (" + bucket + "/" + key + ")");
        } catch (IOException e) {
            throw new StorageException(
                    ErrorCode.InternalError,
                    "could not damage the copy of " + bucket + "/" + key + " on " + nodeId + ": " + e.getMessage(),
                    bucket + "/" + key,
                    e);
        }
        if (!done) {
            throw new StorageException(
                    ErrorCode.NotFound,
                    "node " + nodeId + " holds no copy of " + bucket + "/" + key + " (blob " + object.blobId() + ")",
                    bucket + "/" + key);
        }
    }

    private StorageNode node(String nodeId) {
        return blobs.node(nodeId)
                .orElseThrow(() -> new StorageException(
                        ErrorCode.NoSuchNode,
                        "no storage node '" + nodeId + "'; the nodes are "
                                + blobs.nodes().stream().map(StorageNode::id).collect(Collectors.joining(", "))));
    }
}
