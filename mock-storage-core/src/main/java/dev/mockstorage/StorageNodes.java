package dev.mockstorage;

import java.time.Duration;
import java.util.List;

/**
 * Fault injection on a server's storage nodes, through the same code paths real failures take:
 * a node taken down is skipped by reads and writes exactly as one whose directory vanished.
 */
public interface StorageNodes {

    /** One node as it is now. */
    record Node(String id, boolean up, String reason, Duration delay) {
    }

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
