package dev.mockstorage.internal.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/** An intact blob file found on one node. */
final class FileBlobReader implements BlobReader {
    private final String nodeId;
    private final Path file;
    private final long size;
    private final List<String> missingOn;
    /** MD5 (hex) to check a read of the whole blob against while it streams, or null */
    private final String verifyMd5;

    private final ReadTracker readers;
    private final String blobId;

    /**
     * @param readers told about every stream of this reader, from before its file is opened until it is
     *                closed, so that the blob's file is not recycled under it
     */
    FileBlobReader(
            String nodeId,
            Path file,
            long size,
            List<String> missingOn,
            String verifyMd5,
            ReadTracker readers,
            String blobId) {
        this.readers = readers;
        this.blobId = blobId;
        this.nodeId = nodeId;
        this.file = file;
        this.size = size;
        this.missingOn = missingOn;
        this.verifyMd5 = verifyMd5;
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
    public InputStream open(long offset, long length) throws IOException {
        if (offset < 0 || length < 0 || offset > size || length > size - offset) {
            throw new IllegalArgumentException(
                    "range " + offset + "+" + length + " outside blob of " + size + " bytes");
        }
        readers.start(blobId);
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ);
            try {
                channel.position(offset);
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
        } catch (IOException | RuntimeException e) {
            readers.done(blobId);
            throw e;
        }
        boolean verify = verifyMd5 != null && offset == 0 && length == size;
        return new RangeInputStream(
                channel, length, nodeId, verify ? verifyMd5 : null, file, () -> readers.done(blobId));
    }

    @Override
    public String toString() {
        return "blob " + file.getFileName() + " on " + nodeId;
    }

    /**
     * Exactly {@code remaining} bytes from the channel's position; a shorter file is an error, not EOF.
     * With an MD5 to check, the read that reaches the end throws {@link DamagedBlobException} instead of
     * returning its bytes when the content does not match, so the caller never has the whole wrong body.
     */
    private static final class RangeInputStream extends InputStream {
        private final FileChannel channel;
        private final String nodeId;
        private final MessageDigest md5;
        private final String expectedMd5;
        private final Path file;
        private long remaining;

        /** run once, at the first close */
        private Runnable onClose;

        RangeInputStream(
                FileChannel channel, long remaining, String nodeId, String expectedMd5, Path file, Runnable onClose) {
            this.onClose = onClose;
            this.channel = channel;
            this.remaining = remaining;
            this.nodeId = nodeId;
            this.expectedMd5 = expectedMd5;
            this.md5 = expectedMd5 == null ? null : Md5.digest();
            this.file = file;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] bytes, int offset, int length) throws IOException {
            Objects.checkFromIndexSize(offset, length, bytes.length);
            if (remaining == 0) {
                return -1;
            }
            if (length == 0) {
                return 0;
            }
            int want = (int) Math.min(length, remaining);
            int n = channel.read(ByteBuffer.wrap(bytes, offset, want));
            if (n < 0) {
                throw new IOException(nodeId + ": blob file ended " + remaining + " bytes early");
            }
            remaining -= n;
            if (md5 != null) {
                md5.update(bytes, offset, n);
                if (remaining == 0) {
                    String actual = HexFormat.of().formatHex(md5.digest());
                    if (!actual.equalsIgnoreCase(expectedMd5)) {
                        throw new DamagedBlobException(
                                nodeId,
                                nodeId + ": the copy of blob " + file.getFileName() + " is damaged (MD5 " + actual
                                        + ", stored as " + expectedMd5 + ")");
                    }
                }
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            if (n <= 0) {
                return 0;
            }
            if (md5 != null) {
                return super.skip(n); // read (and hash) what is skipped: the check needs every byte
            }
            long skipped = Math.min(n, remaining);
            channel.position(channel.position() + skipped);
            remaining -= skipped;
            return skipped;
        }

        @Override
        public int available() {
            return (int) Math.min(remaining, Integer.MAX_VALUE);
        }

        @Override
        public void close() throws IOException {
            remaining = 0;
            try {
                channel.close();
            } finally {
                Runnable done = onClose;
                onClose = null;
                if (done != null) {
                    done.run();
                }
            }
        }
    }
}
