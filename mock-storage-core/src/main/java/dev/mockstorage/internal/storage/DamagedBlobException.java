package dev.mockstorage.internal.storage;

import java.io.IOException;

/**
 * A copy of a blob turned out damaged while it was being read (its content does not match the
 * MD5 it was stored with). Thrown instead of returning the last bytes, so a reader never gets a
 * whole, wrong body; the HTTP layer aborts the response.
 */
public final class DamagedBlobException extends IOException {
    private final String nodeId;

    DamagedBlobException(String nodeId, String message) {
        super(message);
        this.nodeId = nodeId;
    }

    /** The node whose copy is damaged. */
    public String nodeId() {
        return nodeId;
    }
}
