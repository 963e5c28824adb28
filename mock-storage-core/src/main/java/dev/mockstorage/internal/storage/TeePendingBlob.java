package dev.mockstorage.internal.storage;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * A blob being written to one temp file per node. One shared 8 KiB buffer (not one per node)
 * collects small writes; a full buffer or a large write goes to every node's channel. Used by one
 * thread at a time.
 */
final class TeePendingBlob implements PendingBlob {
    private static final int BUFFER_SIZE = 8192;

    private final String blobId;
    private final List<StorageNode> nodes;
    private final boolean fsync;
    private final FileChannel[] channels;
    private final Tee output = new Tee();
    private byte[] buffer;
    private int buffered;
    /** set once a write failed: the blob can only be aborted */
    private IOException failure;
    private boolean committed;
    private boolean closed;

    TeePendingBlob(String blobId, List<StorageNode> nodes, boolean fsync) throws IOException {
        this.blobId = blobId;
        this.nodes = nodes;
        this.fsync = fsync;
        this.channels = new FileChannel[nodes.size()];
        try {
            for (int i = 0; i < channels.length; i++) {
                StorageNode node = nodes.get(i);
                try {
                    channels[i] = FileChannel.open(node.tmpPath(blobId),
                            StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                } catch (IOException e) {
                    throw new IOException(node.id() + ": cannot create temp file: " + e, e);
                }
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    @Override
    public OutputStream output() {
        return output;
    }

    @Override
    public List<String> nodeIds() {
        List<String> ids = new ArrayList<>(nodes.size());
        for (StorageNode node : nodes) {
            ids.add(node.id());
        }
        return ids;
    }

    private void checkWritable() throws IOException {
        if (failure != null) {
            throw new IOException("an earlier write failed: " + failure.getMessage(), failure);
        }
        if (committed || closed) {
            throw new IOException("blob " + blobId + " is " + (committed ? "committed" : "closed"));
        }
    }

    private void writeAll(byte[] bytes, int offset, int length) throws IOException {
        if (length == 0) {
            return;
        }
        for (int i = 0; i < channels.length; i++) {
            ByteBuffer src = ByteBuffer.wrap(bytes, offset, length);
            try {
                while (src.hasRemaining()) {
                    channels[i].write(src);
                }
            } catch (IOException e) {
                failure = new IOException(nodes.get(i).id() + ": write failed: " + e, e);
                throw failure;
            }
        }
    }

    private void flushBuffer() throws IOException {
        if (buffered > 0) {
            int n = buffered;
            buffered = 0;
            writeAll(buffer, 0, n);
        }
    }

    @Override
    public String commit() throws IOException {
        checkWritable();
        flushBuffer();
        for (int i = 0; i < channels.length; i++) {
            try {
                if (fsync) {
                    channels[i].force(true);
                }
                channels[i].close();
            } catch (IOException e) {
                failure = new IOException(nodes.get(i).id() + ": cannot finish temp file: " + e, e);
                throw failure;
            }
        }
        List<Path> renamed = new ArrayList<>(nodes.size());
        try {
            for (StorageNode node : nodes) {
                Path target = node.blobPath(blobId);
                try {
                    Files.createDirectories(target.getParent());
                    Files.move(node.tmpPath(blobId), target, StandardCopyOption.ATOMIC_MOVE);
                    renamed.add(target);
                    if (fsync) {
                        forceDirectory(target.getParent());
                    }
                } catch (IOException e) {
                    throw new IOException(node.id() + ": cannot commit blob " + blobId + ": " + e, e);
                }
            }
        } catch (IOException e) {
            for (Path path : renamed) {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            failure = e;
            throw e;
        }
        committed = true;
        return blobId;
    }

    static void forceDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        buffer = null;
        if (committed) {
            return;
        }
        for (int i = 0; i < channels.length; i++) {
            if (channels[i] != null) {
                try {
                    channels[i].close();
                } catch (IOException e) {
                    // deleting it is what matters
                }
            }
            try {
                Files.deleteIfExists(nodes.get(i).tmpPath(blobId));
            } catch (IOException e) {
                // left for the clean-up at the next start
            }
        }
    }

    /** The stream handed to the caller: writes go through the shared buffer to every node. */
    private final class Tee extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            checkWritable();
            if (buffer == null) {
                buffer = new byte[BUFFER_SIZE];
            } else if (buffered == buffer.length) {
                flushBuffer();
            }
            buffer[buffered++] = (byte) b;
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            java.util.Objects.checkFromIndexSize(offset, length, bytes.length);
            checkWritable();
            if (length >= BUFFER_SIZE) {
                flushBuffer();
                writeAll(bytes, offset, length);
                return;
            }
            if (buffer == null) {
                buffer = new byte[BUFFER_SIZE];
            } else if (buffered + length > buffer.length) {
                flushBuffer();
            }
            System.arraycopy(bytes, offset, buffer, buffered, length);
            buffered += length;
        }

        /** Pushes buffered bytes to the nodes' files (no fsync; {@link #commit()} does that). */
        @Override
        public void flush() throws IOException {
            checkWritable();
            flushBuffer();
        }

        /** Does nothing: the PendingBlob owns the files. */
        @Override
        public void close() {
        }
    }
}
