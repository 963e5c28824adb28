package dev.mockstorage;

import java.time.Duration;
import java.util.List;

/**
 * Fault injection on a server's storage nodes, through the same code paths real failures take:
 * a node taken down is skipped by reads and writes exactly as one whose directory vanished.
 */
public interface StorageNodes {

    /** One node as it is now. */
    record Node(String id, boolean up, String reason, Duration delay) {}

    /** Every node, in read-preference order. */
    List<Node> list();

    /**
     * Takes a node down: reads fall back to other replicas, writes skip it.
     *
     * @throws IllegalArgumentException for an unknown node id (the message lists the ids)
     */
    void down(String nodeId);

    /** Brings a node taken down with {@link #down} back up (if its directory is usable). */
    void up(String nodeId);

    /**
     * Makes the node's directory read-only: the next write on it fails with the I/O error a real
     * read-only file system gives, and is handled as one (the node is marked down with a
     * {@code read-only} reason; the write succeeds on the others if {@code storage.write_quorum}
     * allows, else fails with 503 ServiceUnavailable). {@link #up} ends it.
     *
     * @throws IllegalArgumentException for an unknown node id
     */
    void readOnly(String nodeId);

    /** Every read and write on the node takes {@code delay} longer; {@link Duration#ZERO} ends it. */
    void slow(String nodeId, Duration delay);

    /**
     * Damages the node's replica of the object's current content in place, keeping its size
     * (bit rot). Reads must never return the damaged bytes.
     *
     * @throws IllegalArgumentException for an unknown node, or when the object or that replica does not exist
     */
    void corrupt(String bucket, String key, String nodeId);
}
