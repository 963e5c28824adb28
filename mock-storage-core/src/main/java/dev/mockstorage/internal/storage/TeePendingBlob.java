package dev.mockstorage.internal.storage;

import dev.mockstorage.internal.error.ErrorCode;
import dev.mockstorage.internal.error.StorageException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

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
    private final int quorum;
    private final int totalNodes;
    private final FileChannel[] channels;
    /** each node's file being written: its temp file, or a spare of a deleted blob; never null */
    private final Path[] files;
    /** the length a spare had (its tail is cut at commit when the blob is shorter); 0 for a new temp file */
    private final long[] spareSizes;
    /** bytes written to every active node so far */
    private long written;
    /** false once the node failed (it was marked down and its temp file removed): the write goes on without it */
    private final boolean[] active;

    private final List<String> failures = new ArrayList<>();
    private final Tee output = new Tee();
    private byte[] buffer;
    private int buffered;
    /** set once the quorum was lost: the blob can only be aborted */
    private RuntimeException failure;

    private boolean committed;
    private boolean closed;

    /**
     * @param quorum     nodes that must take the write; a node that fails is marked down and dropped,
     *                   and the write fails with ServiceUnavailable once fewer than this many are left
     * @param totalNodes all configured nodes (for messages)
     */
    TeePendingBlob(String blobId, List<StorageNode> nodes, boolean fsync, int quorum, int totalNodes) {
        this.blobId = blobId;
        this.nodes = nodes;
        this.fsync = fsync;
        this.quorum = quorum;
        this.totalNodes = totalNodes;
        this.channels = new FileChannel[nodes.size()];
        this.files = new Path[nodes.size()];
        this.spareSizes = new long[nodes.size()];
        this.active = new boolean[nodes.size()];
        try {
            for (int i = 0; i < channels.length; i++) {
                files[i] = nodes.get(i).tmpPath(blobId); // until a spare takes its place
            }
            for (int i = 0; i < channels.length; i++) {
                StorageNode node = nodes.get(i);
                try {
                    node.checkWritable(files[i]);
                    channels[i] = openSpare(i, node.takeSpare());
                    if (channels[i] == null) {
                        channels[i] =
                                FileChannel.open(files[i], StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                    }
                    active[i] = true;
                } catch (IOException e) {
                    drop(i, "cannot create temp file", e);
                }
            }
            requireQuorum();
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * Opens a spare to be written over from its start (no create, no truncate: its blocks stay
     * allocated), or returns null when there is none or it is gone (the directory was reset), and the
     * caller creates a temp file instead.
     */
    private FileChannel openSpare(int i, StorageNode.Spare spare) {
        if (spare == null) {
            return null;
        }
        try {
            FileChannel channel = FileChannel.open(spare.file(), StandardOpenOption.WRITE);
            files[i] = spare.file();
            spareSizes[i] = spare.size();
            return channel;
        } catch (IOException e) {
            try {
                Files.deleteIfExists(spare.file());
            } catch (IOException ignored) {
                // a leftover temp file is removed at the next start
            }
            return null;
        }
    }

    @Override
    public OutputStream output() {
        return output;
    }

    @Override
    public List<String> nodeIds() {
        List<String> ids = new ArrayList<>(nodes.size());
        for (int i = 0; i < channels.length; i++) {
            if (active[i]) {
                ids.add(nodes.get(i).id());
            }
        }
        return ids;
    }

    /** The node failed: it is marked down with the reason, its temp file removed, the write goes on without it. */
    private void drop(int i, String what, IOException e) {
        StorageNode node = nodes.get(i);
        Path file = files[i];
        String reason = StorageNode.describe(what + " " + file, e);
        if (!Files.isDirectory(node.root())) {
            node.check(); // the node's directory vanished: DOWN with that reason
            reason = node.reason();
        } else {
            node.markFailed(reason);
        }
        failures.add(node.id() + " (" + reason + ")");
        active[i] = false;
        if (channels[i] != null) {
            try {
                channels[i].close();
            } catch (IOException ignored) {
                // deleting it is what matters
            }
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // left for the clean-up at the next start
        }
    }

    private int activeCount() {
        int n = 0;
        for (boolean a : active) {
            if (a) {
                n++;
            }
        }
        return n;
    }

    private void requireQuorum() {
        int left = activeCount();
        if (left < quorum) {
            failure = new StorageException(
                    ErrorCode.ServiceUnavailable,
                    "the write reached " + left + " of " + totalNodes
                            + " storage node(s) but storage.write_quorum is " + quorum + "; nothing was stored"
                            + (failures.isEmpty() ? "" : "; failed: " + String.join(", ", failures)));
            throw failure;
        }
    }

    private void checkWritable() throws IOException {
        if (failure != null) {
            throw failure;
        }
        if (committed || closed) {
            throw new IOException("blob " + blobId + " is " + (committed ? "committed" : "closed"));
        }
    }

    private void writeAll(byte[] bytes, int offset, int length) {
        if (length == 0) {
            return;
        }
        written += length;
        for (int i = 0; i < channels.length; i++) {
            if (!active[i]) {
                continue;
            }
            ByteBuffer src = ByteBuffer.wrap(bytes, offset, length);
            try {
                nodes.get(i).checkWritable(files[i]);
                while (src.hasRemaining()) {
                    channels[i].write(src);
                }
            } catch (IOException e) {
                drop(i, "write failed on", e);
            }
        }
        requireQuorum();
    }

    private void flushBuffer() {
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
            if (!active[i]) {
                continue;
            }
            try {
                if (spareSizes[i] > written) {
                    channels[i].truncate(written); // the spare held a longer blob
                }
                if (fsync) {
                    channels[i].force(true);
                }
                channels[i].close();
            } catch (IOException e) {
                drop(i, "cannot finish", e);
            }
        }
        requireQuorum();
        List<Path> renamed = new ArrayList<>(nodes.size());
        for (int i = 0; i < channels.length; i++) {
            if (!active[i]) {
                continue;
            }
            StorageNode node = nodes.get(i);
            Path target = node.blobPath(blobId);
            try {
                node.checkWritable(target);
                moveIntoShard(files[i], target);
                renamed.add(target);
                if (fsync) {
                    forceDirectory(target.getParent());
                }
            } catch (IOException e) {
                renamed.remove(target);
                try {
                    Files.deleteIfExists(target);
                } catch (IOException ignored) {
                    // an orphan for the consistency check
                }
                drop(i, "cannot commit blob " + blobId + " to", e);
            }
        }
        try {
            requireQuorum();
        } catch (RuntimeException e) {
            for (Path path : renamed) {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
        committed = true;
        return blobId;
    }

    /**
     * Renames a temp file to its blob path. The shard directory nearly always exists already, so it is
     * created only when the rename says it is missing (first blob of the shard, or the directory was
     * deleted): no mkdir, and no exception, per write.
     */
    static void moveIntoShard(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException e) {
            Files.createDirectories(target.getParent());
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        }
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
            if (channels[i] != null && channels[i].isOpen()) {
                try {
                    channels[i].close();
                } catch (IOException e) {
                    // deleting it is what matters
                }
            }
            try {
                Files.deleteIfExists(files[i]);
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
            Objects.checkFromIndexSize(offset, length, bytes.length);
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
        public void close() {}
    }
}
