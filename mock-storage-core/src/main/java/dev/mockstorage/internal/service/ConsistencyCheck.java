package dev.mockstorage.internal.service;

import dev.mockstorage.internal.metadata.MetadataStore;
import dev.mockstorage.internal.metadata.ObjectQuery;
import dev.mockstorage.internal.metadata.ObjectRecord;
import dev.mockstorage.internal.metadata.UploadRecord;
import dev.mockstorage.internal.storage.BlobStore;
import dev.mockstorage.internal.storage.NodeState;
import dev.mockstorage.internal.storage.ReplicaState;
import dev.mockstorage.internal.storage.StorageNode;
import dev.mockstorage.internal.threads.SharedThreads;
import dev.mockstorage.stats.ConsistencyReport;
import dev.mockstorage.stats.ConsistencyReport.Finding;
import dev.mockstorage.stats.ConsistencyReport.Kind;
import dev.mockstorage.stats.ServerStats;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * The consistency check: compares the metadata with every storage node that is up and reports each
 * problem ({@link Kind}): a replica missing, of the wrong size or content, a blob file nothing refers
 * to (an orphan, e.g. after a crash between the rename and the metadata commit), an object with no
 * intact replica. With repair it copies intact replicas over the bad ones, deletes orphans older
 * than the grace period and marks objects with no intact copy as damaged (GET and HEAD then answer
 * 500 InternalError; a new PUT clears the mark). One check runs at a time; it reads every replica
 * whole, so it costs the store's size in reads. Runs on demand and, when configured, periodically.
 */
