package dev.mockstorage.internal.service;

import dev.mockstorage.internal.metadata.BucketStatsRecord;
import dev.mockstorage.internal.metadata.BucketTotals;
import dev.mockstorage.internal.metadata.FoundObjects;
import dev.mockstorage.internal.metadata.MetadataStore;
import dev.mockstorage.internal.metadata.ObjectQuery;
import dev.mockstorage.internal.metadata.ObjectRecord;
import dev.mockstorage.internal.metadata.TaskRecord;
import dev.mockstorage.internal.queue.TaskQueue;
import dev.mockstorage.internal.storage.BlobStore;
import dev.mockstorage.internal.storage.NodeState;
import dev.mockstorage.internal.storage.ReplicaState;
import dev.mockstorage.internal.storage.StorageNode;
import dev.mockstorage.stats.ServerStats;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Read-only views for the admin API and the metrics: objects across buckets, which nodes hold an
 * object's replicas, and the server's figures ({@link ServerStats}). Nothing here is on the S3
 * request path.
 */
public final class Inspection {
    private final MetadataStore metadata;
    private final BlobStore blobs;
    private final TaskQueue queue;
    private final Clock clock;
    private final long startedNanos = System.nanoTime();
    private volatile Supplier<ServerStats.ThirdParty> thirdParty = () -> ServerStats.ThirdParty.NONE;
    private volatile Supplier<List<ServerStats.Requests>> requests = List::of;
    private volatile Supplier<ServerStats.Consistency> consistency = () -> ServerStats.Consistency.NONE;

    public Inspection(MetadataStore metadata, BlobStore blobs, TaskQueue queue, Clock clock) {
        this.metadata = metadata;
        this.blobs = blobs;
        this.queue = queue;
        this.clock = clock;
    }

    /**
     * THIRD-PARTY READ-THROUGH: where its hit/miss/error counts come from (zeros until set).
     * The third-party module sets this when it is configured.
     */
    public void thirdPartySource(Supplier<ServerStats.ThirdParty> source) {
        this.thirdParty = source;
    }

    /** Where the requests-by-operation-and-status figures come from (the metrics; empty until set). */
    public void requestSource(Supplier<List<ServerStats.Requests>> source) {
        this.requests = source;
    }

    /** Where the consistency-check figures come from (the checker; none until set). */
    public void consistencySource(Supplier<ServerStats.Consistency> source) {
        this.consistency = source;
    }

    /**
     * Objects matching {@code query} in (bucket, key) order after the given position; a search that filters
     * row by row may stop early (see {@link FoundObjects}).
     */
    public FoundObjects find(ObjectQuery query, String afterBucket, String afterKey, int limit) {
        return metadata.findObjects(query, afterBucket, afterKey, limit);
    }

    /** Ids of the nodes holding an intact (right-sized) replica of the object, in node order. */
    public List<String> replicaNodes(ObjectRecord object) {
        return blobs.replicas().nodesHolding(object.blobId(), object.size());
    }

    /** Every bucket's current objects and their bytes, empty buckets included, by name. */
    public List<BucketTotals> bucketTotals() {
        return metadata.bucketTotals();
    }

    /**
     * One node's copy of an object: {@code state} is {@code INTACT}, {@code MISSING}, {@code WRONG_SIZE} or
     * {@code WRONG_CONTENT} ({@link ReplicaState}), {@code UNREADABLE} (with the error in
     * {@code detail}), or null when the node is down and was not looked at.
     */
    public record Replica(String node, boolean nodeUp, String state, String detail) {}

    /**
     * The state of every node's copy of the object, in node order, reading each copy on a node that is up
     * whole against the object's content MD5 (as the consistency check does, without repairing anything).
     */
    public List<Replica> replicas(ObjectRecord object) {
        String md5 = ContentMd5.expected(metadata, object);
        List<Replica> out = new ArrayList<>();
        for (StorageNode n : blobs.nodes()) {
            if (n.state() != NodeState.UP) {
                out.add(new Replica(n.id(), false, null, n.reason()));
                continue;
            }
            try {
                out.add(new Replica(
                        n.id(),
                        true,
                        blobs.replicas()
                                .state(n, object.blobId(), object.size(), md5)
                                .name(),
                        null));
            } catch (IOException e) {
                out.add(new Replica(n.id(), true, "UNREADABLE", e.toString()));
            }
        }
        return out;
    }

    /** Open (pending or running) tasks, oldest first, at most {@code limit}. */
    public List<TaskRecord> openTasks(int limit) {
        return metadata.openTasks(limit);
    }

    /** Tasks parked as failed after their last attempt, oldest first, at most {@code limit}. */
    public List<TaskRecord> failedTasks(int limit) {
        return metadata.failedTasks(limit);
    }

    /** How many tasks are open now and how many are parked as failed: {@code [open, failed]}. */
    public long[] taskCounts() {
        return new long[] {queue.openCount(), queue.parkedCount()};
    }

    /** Milliseconds since this server started (real time: moving the server's clock does not change it). */
    public long uptimeMillis() {
        return Duration.ofNanos(System.nanoTime() - startedNanos).toMillis();
    }

    /** The server's figures now. Walks every node's blob directory (one stat per blob). */
    public ServerStats stats() {
        List<ServerStats.Bucket> buckets = new ArrayList<>();
        long count = 0;
        long bytes = 0;
        Map<String, BucketStatsRecord> uploads = new HashMap<>();
        metadata.bucketStats().forEach(b -> uploads.put(b.bucket(), b));
        for (BucketTotals t : metadata.bucketTotals()) {
            BucketStatsRecord u = uploads.get(t.bucket());
            buckets.add(new ServerStats.Bucket(
                    t.bucket(),
                    t.objects(),
                    t.bytes(),
                    u == null ? 0 : u.uploads(),
                    u == null ? 0 : u.uploadedBytes(),
                    u == null ? null : u.lastUploadAt()));
            count += t.objects();
            bytes += t.bytes();
        }
        List<ServerStats.Node> nodes = new ArrayList<>();
        for (StorageNode n : blobs.nodes()) {
            long[] usage = n.usage();
            long total = -1;
            long usable = -1;
            try {
                FileStore store = Files.getFileStore(n.root());
                total = store.getTotalSpace();
                usable = store.getUsableSpace();
            } catch (IOException | RuntimeException e) {
                // unknown: -1
            }
            nodes.add(new ServerStats.Node(
                    n.id(), n.root().toString(), n.state().name(), n.reason(), usage[0], usage[1], total, usable));
        }
        ServerStats.Queue q = new ServerStats.Queue(
                queue.openCount(),
                queue.capacity(),
                queue.doneCount(),
                queue.failedCount(),
                queue.retriedCount(),
                queue.parkedCount(),
                queue.workerCount());
        return new ServerStats(
                clock.instant(),
                uptimeMillis(),
                new ServerStats.Totals(count, bytes),
                List.copyOf(buckets),
                List.copyOf(nodes),
                q,
                thirdParty.get(),
                List.copyOf(requests.get()),
                consistency.get());
    }
}
