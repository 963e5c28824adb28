package dev.mockstorage.internal.service;

import java.util.List;

/**
 * The state of the parts the server needs.
 *
 * @param nodes       each storage node
 * @param database    whether the metadata database answers
 * @param writeQuorum nodes a write must reach ({@code storage.write_quorum})
 */
public record Health(List<Node> nodes, boolean database, int writeQuorum) {
    /** One node: id, directory, whether it is up, and why not. */
    public record Node(String id, String path, boolean up, String reason) {}

    /** Up when the database answers and enough nodes are up for a write (so reads and writes proceed). */
    public boolean up() {
        return database && upNodes() >= writeQuorum;
    }

    /** Nodes that are up. */
    public long upNodes() {
        return nodes.stream().filter(Node::up).count();
    }
}
