package dev.mockstorage.internal.storage;

import java.nio.file.Path;

/** One storage node: a directory holding immutable blob files ({@code blobs/xx/<id>}) and temp files ({@code tmp/}). */
public final class StorageNode {

    public StorageNode(String id, Path root) {
        throw new UnsupportedOperationException("TODO");
    }

    public String id() {
        throw new UnsupportedOperationException("TODO");
    }

    public Path root() {
        throw new UnsupportedOperationException("TODO");
    }

    public NodeState state() {
        throw new UnsupportedOperationException("TODO");
    }

    /** Why the node is down, or null when up. */
    public String reason() {
        throw new UnsupportedOperationException("TODO");
    }

    /** Re-checks the directory (exists, writable) and updates the state; returns it. */
    public NodeState check() {
        throw new UnsupportedOperationException("TODO");
    }
}
