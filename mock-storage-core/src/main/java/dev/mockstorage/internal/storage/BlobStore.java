package dev.mockstorage.internal.storage;

import dev.mockstorage.internal.error.ErrorCode;
import dev.mockstorage.internal.error.StorageException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.function.Consumer;

/**
 * Replicated blob files across the storage nodes: the request path's writes ({@link #prepare}), reads
 * of the first intact copy ({@link #find}) and deletions. Request paths never reach the file system:
 * blobs are named by a random id, checked ({@code 32 hex}) before it becomes a path. A blob file never
 * changes once committed, so readers never see a half-written file. Work on one node's copy at a
 * time (check, repair, damage) is {@link #replicas()}. Thread-safe.
 */
public final class BlobStore implements AutoCloseable {
    private final List<StorageNode> nodes;
    private final boolean fsync;
    private final int writeQuorum;
    private volatile Consumer<StorageNode> nodeUpListener = n -> {};
    /** reads in progress: their blobs' files are unlinked when deleted, never recycled as spares */
    private final ReadTracker readers = new ReadTracker();

    private final Replicas replicas;

    /**
     * Removes the temp files a crashed process left in every node's {@code tmp/} (half-written
     * uploads that were never committed).
     *
     * @param nodes the nodes, in read-preference order; their directories are created
     * @param fsync force each blob file and directory to disk on commit
     */
    public BlobStore(List<StorageNode> nodes, boolean fsync) {
        this(nodes, fsync, 1);
    }

    /**
     * Like {@link #BlobStore(List, boolean)} with a write quorum: a write must reach at least
     * {@code writeQuorum} nodes or it fails with ServiceUnavailable, leaving nothing behind.
     *
     * @param writeQuorum 1..number of nodes ({@code storage.write_quorum})
     */
    public BlobStore(List<StorageNode> nodes, boolean fsync, int writeQuorum) {
        if (nodes.isEmpty()) {
            throw new IllegalArgumentException("at least one storage node is needed");
        }
        if (writeQuorum < 1 || writeQuorum > nodes.size()) {
            throw new IllegalArgumentException("write quorum " + writeQuorum + " is outside 1.." + nodes.size());
        }
        this.nodes = List.copyOf(nodes);
        this.fsync = fsync;
        this.writeQuorum = writeQuorum;
        this.replicas = new Replicas(this.nodes, fsync, readers);
        for (StorageNode node : this.nodes) {
            removeTempFiles(node);
            node.onUp(() -> nodeUpListener.accept(node));
        }
    }

    /** Nodes a write must reach ({@code storage.write_quorum}). */
    public int writeQuorum() {
        return writeQuorum;
    }

    /** Told whenever a node turns from DOWN to UP (after {@link StorageNode#markUp} or a {@link StorageNode#check}). */
    public void onNodeUp(Consumer<StorageNode> listener) {
        this.nodeUpListener = listener;
    }

