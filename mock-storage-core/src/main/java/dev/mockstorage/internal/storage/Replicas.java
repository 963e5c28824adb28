package dev.mockstorage.internal.storage;

import dev.mockstorage.internal.error.StorageException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;

/**
 * The copies of a blob on each node, seen one by one: which nodes hold one, the state of one node's
 * copy, copying an intact copy over missing or damaged ones, removing one node's copy, and damaging
 * one on purpose. For the consistency check, repair tasks, fault injection and the admin API; never
 * on the request path. Thread-safe.
 */
public final class Replicas {
    private final List<StorageNode> nodes;
    private final boolean fsync;
    private final ReadTracker readers;

    /** @param readers the blob store's reads in progress: a copy being checked or copied is being read */
    Replicas(List<StorageNode> nodes, boolean fsync, ReadTracker readers) {
        this.nodes = nodes;
        this.fsync = fsync;
        this.readers = readers;
    }

    /**
     * The ids of the nodes, in order, that are up and hold the blob with exactly {@code size} bytes
     * (an intact replica, as far as size tells; contents are not re-hashed).
     *
     * @throws StorageException InvalidArgument when {@code blobId} is not a blob id
     */
    public List<String> nodesHolding(String blobId, long size) {
        BlobIds.requireValid(blobId);
        List<String> holding = new ArrayList<>(nodes.size());
        for (StorageNode node : nodes) {
            if (node.state() != NodeState.UP) {
                continue;
            }
            try {
                if (Files.size(node.blobPath(blobId)) == size) {
                    holding.add(node.id());
                }
            } catch (IOException e) {
                // no copy on this node
            }
        }
        return holding;
    }

    /**
     * The state of one node's copy of a blob, reading it whole when {@code md5Hex} is given.
     *
     * @throws IOException when the node cannot be read (not simply a missing file)
     */
    public ReplicaState state(StorageNode node, String blobId, long size, String md5Hex) throws IOException {
        Path file = node.blobPath(blobId);
        long actual;
        try {
            actual = Files.size(file);
        } catch (NoSuchFileException e) {
            return ReplicaState.MISSING;
        }
        if (actual != size) {
            return ReplicaState.WRONG_SIZE;
        }
        readers.start(blobId);
        try {
            return Md5.isIntact(file, size, md5Hex) ? ReplicaState.INTACT : ReplicaState.WRONG_CONTENT;
        } finally {
            readers.done(blobId);
        }
    }

    /** When the node's copy of the blob was last modified, or null when it has none. */
    public Instant modifiedAt(StorageNode node, String blobId) {
        try {
            return Files.getLastModifiedTime(node.blobPath(blobId)).toInstant();
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * Repairs a blob's replicas: every node that is up and lacks an intact copy (missing, wrong size,
     * or, when {@code md5Hex} is given, wrong content) gets a copy of the first intact one, written to
     * the node's {@code tmp/} and renamed over the damaged file in one atomic step, so readers see
     * the old file or the whole new one. Nodes that are down are skipped. Safe to run twice at once.
     *
     * @param size   the blob's size in bytes
     * @param md5Hex the MD5 of its content in lower-case hex to check every copy against (reads each
     *               copy whole), or null to trust the size alone
     * @return the ids of the nodes that were repaired, in node order (empty: nothing was damaged)
     * @throws IOException      when no node that is up has an intact copy, or a copy could not be
     *                          written (after trying every damaged node)
     * @throws StorageException InvalidArgument when {@code blobId} is not a blob id
     */
    public List<String> repair(String blobId, long size, String md5Hex) throws IOException {
        BlobIds.requireValid(blobId);
        readers.start(blobId);
        try {
            return repairCopies(blobId, size, md5Hex);
        } finally {
            readers.done(blobId);
        }
    }

    private List<String> repairCopies(String blobId, long size, String md5Hex) throws IOException {
        Path source = null;
        List<StorageNode> damaged = new ArrayList<>();
        for (StorageNode node : nodes) {
            if (node.state() != NodeState.UP) {
                continue;
            }
            Path file = node.blobPath(blobId);
            if (Md5.isIntact(file, size, md5Hex)) {
                if (source == null) {
                    source = file;
                }
            } else {
                damaged.add(node);
            }
        }
        if (damaged.isEmpty()) {
            return List.of();
        }
        if (source == null) {
            throw new IOException("no node that is up holds an intact copy of blob " + blobId + " (" + size + " bytes"
                    + (md5Hex == null ? "" : ", MD5 " + md5Hex) + ")");
        }
        List<String> repaired = new ArrayList<>(damaged.size());
        IOException failure = null;
        for (StorageNode node : damaged) {
            try {
                copy(source, node, blobId, size);
                repaired.add(node.id());
            } catch (IOException e) {
                node.markFailed(StorageNode.describe("cannot repair blob " + blobId + " on " + node.root(), e));
                IOException wrapped = new IOException(node.id() + ": cannot repair blob " + blobId + ": " + e, e);
                if (failure == null) {
                    failure = wrapped;
                } else {
                    failure.addSuppressed(wrapped);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
        return repaired;
    }

    /** Copies {@code source} to the node's {@code tmp/}, then renames it over the node's copy of the blob. */
    private void copy(Path source, StorageNode node, String blobId, long size) throws IOException {
        Path tmp = node.tmpDir().resolve(blobId + "." + BlobIds.random() + ".repair.tmp");
        try {
            node.checkWritable(tmp);
            Files.copy(source, tmp);
            if (Files.size(tmp) != size) {
                throw new IOException("the source copy changed while it was copied");
            }
            if (fsync) {
                try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                    channel.force(true);
                }
            }
            Path target = node.blobPath(blobId);
            Files.createDirectories(target.getParent());
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            if (fsync) {
                TeePendingBlob.forceDirectory(target.getParent());
            }
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // a leftover temp file is removed at the next start
            }
            throw e;
        }
    }

    /**
     * Deletes one node's copy of a blob (the consistency check removing an orphan); true when a file was removed.
     *
     * @throws IOException when it cannot be deleted
     */
    public boolean deleteOn(StorageNode node, String blobId) throws IOException {
        Path file = node.blobPath(blobId);
        node.checkWritable(file);
        try {
            return Files.deleteIfExists(file);
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    /**
     * Damages one node's copy of a blob in place, keeping its size and name (fault injection: bit
     * rot): a few bytes spread over the file are inverted.
     *
     * @return false when the node has no copy of the blob
     * @throws IllegalArgumentException for an empty blob (nothing to damage)
     * @throws IOException              when the file cannot be written
     */
    public boolean corrupt(StorageNode node, String blobId) throws IOException {
        BlobIds.requireValid(blobId);
        Path file = node.blobPath(blobId);
        if (!Files.isRegularFile(file)) {
            return false;
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = channel.size();
            if (size == 0) {
                throw new IllegalArgumentException(
                        "the copy on " + node.id() + " is empty: an empty object cannot be damaged");
            }
            for (long position : LongStream.of(0, size / 2, size - 1).distinct().toArray()) {
                ByteBuffer one = ByteBuffer.allocate(1);
                channel.read(one, position);
                one.flip();
                byte b = (byte) ~one.get(0);
                channel.write(ByteBuffer.wrap(new byte[] {b}), position);
            }
            if (fsync) {
                channel.force(true);
            }
        } catch (NoSuchFileException e) {
            return false;
        }
        return true;
    }
}
