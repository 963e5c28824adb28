package dev.mockstorage.internal.storage;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.List;

/** A small blob read whole and checked by {@link BlobStore#find(String, long, String)}: served from that copy. */
final class MemoryBlobReader implements BlobReader {
    private final String nodeId;
    private final byte[] content;
    private final List<String> missingOn;

    MemoryBlobReader(String nodeId, byte[] content, List<String> missingOn) {
        this.nodeId = nodeId;
        this.content = content;
        this.missingOn = missingOn;
    }

    @Override
    public String nodeId() {
        return nodeId;
    }

    @Override
    public List<String> missingOn() {
        return missingOn;
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException when the range is not inside the blob
     */
    @Override
    public InputStream open(long offset, long length) {
        if (offset < 0 || length < 0 || offset > content.length || length > content.length - offset) {
            throw new IllegalArgumentException(
                    "range " + offset + "+" + length + " outside blob of " + content.length + " bytes");
        }
        return new ByteArrayInputStream(content, (int) offset, (int) length);
    }

    @Override
    public String toString() {
        return "blob of " + content.length + " bytes from " + nodeId + " (checked, in memory)";
    }
}