    private static void removeTempFiles(StorageNode node) {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(node.tmpDir())) {
            for (Path file : files) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    // best effort: a leftover temp file is harmless, it is never read
                }
            }
        } catch (IOException e) {
            // the node's directory is unusable; its state says so
        }
    }

    /** The nodes in read-preference order. */
    public List<StorageNode> nodes() {
        return nodes;
    }

    /** Each node's copy of a blob: check, repair, remove, damage (never on the request path). */
    public Replicas replicas() {
        return replicas;
    }

    /** The node with this id, if any. */
    public Optional<StorageNode> node(String id) {
        return nodes.stream().filter(n -> n.id().equals(id)).findFirst();
    }

    /**
     * Starts a blob on every node that is up: one temp file each, fed by
     * {@link PendingBlob#output()}. The caller closes the PendingBlob (commit or not). A node whose
     * file cannot be created or written is marked down with the reason ({@code full}, {@code read-only},
     * ...) and the write goes on without it while the write quorum is still met.
     *
     * @throws StorageException ServiceUnavailable when no node is up, or fewer than the write quorum
     *                          (nothing is left behind)
     */
    public PendingBlob prepare() throws IOException {
        List<StorageNode> up = new ArrayList<>(nodes.size());
        for (StorageNode node : nodes) {
            if (node.state() == NodeState.UP) {
                up.add(node);
            }
        }
        if (up.isEmpty()) {
            StringJoiner why = new StringJoiner(", ", "no storage node is up: ", "");
            for (StorageNode node : nodes) {
                why.add(node.id() + " (" + node.reason() + ")");
            }
            throw new StorageException(ErrorCode.ServiceUnavailable, why.toString());
        }
        if (up.size() < writeQuorum) {
            StringJoiner why = new StringJoiner(
                    ", ",
                    "only " + up.size() + " of " + nodes.size() + " storage nodes are up but storage.write_quorum is "
                            + writeQuorum + "; down: ",
                    "");
            for (StorageNode node : nodes) {
                if (node.state() != NodeState.UP) {
                    why.add(node.id() + " (" + node.reason() + ")");
                }
            }
            throw new StorageException(ErrorCode.ServiceUnavailable, why.toString());
        }
        for (StorageNode node : up) {
            node.awaitDelay(); // fault injection: a slow node slows every write that includes it
        }
        return new TeePendingBlob(BlobIds.random(), up, fsync, writeQuorum, nodes.size());
    }

    /**
     * The first node (in order) that is up and has the blob with exactly {@code size} bytes;
     * {@link BlobReader#missingOn()} names the up nodes before it that lacked an intact copy.
     * Empty when no up node has one. Contents are not checked: see {@link #find(String, long, String)}.
     *
     * @throws StorageException InvalidArgument when {@code blobId} is not a blob id
     */
    public Optional<BlobReader> find(String blobId, long size) {
        return find(blobId, size, null);
    }

    /**
     * The first node (in order) that is up and holds an intact copy of the blob: exactly {@code size}
     * bytes and, when {@code md5Hex} is given, that content. How the content is checked depends on
     * the size, so that small reads stay cheap and no read returns damaged bytes:
     * <ul>
     * <li>up to {@value #IN_MEMORY_LIMIT} bytes: the file is read once into memory, hashed, and
     *     served from that copy (no second open, no window for a change in between);</li>
     * <li>up to {@value #VERIFY_BEFORE_READ_LIMIT} bytes: the file is hashed before it is chosen
     *     (the page cache makes the second read cheap);</li>
     * <li>larger: chosen by size; a read of the whole blob is hashed while it streams and fails with
     *     {@link DamagedBlobException} instead of returning its last bytes when the content is wrong.
     *     A read of part of a large blob is not checked (it would cost reading the whole blob).</li>
     * </ul>
     * {@link BlobReader#missingOn()} names the up nodes before the chosen one whose copy was missing,
     * of the wrong size or damaged (candidates for repair). A node's delay ({@link StorageNode#delay})
     * is waited out once for every copy opened. Empty when no up node has an intact copy.
     *
     * @param md5Hex the MD5 of the content in lower-case hex, or null to trust the size alone
     * @throws StorageException InvalidArgument when {@code blobId} is not a blob id
     */
    public Optional<BlobReader> find(String blobId, long size, String md5Hex) {
        BlobIds.requireValid(blobId);
        readers.start(blobId); // the reader's own streams register again while they are open
        try {
            return findCopy(blobId, size, md5Hex);
        } finally {
            readers.done(blobId);
        }
    }

    private Optional<BlobReader> findCopy(String blobId, long size, String md5Hex) {
        List<String> missing = null;
        for (StorageNode node : nodes) {
            if (node.state() != NodeState.UP) {
                continue;
            }
            Path file = node.blobPath(blobId);
            long actual;
            try {
                actual = Files.size(file);
            } catch (NoSuchFileException e) {
                actual = -1;
                if (!Files.isDirectory(node.root())) {
                    node.check(); // the node's directory vanished: DOWN, reads and writes skip it
                    continue;
                }
            } catch (IOException e) {
                node.markFailed(StorageNode.describe("cannot read " + file, e));
                continue;
            }
            if (actual == size) {
                node.awaitDelay();
                List<String> before = missing == null ? List.of() : List.copyOf(missing);
                BlobReader reader = open(node, blobId, file, size, md5Hex, before);
                if (reader != null) {
                    return Optional.of(reader);
                }
            }
            if (missing == null) {
                missing = new ArrayList<>(nodes.size());
            }
            missing.add(node.id());
        }
        return Optional.empty();
    }

    /** Copies up to this size are read into memory, checked and served from there. */
    public static final int IN_MEMORY_LIMIT = 256 * 1024;
    /** Copies up to this size are checked whole before they are read; larger ones while they stream. */
    public static final long VERIFY_BEFORE_READ_LIMIT = 8L * 1024 * 1024;

    /** A reader for the copy in {@code file}, or null when it is damaged or unreadable. */
    private BlobReader open(
            StorageNode node, String blobId, Path file, long size, String md5Hex, List<String> missingOn) {
        if (md5Hex == null) {
            return new FileBlobReader(node.id(), file, size, missingOn, null, readers, blobId);
        }
        if (size <= IN_MEMORY_LIMIT) {
            byte[] content;
            try {
                content = Files.readAllBytes(file);
            } catch (IOException e) {
                return null;
            }
            if (content.length != size || !Md5.matches(content, md5Hex)) {
                return null;
            }
            return new MemoryBlobReader(node.id(), content, missingOn);
        }
        if (size <= VERIFY_BEFORE_READ_LIMIT) {
            return Md5.isIntact(file, size, md5Hex)
                    ? new FileBlobReader(node.id(), file, size, missingOn, null, readers, blobId)
                    : null;
        }
        return new FileBlobReader(node.id(), file, size, missingOn, md5Hex, readers, blobId);
    }

    /**
     * Deletes the blob from every node that is up; missing files are fine. Nodes that are down are
     * skipped (they are unreachable by definition); what they keep is an orphan for the
     * consistency check. A small copy that no read has open is not unlinked but kept as the node's
     * spare (see {@link StorageNode.Spare}), for the next blob to be written over.
     *
     * @throws IOException      when a node that is up could not delete it (after trying every node)
     * @throws StorageException InvalidArgument when {@code blobId} is not a blob id
     */
    public void delete(String blobId) throws IOException {
        BlobIds.requireValid(blobId);
        IOException[] failure = {null};
        readers.whileUnread(blobId, unread -> {
            for (StorageNode node : nodes) {
                if (node.state() != NodeState.UP) {
                    continue;
                }
                try {
                    node.checkWritable(node.blobPath(blobId));
                    if (!unread || !recycle(node, blobId)) {
                        Files.deleteIfExists(node.blobPath(blobId));
                    }
                } catch (NoSuchFileException e) {
                    // the shard directory is gone: nothing to delete
                } catch (IOException e) {
                    // a read-only or full node is marked down (a retry skips it; the file left there is an orphan for
                    // the consistency check); an error with this one file alone keeps the node up
                    String reason = StorageNode.describe("cannot delete blob " + blobId + " on " + node.root(), e);
                    if (reason.startsWith("read-only") || reason.startsWith("full")) {
                        node.markFailed(reason);
                    }
                    IOException wrapped = new IOException(node.id() + ": cannot delete blob " + blobId + ": " + e, e);
                    if (failure[0] == null) {
                        failure[0] = wrapped;
                    } else {
                        failure[0].addSuppressed(wrapped);
                    }
                }
            }
        });
        if (failure[0] != null) {
            throw failure[0];
        }
    }

    /**
     * Keeps a small blob's file as one of the node's {@link StorageNode.Spare spares} instead of
     * deleting it: it leaves {@code blobs/} for {@code tmp/} in one rename. False when the node keeps
     * enough spares already or the file is too large (the caller deletes it then).
     */
    private static boolean recycle(StorageNode node, String blobId) throws IOException {
        if (!node.reserveSpare()) {
            return false;
        }
        boolean kept = false;
        try {
            Path file = node.blobPath(blobId);
            BasicFileAttributes attributes =
                    Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (attributes.isRegularFile() && attributes.size() <= StorageNode.MAX_SPARE_BYTES) {
                Path spare = node.sparePath(blobId);
                Files.move(file, spare, StandardCopyOption.ATOMIC_MOVE);
                node.addSpare(new StorageNode.Spare(spare, attributes.size()));
                kept = true;
            }
            return kept;
        } finally {
            if (!kept) {
                node.releaseSpare();
            }
        }
    }

    /** True when {@code blobId} has the form of a blob id (32 lower-case hex chars). */
    public static boolean isBlobId(String blobId) {
        return BlobIds.isValid(blobId);
    }

    /** Nothing to release: files are opened per blob and closed by their users. */
    @Override
    public void close() {}
}
