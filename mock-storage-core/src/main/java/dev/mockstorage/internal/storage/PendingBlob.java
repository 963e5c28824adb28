package dev.mockstorage.internal.storage;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/**
 * A blob being written: one temp file per node, all fed by {@link #output()}. {@link #commit()}
 * renames each temp file to the blob's immutable name; {@link #close()} without commit removes them.
 */
public interface PendingBlob extends AutoCloseable {
    /** Writes go to every node's temp file. Do not close it; close the PendingBlob. */
    OutputStream output();

    /** Renames the temp files to the new blob id on each node; returns the id. */
    String commit() throws IOException;

    /** Ids of the nodes that hold (or will hold) this blob. */
    List<String> nodeIds();

    /** Before {@link #commit()}: removes every temp file. After a successful commit: does nothing. */
    @Override
    void close();
}
