package dev.mockstorage.internal.storage;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/** A readable, intact copy of a blob on one node. */
public interface BlobReader {
    /** The node the bytes come from. */
    String nodeId();

    /** Nodes checked before this one that lacked an intact copy (candidates for repair). */
    List<String> missingOn();

    /** The bytes from {@code offset}, {@code length} of them. The caller closes the stream. */
    InputStream open(long offset, long length) throws IOException;
}
