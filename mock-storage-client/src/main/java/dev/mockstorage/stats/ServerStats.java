package dev.mockstorage.stats;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A server's figures at one moment ({@code MockStorageServer.stats()}, {@code GET /api/v1/stats}).
 *
 * @param time         when the snapshot was taken
 * @param uptimeMillis milliseconds since the server started
 * @param objects      objects and bytes in all buckets (current versions, from the metadata)
 * @param buckets      per bucket, by name
 * @param nodes        per storage node, in configuration order
 * @param queue        the background task queue
 * @param thirdParty   the third-party read-through (all zero when it is not configured)
 * @param requests     requests answered since start, by operation and status (empty when
 *                     {@code metrics.enabled} is false)
 * @param consistency  consistency checks since start and damaged objects now
 */
public record ServerStats(
        Instant time,
        long uptimeMillis,
        Totals objects,
        List<Bucket> buckets,
        List<Node> nodes,
        Queue queue,
        ThirdParty thirdParty,
        List<Requests> requests,
        Consistency consistency) {

    /** Without consistency figures ({@link Consistency#NONE}). */
    public ServerStats(
            Instant time,
            long uptimeMillis,
            Totals objects,
            List<Bucket> buckets,
            List<Node> nodes,
            Queue queue,
            ThirdParty thirdParty,
            List<Requests> requests) {
        this(time, uptimeMillis, objects, buckets, nodes, queue, thirdParty, requests, Consistency.NONE);
    }

    /**
     * Consistency checks since start.
     *
     * @param checks         checks run
     * @param lastCheckAt    when the last one started, or null when none ran
     * @param lastFindings   findings of the last check
     * @param findingsByKind findings of all checks, by {@link ConsistencyReport.Kind} name (every kind listed)
     * @param repairs        findings repaired by all checks
     * @param damagedObjects objects marked damaged now (no intact replica found; GET/HEAD answer 500)
     * @param waitingRepairs repairs waiting for a storage node to return
     */
    public record Consistency(
            long checks,
            Instant lastCheckAt,
            long lastFindings,
            Map<String, Long> findingsByKind,
            long repairs,
            long damagedObjects,
            long waitingRepairs) {
        /** No check ran, nothing damaged. */
        public static final Consistency NONE = new Consistency(0, null, 0, Map.of(), 0, 0, 0);
    }

    /** Object count and their bytes. */
    public record Totals(long count, long bytes) {}

    /**
     * One bucket.
     *
     * @param name          the bucket's name
     * @param objects       objects in it now (always exact); with versioning, current versions only (what
     *                      ListObjects lists): noncurrent versions and delete markers are not counted
     * @param bytes         their total size now (always exact), current versions only
     * @param uploads       uploads stored (PUT and copy, overwrites included) since the bucket was
     *                      created; counted by a background task, so exact after {@code awaitIdle}
     * @param uploadedBytes bytes of those uploads
     * @param lastUploadAt  when the last counted upload was stored, or null before the first
     */
    public record Bucket(
            String name, long objects, long bytes, long uploads, long uploadedBytes, Instant lastUploadAt) {}

    /**
     * One storage node.
     *
     * @param id             node id, e.g. {@code stg1}
     * @param path           its directory
     * @param state          {@code UP} or {@code DOWN}
     * @param reason         why it is down, or null
     * @param blobs          blob files on the node (every object version it holds a replica of)
     * @param bytes          bytes of those files
     * @param diskTotalBytes size of the file system holding the node (-1 when unknown)
     * @param diskUsableBytes free bytes there usable by this process (-1 when unknown)
     */
    public record Node(
            String id,
            String path,
            String state,
            String reason,
            long blobs,
            long bytes,
            long diskTotalBytes,
            long diskUsableBytes) {}

    /**
     * The task queue.
     *
     * @param depth    open (pending or running) tasks: what {@code awaitIdle} waits for
     * @param capacity the most open tasks before uploads and deletes are held back ({@code queue.size})
     * @param done     tasks finished since start
     * @param failed   tasks parked as failed since start
     * @param retried  failed attempts scheduled again since start
     * @param parked   tasks parked as failed now, in the database (so including those of earlier runs on
     *                 the same data); {@code MockStorageServer.failedTasks()} lists them
     * @param workers  worker threads ({@code queue.workers}; 0: tasks only wait)
     */
    public record Queue(long depth, long capacity, long done, long failed, long retried, long parked, int workers) {}

    /** Third-party read-through outcomes since start. */
    public record ThirdParty(long hits, long misses, long errors) {
        /** All zero: read-through not configured or not used. */
        public static final ThirdParty NONE = new ThirdParty(0, 0, 0);
    }

    /** Requests of one operation answered with one status. */
    public record Requests(String operation, int status, long count) {}
}
