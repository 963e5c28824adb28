package dev.mockstorage.internal.service;

import java.util.List;

/**
 * The state of the parts the server needs.
 *
 * @param nodes    each storage node
 * @param database whether the metadata database answers
 */
public record Health(List<Node> nodes, boolean database) {
    /** One node: id, directory, whether it is up, and why not. */
    public record Node(String id, String path, boolean up, String reason) {
    }

    /** Up when the database answers and at least one node is up (writes and reads can proceed). */
    public boolean up() {
        return database && nodes.stream().anyMatch(Node::up);
    }
}