public final class ConsistencyCheck implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ConsistencyCheck.class.getName());
    private static final int PAGE = 500;

    private final MetadataStore metadata;
    private final BlobStore blobs;
    private final ObjectService objects;
    private final Clock clock;
    private final Duration orphanGrace;
    private final Duration abandonedAfter;
    private final Object running = new Object();
    private final AtomicLong checks = new AtomicLong();
    private final AtomicLong repairs = new AtomicLong();
    private final Map<Kind, AtomicLong> byKind = new EnumMap<>(Kind.class);
    private volatile ConsistencyReport last;
    private ScheduledFuture<?> periodic;

    /**
     * @param clock          the server's clock: the report's time, the age of multipart uploads and of damaged marks
     * @param orphanGrace    how old an unreferenced blob file must be before it counts as an orphan (on the file
     *                       system's clock)
     * @param abandonedAfter how old a multipart upload must be before it counts as abandoned; zero: never
     */
    public ConsistencyCheck(
            MetadataStore metadata,
            BlobStore blobs,
            ObjectService objects,
            Clock clock,
            Duration orphanGrace,
            Duration abandonedAfter) {
        this.abandonedAfter = abandonedAfter;
        this.metadata = metadata;
        this.blobs = blobs;
        this.objects = objects;
        this.clock = clock;
        this.orphanGrace = orphanGrace;
        for (Kind k : Kind.values()) {
            byKind.put(k, new AtomicLong());
        }
    }

    /**
     * Runs the check every {@code interval} with repair, on the daemon thread of every server's periodic work
     * ({@link SharedThreads#every}); failures are logged. Stopped by {@link #close()}.
     */
    public synchronized void startPeriodic(Duration interval) {
        if (periodic != null || interval.isZero() || interval.isNegative()) {
            return;
        }
        periodic = SharedThreads.every(interval, () -> {
            try {
                run(true);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "the periodic consistency check failed", e);
            }
        });
    }

    /** Checks (and with {@code repair}, repairs) the whole store; one check at a time. */
    public ConsistencyReport run(boolean repair) {
        synchronized (running) {
            ConsistencyReport report = check(repair);
            checks.incrementAndGet();
            for (Finding f : report.findings()) {
                byKind.get(f.kind()).incrementAndGet();
            }
            repairs.addAndGet(report.repaired());
            last = report;
            if (!report.clean()) {
                LOG.log(
                        System.Logger.Level.INFO,
                        "consistency check{0}: {1} finding(s)",
                        repair ? " with repair" : "",
                        report.findings().size());
            }
            return report;
        }
    }

    /** Checks run, findings by kind, repairs, and the damaged objects and waiting repairs now. */
    public ServerStats.Consistency stats() {
        ConsistencyReport l = last;
        Map<String, Long> kinds = new LinkedHashMap<>();
        byKind.forEach((k, v) -> kinds.put(k.name(), v.get()));
        return new ServerStats.Consistency(
                checks.get(),
                l == null ? null : l.startedAt(),
                l == null ? 0 : l.findings().size(),
                Map.copyOf(kinds),
                repairs.get(),
                metadata.damagedBlobIds().size(),
                metadata.waitingTaskCount());
    }

    private ConsistencyReport check(boolean repair) {
        Instant start = clock.instant();
        // blob files carry the file system's times: their age is measured on its clock, never on the server's,
        // which a test may have moved ahead (a file written a moment ago would look old enough to delete)
        Instant filesNow = Instant.now();
        long t0 = System.nanoTime();
        List<String> skipped = new ArrayList<>();
        List<StorageNode> up = new ArrayList<>();
        for (StorageNode node : blobs.nodes()) {
            if (node.check() != NodeState.UP) {
                skipped.add(node.id() + ": " + node.reason());
            } else {
                up.add(node);
            }
        }
        boolean allUp = skipped.isEmpty();
        List<Finding> findings = new ArrayList<>();
        Set<String> damagedBefore = metadata.damagedBlobIds();
        boolean marksChanged = false;
        long objectCount = 0;
        String afterBucket = null;
        String afterKey = null;
        while (true) {
            // no filter: bounded by the index, never stopped early
            List<ObjectRecord> page = metadata.findObjects(ObjectQuery.all(), afterBucket, afterKey, PAGE)
                    .objects();
            for (ObjectRecord o : page) {
                objectCount++;
                marksChanged |= checkObject(o, up, allUp, repair, damagedBefore, findings);
            }
            if (page.size() < PAGE) {
                break;
            }
            afterBucket = page.get(page.size() - 1).bucket();
            afterKey = page.get(page.size() - 1).key();
        }
        long blobFiles = orphans(up, skipped, filesNow, repair, findings);
        if (marksChanged) {
            objects.reads().refreshDamaged();
        }
        abandonedUploads(start, repair, findings);
        return new ConsistencyReport(
                start,
                Duration.ofNanos(System.nanoTime() - t0).toMillis(),
                repair,
                objectCount,
                blobFiles,
                List.copyOf(skipped),
                List.copyOf(findings));
    }

    /**
     * Finds (and with repair, deletes) the blob files on {@code nodes} that no row and no task names; returns
     * how many blob files the nodes hold. The ids the metadata names are read after the objects were checked
     * (a blob committed meanwhile is named by then, or younger than the grace period) and spread over one
     * temporary file per shard ({@code blobs/<first two hex characters>/}); then each shard's ids are held
     * while that shard's files are compared on every node. So the memory a check needs is a 256th of the
     * store's ids, not all of them (which made it the largest heap user of a store with a million objects).
     */
    private long orphans(
            List<StorageNode> nodes, List<String> skipped, Instant filesNow, boolean repair, List<Finding> findings) {
        Path dir;
        try {
            dir = Files.createTempDirectory("mock-storage-check-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory for the consistency check", e);
        }
        try {
            try (ShardedIds referenced = new ShardedIds(dir)) {
                metadata.forEachReferencedBlobId(referenced::add);
            }
            Set<String> tasks = metadata.taskBlobIds();
            List<StorageNode> readable = new ArrayList<>(nodes);
            long files = 0;
            for (int s = 0; s < ShardedIds.SHARDS; s++) {
                String shard = ShardedIds.name(s);
                Set<String> keep = ShardedIds.read(dir, shard);
                for (StorageNode node : List.copyOf(readable)) {
                    List<String> ids;
                    try {
                        ids = node.listBlobIds(shard);
                    } catch (IOException e) {
                        node.markFailed("unreadable: cannot list " + node.root() + ": " + e);
                        skipped.add(node.id() + ": " + node.reason());
                        readable.remove(node);
                        continue;
                    }
                    files += ids.size();
                    for (String blobId : ids) {
                        if (!keep.contains(blobId) && !tasks.contains(blobId)) {
                            orphan(node, blobId, filesNow, repair, findings);
                        }
                    }
                }
            }
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException("the consistency check's temporary files in " + dir + " failed", e);
        } finally {
            ShardedIds.delete(dir);
        }
    }

    /** Blob ids spread over one file per shard (the first two hex characters), written through small buffers. */
    private static final class ShardedIds implements AutoCloseable {
        static final int SHARDS = 256;
        private final Path dir;
        private final Writer[] writers = new Writer[SHARDS];

        ShardedIds(Path dir) {
            this.dir = dir;
        }

        static String name(int shard) {
            return String.format(Locale.ROOT, "%02x", shard);
        }

        void add(String blobId) {
            if (!BlobStore.isBlobId(blobId)) {
                return; // not a file name the nodes can hold
            }
            int shard = Integer.parseInt(blobId, 0, 2, 16);
            try {
                if (writers[shard] == null) {
                    writers[shard] = Files.newBufferedWriter(dir.resolve(name(shard)), StandardCharsets.US_ASCII);
                }
                writers[shard].write(blobId);
                writers[shard].write('\n');
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        static Set<String> read(Path dir, String shard) throws IOException {
            Path file = dir.resolve(shard);
            return Files.exists(file) ? new HashSet<>(Files.readAllLines(file, StandardCharsets.US_ASCII)) : Set.of();
        }

        @Override
        public void close() throws IOException {
            for (Writer w : writers) {
                if (w != null) {
                    w.close();
                }
            }
        }

        static void delete(Path dir) {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.deleteIfExists(f);
                }
                Files.deleteIfExists(dir);
            } catch (IOException e) {
                LOG.log(
                        System.Logger.Level.WARNING,
                        "could not delete the consistency check's temporary files in " + dir,
                        e);
            }
        }
    }

    /** Uploads initiated before {@code start - abandonedAfter}; with repair, aborts them (parts deleted by the queue). */
    private void abandonedUploads(Instant start, boolean repair, List<Finding> findings) {
        if (abandonedAfter.isZero() || abandonedAfter.isNegative()) {
            return;
        }
        Instant cutoff = start.minus(abandonedAfter);
        for (UploadRecord u : metadata.uploadsInitiatedBefore(cutoff, PAGE)) {
            String action = null;
            if (repair) {
                try {
                    objects.multipart().abort(u.bucket(), u.key(), u.uploadId());
                    action = "aborted";
                } catch (RuntimeException e) {
                    action = "failed: " + e.getMessage(); // e.g. completed or aborted meanwhile, or a full queue
                }
            }
            findings.add(new Finding(
                    Kind.ABANDONED_UPLOAD,
                    u.bucket(),
                    u.key(),
                    u.uploadId(),
                    null,
                    "multipart upload initiated " + u.initiated() + ", more than " + abandonedAfter.toMillis()
                            + " ms ago",
                    action));
        }
    }

    /** Checks one object's replicas; true when its damaged mark changed. */
    private boolean checkObject(
            ObjectRecord o,
            List<StorageNode> nodes,
            boolean allNodesUp,
            boolean repair,
            Set<String> damagedBefore,
            List<Finding> findings) {
        String md5 = ContentMd5.expected(metadata, o);
        List<Finding> bad = new ArrayList<>();
        List<String> states = new ArrayList<>();
        int intact = 0;
        for (StorageNode node : nodes) {
            ReplicaState state;
            try {
                state = blobs.replicas().state(node, o.blobId(), o.size(), md5);
            } catch (IOException e) {
                node.markFailed("unreadable: " + e);
                continue;
            }
            states.add(node.id() + " " + state.name().toLowerCase(Locale.ROOT).replace('_', ' '));
            switch (state) {
                case INTACT -> intact++;
                case MISSING -> bad.add(finding(Kind.MISSING_REPLICA, o, node, "no copy on " + node.id()));
                case WRONG_SIZE ->
                    bad.add(finding(
                            Kind.SIZE_MISMATCH,
                            o,
                            node,
                            "the copy on " + node.id() + " is not " + o.size() + " bytes"));
                case WRONG_CONTENT ->
                    bad.add(finding(
                            Kind.CHECKSUM_MISMATCH, o, node, "the copy on " + node.id() + " does not have MD5 " + md5));
            }
        }
        boolean unmarked = intact > 0 && damagedBefore.contains(o.blobId()) && metadata.unmarkDamaged(o.blobId());
        if (bad.isEmpty() && intact > 0) {
            return unmarked;
        }
        if (!stillCurrent(o)) {
            return unmarked; // overwritten or deleted while checked: its old blob is on its way out
        }
        if (intact == 0) {
            String detail = "no storage node that is up holds an intact copy (" + String.join(", ", states) + ")";
            String action = null;
            boolean changed = false;
            if (repair) {
                if (allNodesUp) {
                    changed = metadata.markDamaged(o.bucket(), o.key(), o.blobId(), detail, clock.instant());
                    action = changed || !stillCurrent(o) ? "marked damaged" : "already marked damaged";
                } else {
                    action = "failed: not marked damaged while a node is down (it may hold a copy)";
                }
            }
            findings.add(new Finding(Kind.NO_INTACT_REPLICA, o.bucket(), o.key(), o.blobId(), null, detail, action));
            return changed;
        }
        if (!repair) {
            findings.addAll(bad);
            return unmarked;
        }
        List<String> repaired;
        String failure = null;
        try {
            repaired = blobs.replicas().repair(o.blobId(), o.size(), md5);
        } catch (IOException e) {
            repaired = List.of();
            failure = "failed: " + e.getMessage();
        }
        if (!stillCurrent(o)) {
            deleteQuietly(o.blobId()); // overwritten meanwhile: the copies just made are orphans
        }
        for (Finding f : bad) {
            String action = repaired.contains(f.nodeId())
                    ? "copied from an intact replica"
                    : failure != null ? failure : "failed: not repaired";
            findings.add(new Finding(f.kind(), f.bucket(), f.key(), f.blobId(), f.nodeId(), f.detail(), action));
        }
        return unmarked;
    }

    private void orphan(StorageNode node, String blobId, Instant filesNow, boolean repair, List<Finding> findings) {
        Instant modified = blobs.replicas().modifiedAt(node, blobId);
        if (modified == null || modified.plus(orphanGrace).isAfter(filesNow)) {
            return; // gone meanwhile, or young: maybe a write between its rename and its metadata commit
        }
        String detail = "blob file on " + node.id() + " modified at " + modified + " that no object or task refers to";
        String action = null;
        if (repair) {
            try {
                action = blobs.replicas().deleteOn(node, blobId) ? "deleted" : "failed: already gone";
            } catch (IOException e) {
                action = "failed: " + e.getMessage();
            }
        }
        findings.add(new Finding(Kind.ORPHAN, null, null, blobId, node.id(), detail, action));
    }

    private boolean stillCurrent(ObjectRecord o) {
        Optional<ObjectRecord> now = metadata.object(o.bucket(), o.key());
        return now.isPresent() && now.get().blobId().equals(o.blobId());
    }

    private void deleteQuietly(String blobId) {
        try {
            blobs.delete(blobId);
        } catch (IOException | RuntimeException e) {
            // an orphan for the next check
        }
    }

    private static Finding finding(Kind kind, ObjectRecord o, StorageNode node, String detail) {
        return new Finding(kind, o.bucket(), o.key(), o.blobId(), node.id(), detail, null);
    }

    /** Stops the periodic check (a running one finishes). */
    @Override
    public synchronized void close() {
        if (periodic != null) {
            periodic.cancel(false);
            periodic = null;
        }
    }
}
