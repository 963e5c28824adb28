package dev.mockstorage.internal.service;

import dev.mockstorage.internal.clock.ServerClock;
import dev.mockstorage.internal.error.ErrorCode;
import dev.mockstorage.internal.error.StorageException;
import dev.mockstorage.internal.metadata.BucketRecord;
import dev.mockstorage.internal.metadata.MetadataStore;
import dev.mockstorage.internal.metadata.ObjectRecord;
import dev.mockstorage.internal.queue.TaskQueue;
import dev.mockstorage.internal.storage.BlobStore;
import dev.mockstorage.internal.storage.NodeState;
import dev.mockstorage.internal.storage.StorageNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a test fixture asks of the store as a whole: empty it (a reset), report its health, wait
 * until the follow-up work of what it did has run, and move the server's clock.
 */
public final class Maintenance {
    private static final int RESET_BATCH = 1000;

    private final MetadataStore metadata;
    private final BlobStore blobs;
    private final TaskQueue queue;
    private final Buckets buckets;
    private final ServerClock clock;
    private final Lifecycle lifecycle;

    Maintenance(
            MetadataStore metadata,
            BlobStore blobs,
            TaskQueue queue,
            Buckets buckets,
            ServerClock clock,
            Lifecycle lifecycle) {
        this.metadata = metadata;
        this.blobs = blobs;
        this.queue = queue;
        this.buckets = buckets;
        this.clock = clock;
        this.lifecycle = lifecycle;
    }

    /**
     * Deletes every object and every bucket (a reset). Objects go in transactions of up to
     * {@value #RESET_BATCH} rows, each queueing one {@link DeleteBlobs} task for their files, so a
     * reset costs a few statements per object and files are removed by the queue afterwards. Does
     * not wait for room in the queue. Writes racing with it may leave objects behind; it retries a
     * bucket that became non-empty meanwhile.
     *
     * @return the number of objects deleted
     */
    public long deleteEverything() {
        long deleted = 0;
        for (BucketRecord bucket : metadata.buckets()) {
            String name = bucket.name();
            while (true) {
                List<ObjectRecord> batch = metadata.listObjects(name, "", null, RESET_BATCH);
                if (batch.isEmpty()) {
                    boolean gone = metadata.write(tx -> {
                        DeleteBlobs.enqueue(tx, tx.deleteAllNoncurrentVersions(name));
                        if (!tx.bucketIsEmpty(name)) {
                            return false;
                        }
                        DeleteBlobs.enqueue(tx, tx.deleteUploads(name));
                        tx.deleteBucket(name);
                        return true;
                    });
                    if (gone) {
                        break;
                    }
                    continue;
                }
                deleted += metadata.write(tx -> {
                    List<String> blobIds = new ArrayList<>(batch.size());
                    long bytes = 0;
                    for (ObjectRecord o : batch) {
                        Optional<ObjectRecord> removed = tx.deleteObject(o.bucket(), o.key());
                        if (removed.isPresent()) {
                            blobIds.add(removed.get().blobId());
                            bytes += removed.get().size();
                        }
                    }
                    if (!blobIds.isEmpty()) {
                        DeleteBlobs.enqueue(tx, blobIds);
                        tx.adjustBucketStats(name, -blobIds.size(), -bytes);
                    }
                    return (long) blobIds.size();
                });
            }
        }
        buckets.refreshVersioned();
        queue.wakeUp();
        return deleted;
    }

    /** Checks every node's directory and the database; cheap enough for every /health call. */
    public Health health() {
        List<Health.Node> nodes = new ArrayList<>();
        for (StorageNode n : blobs.nodes()) {
            n.check();
            nodes.add(new Health.Node(n.id(), n.root().toString(), n.state() == NodeState.UP, n.reason()));
        }
        boolean db;
        try {
            db = metadata.isHealthy();
        } catch (RuntimeException e) {
            db = false;
        }
        return new Health(nodes, db, blobs.writeQuorum());
    }

    /** Waits for every queued task to finish. */
    public void awaitIdle(Duration timeout) {
        queue.awaitIdle(timeout);
    }

    /** The server's clock (read it here; move it with {@link #advanceClock}). */
    public ServerClock clock() {
        return clock;
    }

    /**
     * Moves the server's clock forward by {@code amount} and queues the application of every bucket's lifecycle
     * rules as of the new time ({@link #awaitIdle} waits for it); returns the new time.
     *
     * @throws StorageException InvalidArgument when {@code amount} is negative or too far
     */
    public Instant advanceClock(Duration amount) {
        Instant now;
        try {
            now = clock.advance(amount);
        } catch (IllegalArgumentException e) {
            throw new StorageException(ErrorCode.InvalidArgument, e.getMessage());
        }
        lifecycle.applyDueRules();
        return now;
    }

    /** Sets the server's clock back to the real time (a reset, once nothing written on the moved clock is left). */
    public void rewindClock() {
        clock.rewind();
    }
}
