package dev.mockstorage.internal.service;

import dev.mockstorage.internal.clock.ServerClock;
import dev.mockstorage.internal.metadata.MetadataStore;
import dev.mockstorage.internal.queue.TaskQueue;
import dev.mockstorage.internal.storage.BlobStore;
import dev.mockstorage.internal.thirdparty.ReadThroughPolicy;
import dev.mockstorage.internal.thirdparty.ThirdPartySource;

/**
 * The flows of DESIGN.md for buckets and objects, one object per flow, built once over one metadata
 * store, blob store and task queue: {@link #buckets()}, {@link #settings()}, {@link #access()}, {@link #writes()},
 * {@link #reads()}, {@link #readThrough()}, {@link #listings()}, {@link #multipart()} and
 * {@link #maintenance()}. The transaction boundary lives in the flows.
 */
public final class ObjectService {
    private final Buckets buckets;
    private final BucketSettings settings;
    private final AccessControls access;
    private final ObjectReads reads;
    private final ObjectWrites writes;
    private final ReadThrough readThrough;
    private final Listings listings;
    private final MultipartService multipart;
    private final Maintenance maintenance;
    private final Lifecycle lifecycle;
    private final ObjectLocks objectLocks;

    public ObjectService(
            MetadataStore metadata, BlobStore blobs, TaskQueue queue, ServerClock clock, boolean autoCreateBuckets) {
        this(metadata, blobs, queue, clock, autoCreateBuckets, null);
    }

    /**
     * @param clock      the server's clock: every time the flows store or decide by
     * @param thirdParty where a GET/HEAD of a missing key reads through from, or null for none
     */
    public ObjectService(
            MetadataStore metadata,
            BlobStore blobs,
            TaskQueue queue,
            ServerClock clock,
            boolean autoCreateBuckets,
            ThirdPartySource thirdParty) {
        BlobWriter writer = new BlobWriter(blobs);
        this.buckets = new Buckets(metadata, queue, clock);
        this.settings = new BucketSettings(metadata, buckets);
        this.access = new AccessControls(metadata, buckets, settings);
        this.reads = new ObjectReads(metadata, blobs, queue, buckets);
        this.writes = new ObjectWrites(metadata, queue, clock, autoCreateBuckets, buckets, writer, reads, access);
        this.readThrough = new ReadThrough(metadata, reads, writes, new ReadThroughPolicy(thirdParty));
        this.listings = new Listings(metadata, buckets);
        this.multipart = new MultipartService(metadata, blobs, queue, clock, buckets, writer, reads, access);
        this.lifecycle = new Lifecycle(metadata, queue, clock, buckets);
        this.objectLocks = new ObjectLocks(metadata, clock, buckets);
        this.maintenance = new Maintenance(metadata, blobs, queue, buckets, clock, lifecycle);
        blobs.onNodeUp(node -> RepairBlob.releaseWaiting(metadata, queue, node.id()));
    }

    /** Listing, creating and deleting buckets; their versioning status. */
    public Buckets buckets() {
        return buckets;
    }

    /** Buckets' tag sets and CORS configurations. */
    public BucketSettings settings() {
        return settings;
    }

    /** ACLs of buckets and objects, bucket policies, public access blocks and ownership controls. */
    public AccessControls access() {
        return access;
    }

    /** Storing, copying and deleting objects; object tags. */
    public ObjectWrites writes() {
        return writes;
    }

    /** Objects and versions by key, and their bytes from an intact copy (repairing the others). */
    public ObjectReads reads() {
        return reads;
    }

    /** Lookups that fetch a missing key from the third party, and the fetches' figures. */
    public ReadThrough readThrough() {
        return readThrough;
    }

    /** ListObjects and ListObjectVersions. */
    public Listings listings() {
        return listings;
    }

    /** Multipart uploads of this service's buckets. */
    public MultipartService multipart() {
        return multipart;
    }

    /** Buckets' lifecycle configurations and their application on the server's clock. */
    public Lifecycle lifecycle() {
        return lifecycle;
    }

    /** Object lock: buckets' configurations, versions' retention and legal holds. */
    public ObjectLocks objectLocks() {
        return objectLocks;
    }

    /** Reset, health, waiting for the queue, and the server's clock. */
    public Maintenance maintenance() {
        return maintenance;
    }
}
