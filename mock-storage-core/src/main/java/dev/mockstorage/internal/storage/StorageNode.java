package dev.mockstorage.internal.storage;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One storage node: a directory holding immutable blob files ({@code blobs/xx/<id>}) and temp files ({@code tmp/}).
 * The state is the result of the last {@link #check()} (or {@link #markDown}); reading it is free.
 * Thread-safe.
 */
public final class StorageNode {
    private static final System.Logger LOG = System.getLogger(StorageNode.class.getName());

    private final String id;
    private final Path root;
    private final Path blobs;
    private final Path tmp;
    /** state and reason change together, so they live in one immutable value */
    private volatile Status status;
    /** set by {@link #markDown}: the node stays down whatever the directory looks like */
    private volatile String forcedDownReason;
    /** fault injection: extra time every read open and every write on this node takes, in ns (0: none) */
    private volatile long delayNanos;
    /** fault injection: every write on this node fails as on a read-only file system */
    private volatile boolean readOnly;
    /** told when the node turns from DOWN to UP (the blob store queues the repairs that waited for it) */
    private volatile Runnable onUp = () -> {};
    /** files of deleted small blobs, kept in {@code tmp/} for new blobs to be written into (see {@link Spare}) */
    private final ConcurrentLinkedQueue<Spare> spares = new ConcurrentLinkedQueue<>();
    /** spares kept or reserved; at most {@link #MAX_SPARES} */
    private final AtomicInteger spareCount = new AtomicInteger();

    /** Spare files a node keeps at most. */
    static final int MAX_SPARES = 32;
    /** Only blob files up to this size become spares; larger ones are deleted (their space is freed at once). */
    static final long MAX_SPARE_BYTES = 64 * 1024;

    /**
     * The file of a deleted blob, renamed into {@code tmp/} so that a new blob is written over it
     * instead of into a newly created file (log-file recycling, as RocksDB's recycle_log_file_num
     * does). Creating a file and allocating its blocks is the dearest step of a small PUT on ext4
     * once blobs are being deleted: writing three 4 KiB replicas took 700-770 µs (p50) in a steady
     * overwrite loop on this kind of VM, against 47-74 µs written over recycled files.
     *
     * @param size the file's length when it was kept; a shorter blob written into it truncates the rest
     */
    record Spare(Path file, long size) {}

    private record Status(NodeState state, String reason) {}

    /**
     * Creates {@code root/blobs} and {@code root/tmp} and checks the directory. A directory that
     * cannot be created leaves the node DOWN with the reason (no exception), so one bad node does
     * not stop the server.
     *
     * @param id   the node's name in messages and the admin API, e.g. {@code stg1}
     * @param root the node's directory
     */
    public StorageNode(String id, Path root) {
        this.id = id;
        this.root = root.toAbsolutePath().normalize();
        this.blobs = this.root.resolve("blobs");
        this.tmp = this.root.resolve("tmp");
        try {
            // the node's directory first, then its two: createDirectories(blobs) of a new node would fail
            // on blobs, then on the node's directory, and walk back up with an exception per step
            Files.createDirectories(this.root);
            createDirectory(blobs);
            createDirectory(tmp);
            check();
        } catch (IOException e) {
            status = new Status(NodeState.DOWN, "missing or not writable: cannot create " + this.root + ": " + e);
        }
    }

    /** Creates {@code dir}, whose parent exists, unless it is a directory already. */
    private static void createDirectory(Path dir) throws IOException {
        try {
            Files.createDirectory(dir);
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(dir)) {
                throw e;
            }
        }
    }

    /** The node's name, e.g. {@code stg1}. */
    public String id() {
        return id;
    }

    /** The node's directory (absolute). */
    public Path root() {
        return root;
    }

    /** The state found by the last {@link #check()}, or DOWN after {@link #markDown}. */
    public NodeState state() {
        return status.state();
    }

    /** Why the node is down, or null when up. */
    public String reason() {
        return status.reason();
    }

    /**
     * Re-checks the directory (exists, {@code blobs/} and {@code tmp/} writable)
     * and updates the state; returns it. A node taken down with {@link #markDown} stays down.
     */
    public NodeState check() {
        String forced = forcedDownReason;
        if (forced != null) {
            status = new Status(NodeState.DOWN, forced);
            return NodeState.DOWN;
        }
        Status result;
        if (!Files.isDirectory(root)) {
            result = new Status(NodeState.DOWN, "directory missing: " + root);
        } else {
            try {
                if (!Files.isDirectory(blobs) || !Files.isDirectory(tmp)) {
                    Files.createDirectories(blobs);
                    Files.createDirectories(tmp);
                }
                // access(W_OK): also false on a read-only file system, without the cost of a probe file
                if (readOnly || !Files.isWritable(tmp) || !Files.isWritable(blobs)) {
                    result = new Status(NodeState.DOWN, "read-only: directory not writable: " + root);
                } else if (!Files.isReadable(blobs)) {
                    result = new Status(NodeState.DOWN, "unreadable: " + root);
                } else if (root.toFile().getUsableSpace() == 0) { // statvfs; a FileStore would parse the mount table
                    result = new Status(NodeState.DOWN, "full: no space left on " + root);
                } else {
                    result = new Status(NodeState.UP, null);
                }
            } catch (IOException | RuntimeException e) {
                result = new Status(NodeState.DOWN, "directory not writable: " + root + ": " + e);
            }
        }
        // markDown may have run meanwhile: it wins
        if (forcedDownReason != null) {
            result = new Status(NodeState.DOWN, forcedDownReason);
        }
        setStatus(result);
        return result.state();
    }

    private void setStatus(Status next) {
        Status previous = status;
        status = next;
        if (previous != null && previous.state() == NodeState.UP && next.state() == NodeState.DOWN) {
            // once per change, never per request: the requests it fails are answered with the reason.
            // A fault injected on purpose is the test's own doing, so it stays below the console's INFO.
            boolean injected = forcedDownReason != null || readOnly;
            LOG.log(
                    injected ? System.Logger.Level.DEBUG : System.Logger.Level.WARNING,
                    () -> "storage node " + id + " is down: " + next.reason());
        }
        if (previous != null && previous.state() == NodeState.DOWN && next.state() == NodeState.UP) {
            LOG.log(System.Logger.Level.DEBUG, () -> "storage node " + id + " is up again");
            try {
                onUp.run();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "could not queue the repairs waiting for node " + id, e);
            }
        }
    }

    /** Called every time the node turns from DOWN to UP (set once, by the blob store). */
    void onUp(Runnable listener) {
        this.onUp = listener;
    }

    /**
     * Marks the node DOWN after a real I/O error on it (a write, rename or read that failed), with the
     * reason {@link #describe} gives. Unlike {@link #markDown}, the next {@link #check()} brings it back
     * when its directory is usable again.
     */
    public void markFailed(String reason) {
        setStatus(new Status(NodeState.DOWN, reason));
    }

    /** A node's reason for an I/O error: {@code full: ...}, {@code read-only: ...} or {@code I/O error: ...}. */
    static String describe(String what, IOException e) {
        String text = String.valueOf(e.getMessage())
                + (e instanceof FileSystemException f && f.getReason() != null ? " " + f.getReason() : "");
        String lower = text.toLowerCase(Locale.ROOT);
        String kind = lower.contains("no space left") || lower.contains("disk quota")
                ? "full"
                : lower.contains("read-only file system")
                        ? "read-only"
                        : e instanceof AccessDeniedException ? "unreadable or not writable" : "I/O error";
        return kind + ": " + what + ": " + e;
    }

    /**
     * Fault injection: makes every write on the node fail as on a read-only file system (the error
     * a real one gives, handled by the same code), and {@link #check()} report it; {@code false} ends it.
     */
    public void readOnly(boolean on) {
        readOnly = on;
    }

    /** True while {@link #readOnly(boolean)} is on. */
    public boolean isReadOnly() {
        return readOnly;
    }

    /** Throws what a read-only file system throws when the read-only fault is on; called before every write. */
    void checkWritable(Path file) throws IOException {
        if (readOnly) {
            throw new FileSystemException(file.toString(), null, "Read-only file system");
        }
    }

    /** Takes the node down on purpose (fault injection): reads and writes skip it until {@link #markUp()}. */
    public void markDown(String reason) {
        String why = reason == null || reason.isBlank() ? "marked down" : reason;
        forcedDownReason = why;
        setStatus(new Status(NodeState.DOWN, why));
    }

    /** Ends a {@link #markDown} and the read-only fault; the node is UP again if its directory passes {@link #check()}. */
    public void markUp() {
        forcedDownReason = null;
        readOnly = false;
        check();
    }

    /**
     * Makes every read open and every write on this node take {@code delay} longer (fault injection):
     * the request thread really waits, in {@link BlobStore}. {@link Duration#ZERO} ends it.
     *
     * @throws IllegalArgumentException for a negative delay
     */
    public void delay(Duration delay) {
        if (delay.isNegative()) {
            throw new IllegalArgumentException("a delay cannot be negative: " + delay);
        }
        delayNanos = delay.toNanos();
    }

    /** The delay set with {@link #delay(Duration)}, {@link Duration#ZERO} when none. */
    public Duration delay() {
        return Duration.ofNanos(delayNanos);
    }

    /** Waits out the node's delay, if any (an interrupt ends the wait and is kept). */
    void awaitDelay() {
        long nanos = delayNanos;
        if (nanos <= 0) {
            return;
        }
        long deadline = System.nanoTime() + nanos;
        try {
            for (long left = nanos; left > 0; left = deadline - System.nanoTime()) {
                TimeUnit.NANOSECONDS.sleep(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Where this node keeps (or would keep) the blob: {@code root/blobs/<first 2 hex>/<id>}.
     *
     * @throws dev.mockstorage.internal.error.StorageException InvalidArgument for anything but 32 hex chars
     */
    public Path blobPath(String blobId) {
        BlobIds.requireValid(blobId);
        return blobs.resolve(blobId.substring(0, 2)).resolve(blobId);
    }

    /**
     * Ids of every committed blob file on this node (any order); files not named like a blob are
     * ignored. For the consistency check, which compares them with the metadata.
     */
    public List<String> listBlobIds() throws IOException {
        List<String> ids = new ArrayList<>();
        try (DirectoryStream<Path> shards = Files.newDirectoryStream(blobs)) {
            for (Path shard : shards) {
                if (!Files.isDirectory(shard)) {
                    continue;
                }
                try (DirectoryStream<Path> files = Files.newDirectoryStream(shard)) {
                    for (Path file : files) {
                        String name = file.getFileName().toString();
                        if (BlobIds.isValid(name)
                                && name.startsWith(shard.getFileName().toString())) {
                            ids.add(name);
                        }
                    }
                }
            }
        }
        return ids;
    }

    /** A walk of the blob directory slower than this is not repeated on every {@link #usage()} call. */
    private static final long SLOW_WALK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    /** A slow walk's figures serve this many times its duration before a new walk starts (at most 5 % of a core). */
    private static final int REUSE_FACTOR = 20;
    /** How long the first call waits for the first walk before answering "not counted yet". */
    private static final long FIRST_WALK_WAIT_MS = 200;

    /** The figures of the last walk of the blob directory, when it ended and how long it took. */
    private record Usage(long files, long bytes, long endedNanos, long tookNanos) {}

    private volatile Usage lastUsage;
    private final AtomicReference<CompletableFuture<Usage>> walking = new AtomicReference<>();

    /**
     * Ids of the committed blob files in one shard directory ({@code blobs/<shard>}, the ids' first two
     * hex characters); empty when it does not exist. The consistency check goes through the shards one by one.
     */
    public List<String> listBlobIds(String shard) throws IOException {
        Path dir = blobs.resolve(shard);
        List<String> ids = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return ids;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (BlobIds.isValid(name) && name.startsWith(shard)) {
                    ids.add(name);
                }
            }
        }
        return ids;
    }

    /**
     * Blob files on this node and their bytes ({@code [files, bytes]}), by walking its directory (one
     * stat per blob), for statistics and metrics, never for requests. A node whose walk takes under
     * 50 ms is walked on every call, so the figures are exact. A larger one (a million blobs take
     * seconds) answers the last walk's figures while they are younger than 20 walks' time, and starts a
     * new walk in the background when they are older: a statistics call never waits for a walk, and
     * walking costs at most about 5 % of a core. {@code [-1, -1]} while the first walk of a large node
     * runs; {@code [0, 0]} when the directory cannot be read.
     */
    public long[] usage() {
        Usage last = lastUsage;
        long now = System.nanoTime();
        if (last != null && last.tookNanos() < SLOW_WALK_NANOS) {
            Usage fresh = walkUsage();
            return new long[] {fresh.files(), fresh.bytes()};
        }
        if (last != null && now - last.endedNanos() < REUSE_FACTOR * last.tookNanos()) {
            return new long[] {last.files(), last.bytes()};
        }
        CompletableFuture<Usage> walk = walking.get();
        if (walk == null) {
            CompletableFuture<Usage> started = new CompletableFuture<>();
            if (walking.compareAndSet(null, started)) {
                Thread t = new Thread(
                        () -> {
                            try {
                                started.complete(walkUsage());
                            } catch (RuntimeException | Error e) {
                                started.completeExceptionally(e);
                            } finally {
                                walking.set(null);
                            }
                        },
                        "mock-storage-usage-" + id);
                t.setDaemon(true);
                t.start();
                walk = started;
            } else {
                walk = walking.get();
            }
        }
        if (last == null && walk != null) {
            try {
                Usage first = walk.get(FIRST_WALK_WAIT_MS, TimeUnit.MILLISECONDS);
                return new long[] {first.files(), first.bytes()};
            } catch (TimeoutException | ExecutionException e) {
                return new long[] {-1, -1};
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new long[] {-1, -1};
            }
        }
        Usage l = lastUsage;
        return l == null ? new long[] {-1, -1} : new long[] {l.files(), l.bytes()};
    }

    private Usage walkUsage() {
        long start = System.nanoTime();
        long files = 0;
        long bytes = 0;
        try (DirectoryStream<Path> shards = Files.newDirectoryStream(blobs)) {
            for (Path shard : shards) {
                if (!Files.isDirectory(shard)) {
                    continue;
                }
                try (DirectoryStream<Path> entries = Files.newDirectoryStream(shard)) {
                    for (Path file : entries) {
                        if (BlobIds.isValid(file.getFileName().toString())) {
                            try {
                                bytes += Files.size(file);
                                files++;
                            } catch (IOException e) {
                                // deleted meanwhile
                            }
                        }
                    }
                }
            }
        } catch (IOException e) {
            // unreadable node: its state says so
        }
        long end = System.nanoTime();
        Usage u = new Usage(files, bytes, end, end - start);
        lastUsage = u;
        return u;
    }

    Path tmpDir() {
        return tmp;
    }

    /** Reserves room for one more spare; false when the node keeps {@link #MAX_SPARES} already. */
    boolean reserveSpare() {
        if (spareCount.incrementAndGet() > MAX_SPARES) {
            spareCount.decrementAndGet();
            return false;
        }
        return true;
    }

    /** Gives back a reservation that did not become a spare. */
    void releaseSpare() {
        spareCount.decrementAndGet();
    }

    /**
     * The name in {@code tmp/} of the spare made of a deleted blob's file: unique across restarts, as
     * blob ids are (the temp files a previous process left, spares included, are removed at start).
     */
    Path sparePath(String deletedBlobId) {
        return tmp.resolve("spare-" + deletedBlobId + ".tmp");
    }

    /** Keeps a reserved spare for the next write. */
    void addSpare(Spare spare) {
        spares.add(spare);
    }

    /** A spare to write a new blob into, or null; the caller owns (and on failure deletes) its file. */
    Spare takeSpare() {
        Spare spare = spares.poll();
        if (spare != null) {
            spareCount.decrementAndGet();
        }
        return spare;
    }

    Path tmpPath(String blobId) {
        return tmp.resolve(blobId + ".tmp");
    }

    @Override
    public String toString() {
        Status s = status;
        return id + " (" + root + ", " + s.state() + (s.reason() == null ? "" : ": " + s.reason()) + ")";
    }
}
