package dev.mockstorage.internal.storage;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/** Replicated blob files across the storage nodes. Request paths never reach the file system: blobs are named by id. */
public final class BlobStore implements AutoCloseable {

    /**
     * @param nodes the nodes, in read-preference order; their directories are created
     * @param fsync force each blob file and directory to disk on commit
     */
    public BlobStore(List<StorageNode> nodes, boolean fsync) {
        throw new UnsupportedOperationException("TODO");
    }

    public List<StorageNode> nodes() {
        throw new UnsupportedOperationException("TODO");
    }

    /**
     * Starts a blob on every node that is up.
     *
     * @throws dev.mockstorage.internal.error.StorageException ServiceUnavailable when no node is up
     */
    public PendingBlob prepare() throws IOException {
        throw new UnsupportedOperationException("TODO");
    }

    /** The first node (in order) that is up and has the blob with exactly {@code size} bytes. */
    public Optional<BlobReader> find(String blobId, long size) {
        throw new UnsupportedOperationException("TODO");
    }

    /** Deletes the blob from every node; missing files are fine. Throws if a node that is up could not delete it. */
    public void delete(String blobId) throws IOException {
        throw new UnsupportedOperationException("TODO");
    }

    @Override
    public void close() {
    }
}
