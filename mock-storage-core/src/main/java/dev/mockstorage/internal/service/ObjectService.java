package dev.mockstorage.internal.service;

import dev.mockstorage.internal.checksum.ChecksumAlgorithm;
import dev.mockstorage.internal.checksum.Hasher;
import dev.mockstorage.internal.error.ErrorCode;
import dev.mockstorage.internal.error.StorageException;
import dev.mockstorage.internal.metadata.BucketRecord;
import dev.mockstorage.internal.metadata.CorsRule;
import dev.mockstorage.internal.metadata.KeyRange;
import dev.mockstorage.internal.metadata.MetadataStore;
import dev.mockstorage.internal.metadata.ObjectRecord;
import dev.mockstorage.internal.metadata.ObjectVersion;
import dev.mockstorage.internal.queue.TaskHandlers;
import dev.mockstorage.internal.queue.TaskQueue;
import dev.mockstorage.internal.storage.BlobReader;
import dev.mockstorage.internal.storage.BlobStore;
import dev.mockstorage.internal.storage.DamagedBlobException;
import dev.mockstorage.internal.storage.PendingBlob;
import dev.mockstorage.internal.storage.StorageNode;
import dev.mockstorage.internal.thirdparty.ThirdPartySource;
import dev.mockstorage.internal.thirdparty.UpstreamResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The flows of DESIGN.md for buckets and objects. The transaction boundary lives here: a write
 * streams the body once into a pending blob on every node while hashing it, commits the blob files,
 * then in ONE metadata transaction points the key at the new blob and queues the deletion of the
 * previous one. A failure before that transaction removes the new files and leaves the old object.
 */
public final class ObjectService {
    /** Task kind: delete a blob from every node; payload is the blob id. */
    public static final String DELETE_BLOB = "delete-blob";
    /** Task kind: delete several blobs from every node (a reset); payload is the blob ids, space-separated. */
    public static final String DELETE_BLOBS = "delete-blobs";
    /**
     * Task kind: bookkeeping after a stored upload (PUT or copy): counts it in the bucket's statistics.
     * Payload {@code <bucket> <bucket created, epoch ms> <size> <stored at, epoch ms>}.
     */
    public static final String UPLOAD_COMPLETED = "upload-completed";
    /**
     * Task kind: copy an intact replica of a blob to the nodes that lack one, queued by a read that
     * found a copy missing or damaged, at most once per blob while one is in the table.
     * Payload {@code <blob id> <size> <etag> <bucket> <key>} (the key last: it may hold spaces).
     */
    public static final String REPAIR_BLOB = "repair-blob";
    /** Most bytes of a key, as on S3. */
    public static final int MAX_KEY_BYTES = 1024;
    /** Most bytes of one object stored by a single PUT or copy, as on S3 (5 GiB). */
    public static final long MAX_OBJECT_BYTES = 5L << 30;
    /** Most bytes of user metadata (names + values), as on S3. */
    public static final int MAX_USER_METADATA_BYTES = 2048;

    private static final int COPY_BUFFER = 32 * 1024;
    private static final System.Logger LOG = System.getLogger(ObjectService.class.getName());

    private final MetadataStore metadata;
    private final BlobStore blobs;
    private final TaskQueue queue;
    private final Clock clock;
    private final boolean autoCreateBuckets;
    /** Where misses read through from, or null. */
    private final ThirdPartySource thirdParty;
    /**
     * Blob ids of object versions the consistency check marked damaged (no intact replica): a copy of
     * the metadata's marks, so GET and HEAD refuse them without a query. Replaced, never changed.
     */
    private volatile Set<String> damaged = Set.of();
    /**
     * Buckets with versioning configured (Enabled or Suspended): GET/HEAD of their null versions answer
     * {@code x-amz-version-id: null} without a bucket query. Replaced, never changed.
     */
    private volatile Set<String> versionedBuckets = Set.of();
    private final MultipartService multipart;
    /** Read-throughs in progress by bucket + "/" + key: concurrent misses of one key wait for one fetch. */
    private final ConcurrentHashMap<String, CompletableFuture<ObjectRecord>> readThroughs = new ConcurrentHashMap<>();

    public ObjectService(MetadataStore metadata, BlobStore blobs, TaskQueue queue, Clock clock, boolean autoCreateBuckets) {
        this(metadata, blobs, queue, clock, autoCreateBuckets, null);
    }

    /** @param thirdParty where a GET/HEAD of a missing key reads through from, or null for none */
    public ObjectService(MetadataStore metadata, BlobStore blobs, TaskQueue queue, Clock clock, boolean autoCreateBuckets,
                         ThirdPartySource thirdParty) {
        this.metadata = metadata;
        this.blobs = blobs;
        this.queue = queue;
        this.clock = clock;
        this.autoCreateBuckets = autoCreateBuckets;
        this.thirdParty = thirdParty;
        this.multipart = new MultipartService(this, metadata, blobs, queue);
        refreshDamaged();
        refreshVersionedBuckets();
        blobs.onNodeUp(node -> releaseWaitingRepairs(node.id()));
    }

    /** Reloads the damaged marks from the metadata (after a consistency check changed them). */
    public void refreshDamaged() {
        damaged = Set.copyOf(metadata.damagedBlobIds());
    }

    /**
     * A node returned: the repairs of blobs written while it (or another node) was down become due.
     * Never throws: a failure leaves them waiting for the next return or consistency check.
     */
    private void releaseWaitingRepairs(String nodeId) {
        try {
            int released = metadata.releaseWaitingTasks(clock.instant());
            if (released > 0) {
                LOG.log(System.Logger.Level.INFO, "node {0} is up again: {1} repair(s) queued", nodeId, released);
                queue.wakeUp();
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "could not queue the repairs waiting for node " + nodeId, e);
        }
    }

    /** Multipart uploads of this service's buckets. */
    public MultipartService multipart() {
        return multipart;
    }

    /** The task handlers this service's tasks need, for the queue's construction. */
    public static TaskHandlers taskHandlers(MetadataStore metadata, BlobStore blobs) {
        return TaskHandlers.create()
                .run(DELETE_BLOB, blobs::delete)
                .run(DELETE_BLOBS, payload -> {
                    for (String blobId : payload.split(" ")) {
                        blobs.delete(blobId);
                    }
                })
                .inTransaction(UPLOAD_COMPLETED, BackgroundTasks::recordUpload)
                .run(REPAIR_BLOB, payload -> BackgroundTasks.repair(metadata, blobs, payload));
    }

    // ---------------------------------------------------------------- buckets

    public List<BucketRecord> listBuckets() {
        return metadata.buckets();
    }

    /** Creates a bucket; {@code BucketAlreadyOwnedByYou} when it exists. */
    public BucketRecord createBucket(String name) {
        BucketNames.validate(name);
        Instant now = now();
        boolean created = metadata.write(tx -> tx.createBucket(name, now));
        if (!created) {
            throw new StorageException(ErrorCode.BucketAlreadyOwnedByYou,
                    "Your previous request to create the named bucket succeeded and you already own it: " + name, name)
                    .with("BucketName", name);
        }
        return new BucketRecord(name, now);
    }

    public BucketRecord requireBucket(String name) {
        return metadata.bucket(name).orElseThrow(() -> noSuchBucket(name));
    }

    /** Deletes an empty bucket. */
    public void deleteBucket(String name) {
        metadata.write(tx -> {
            if (tx.bucket(name).isEmpty()) {
                throw noSuchBucket(name);
            }
            if (!tx.bucketIsEmpty(name)) {
                throw new StorageException(ErrorCode.BucketNotEmpty,
                        "The bucket you tried to delete is not empty: " + name, name).with("BucketName", name);
            }
            List<String> parts = tx.deleteUploads(name); // S3 drops the bucket's unfinished uploads with it
            if (!parts.isEmpty()) {
                tx.enqueueTask(DELETE_BLOBS, String.join(" ", parts));
            }
            return tx.deleteBucket(name);
        });
        if (versionedBuckets.contains(name)) {
            refreshVersionedBuckets();
        }
        queue.wakeUp();
    }

    // ---------------------------------------------------------------- objects

    /**
     * The current version of an object; {@code NoSuchKey} or {@code NoSuchBucket} when absent. A key that
     * is absent in a bucket with a third-party source is first read through (see {@link #readThrough}).
     */
    public ObjectRecord head(String bucket, String key) {
        Optional<ObjectRecord> found = metadata.object(bucket, key);
        if (found.isPresent()) {
            Set<String> marked = damaged;
            if (!marked.isEmpty() && marked.contains(found.get().blobId())) {
                throw new StorageException(ErrorCode.InternalError, "the object " + bucket + "/" + key + " is damaged: the"
                        + " consistency check found no intact copy on any storage node (blob " + found.get().blobId()
                        + "); PUT it again", bucket + "/" + key);
            }
            return found.get();
        }
        BucketRecord b = requireBucket(bucket);
        if (b.versioning() != null) {
            Optional<ObjectVersion> latest = metadata.latestVersion(bucket, key);
            if (latest.isPresent() && latest.get().deleteMarker()) {
                throw noSuchKey(bucket, key).withHeader("x-amz-delete-marker", "true")
                        .withHeader("x-amz-version-id", latest.get().versionId());
            }
        }
        if (thirdParty != null && thirdParty.covers(bucket)) {
            return readThrough(bucket, key);
        }
        throw noSuchKey(bucket, key);
    }

    // ---------------------------------------------------------------- third-party read-through

    /**
     * DESIGN.md's download miss: fetch {@code bucket/key} from the third party and store it through the
     * upload flow ({@link #put}: every node, metadata, tasks), then return the stored record. Concurrent
     * misses of one key share one fetch. Upstream 404/410 is {@code NoSuchKey}; any other failure is
     * {@code ServiceUnavailable} naming the upstream, with nothing stored.
     */
    private ObjectRecord readThrough(String bucket, String key) {
        String id = bucket + "/" + key;
        CompletableFuture<ObjectRecord> mine = new CompletableFuture<>();
        CompletableFuture<ObjectRecord> running = readThroughs.putIfAbsent(id, mine);
        if (running != null) {
            try {
                return running.join();
            } catch (CompletionException e) {
                if (e.getCause() instanceof RuntimeException r) {
                    throw r;
                }
                throw e;
            }
        }
        try {
            ObjectRecord record = metadata.object(bucket, key).orElseGet(() -> fetchAndStore(bucket, key));
            mine.complete(record);
            return record;
        } catch (RuntimeException | Error e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            readThroughs.remove(id, mine);
        }
    }

    /** Third-party fetches by outcome ({@code hit}: fetched and stored, {@code miss}: 404/410, {@code error}). */
    private final java.util.concurrent.atomic.AtomicLong[] fetchOutcomes = {
            new java.util.concurrent.atomic.AtomicLong(), new java.util.concurrent.atomic.AtomicLong(),
            new java.util.concurrent.atomic.AtomicLong()};
    private volatile java.util.function.ObjLongConsumer<String> fetchListener = (outcome, nanos) -> { };

    /** Third-party fetches so far: {@code [hits, misses, errors]}. */
    public long[] thirdPartyOutcomes() {
        return new long[] {fetchOutcomes[0].get(), fetchOutcomes[1].get(), fetchOutcomes[2].get()};
    }

    /** Told of every third-party fetch: its outcome ({@code hit}, {@code miss}, {@code error}) and duration in ns. */
    public void onThirdPartyFetch(java.util.function.ObjLongConsumer<String> listener) {
        this.fetchListener = listener;
    }

    private ObjectRecord fetchAndStore(String bucket, String key) {
        validateKey(key);
        long start = System.nanoTime();
        int outcome = 2;
        try {
            ObjectRecord stored = fetchAndStoreOnce(bucket, key);
            outcome = 0;
            return stored;
        } catch (StorageException e) {
            if (e.code() == ErrorCode.NoSuchKey) {
                outcome = 1;
            }
            throw e;
        } finally {
            fetchOutcomes[outcome].incrementAndGet();
            fetchListener.accept(outcome == 0 ? "hit" : outcome == 1 ? "miss" : "error", System.nanoTime() - start);
        }
    }

    private ObjectRecord fetchAndStoreOnce(String bucket, String key) {
        try (UpstreamResponse response = thirdParty.fetch(bucket, key)) {
            int status = response.status();
            if (status == 404 || status == 410) {
                throw new StorageException(ErrorCode.NoSuchKey, "The specified key does not exist (the third-party source "
                        + response.url() + " answered " + status + ").", bucket + "/" + key).with("Key", key);
            }
            if (status < 200 || status > 299) {
                throw new StorageException(ErrorCode.ServiceUnavailable, "third-party source " + response.url() + " answered "
                        + status + " for " + bucket + "/" + key + "; nothing was stored", bucket + "/" + key);
            }
            try {
                return put(upstreamWrite(bucket, key, response), response.body());
            } catch (StorageException e) {
                if (e.code() == ErrorCode.IncompleteBody || e.code() == ErrorCode.BadDigest || e.code() == ErrorCode.InvalidDigest) {
                    throw new StorageException(ErrorCode.ServiceUnavailable, "third-party source " + response.url()
                            + " sent a broken body for " + bucket + "/" + key + ": " + e.getMessage() + "; nothing was stored",
                            bucket + "/" + key, e);
                }
                throw e;
            }
        }
    }

    /** What the upstream's headers say to store; its Content-Length is the declared length, so a short body stores nothing. */
    private static ObjectWrite upstreamWrite(String bucket, String key, UpstreamResponse response) {
        Map<String, String> userMetadata = new TreeMap<>();
        response.headers().forEach((name, values) -> {
            if (name.startsWith("x-amz-meta-") && name.length() > "x-amz-meta-".length() && !values.isEmpty()) {
                userMetadata.put(name.substring("x-amz-meta-".length()), values.get(0));
            }
        });
        Map<String, String> headers = new LinkedHashMap<>();
        for (String h : List.of("Content-Disposition", "Content-Encoding", "Cache-Control", "Expires", "Content-Language")) {
            String v = response.header(h);
            if (v != null) {
                headers.put(h, v);
            }
        }
        return new ObjectWrite(bucket, key, response.header("content-type"), userMetadata, headers,
                response.header("content-md5"), null, Map.of(), Set.of(), Map::of, response.length());
    }

    /**
     * Opens {@code length} bytes of the object's content from {@code offset}, from the first node
     * that holds an intact copy: right size and, checked against the stored MD5, right content
     * (see {@link BlobStore#find(String, long, String)} for what is checked when). Nodes found
     * lacking an intact copy get a repair queued. A large copy found damaged only while it streams
     * fails the stream (the client sees an aborted response, never wrong bytes) and queues a repair.
     */
    public InputStream read(ObjectRecord object, long offset, long length) {
        String md5 = expectedContentMd5(object);
        Optional<BlobReader> reader = blobs.find(object.blobId(), object.size(), md5);
        if (reader.isEmpty()) {
            throw new BlobGoneException("no storage node holds an intact copy of "
                    + object.bucket() + "/" + object.key() + " (blob " + object.blobId() + ")",
                    object.bucket() + "/" + object.key(), object.blobId(), null);
        }
        if (!reader.get().missingOn().isEmpty()) {
            requestRepair(object, reader.get().missingOn());
        }
        InputStream in;
        try {
            in = reader.get().open(offset, length);
        } catch (NoSuchFileException e) {
            // overwritten and cleaned up between lookup and open: never wrong bytes; the caller looks again
            throw new BlobGoneException("the object " + object.bucket() + "/" + object.key()
                    + " changed while it was being read; try again", object.bucket() + "/" + object.key(), object.blobId(), e);
        } catch (IOException e) {
            throw new StorageException(ErrorCode.InternalError, "could not read blob " + object.blobId()
                    + " from node " + reader.get().nodeId() + ": " + e.getMessage(), object.bucket() + "/" + object.key(), e);
        }
        return new java.io.FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                try {
                    return super.read(b, off, len);
                } catch (DamagedBlobException e) {
                    requestRepair(object, List.of(e.nodeId()));
                    throw e;
                }
            }
        };
    }

    /**
     * The MD5 (hex) a replica of the object must have: its ETag, or for a multipart object (whose ETag
     * is the MD5 of its parts' MD5s) the whole-content MD5 kept with its layout; null when unknown.
     */
    String expectedContentMd5(ObjectRecord object) {
        String md5 = contentMd5(object);
        if (md5 == null && object.etag().indexOf('-') > 0) {
            md5 = metadata.multipartLayout(object.bucket(), object.key(), object.blobId())
                    .map(dev.mockstorage.internal.metadata.MultipartLayout::contentMd5).orElse(null);
        }
        return md5;
    }

    /** The object's content MD5 in hex (its ETag), or null when the ETag is not one (e.g. multipart). */
    static String contentMd5(ObjectRecord object) {
        String etag = object.etag();
        if (etag == null || etag.length() != 32) {
            return null;
        }
        for (int i = 0; i < 32; i++) {
            char c = etag.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return null;
            }
        }
        return etag;
    }

    /**
     * Stores an object (DESIGN.md's upload flow). The body is read once, to its end.
     *
     * @return the stored record
     */
    public ObjectRecord put(ObjectWrite write, InputStream body) {
        validateKey(write.key());
        validateUserMetadata(write.userMetadata());
        if (write.declaredLength() > MAX_OBJECT_BYTES) {
            // answered before a byte is read: a client announcing 999 TB gets its error, not a 120 s wait
            throw new StorageException(ErrorCode.EntityTooLarge, "Your proposed upload of " + write.declaredLength()
                    + " bytes exceeds the maximum allowed object size of " + MAX_OBJECT_BYTES + " bytes.")
                    .with("ProposedSize", Long.toString(write.declaredLength()))
                    .with("MaxSizeAllowed", Long.toString(MAX_OBJECT_BYTES));
        }
        byte[] expectedMd5 = decodeContentMd5(write.contentMd5());
        validateChecksumValues(write.checksums());
        if (!autoCreateBuckets) {
            requireBucket(write.bucket());
        } else if (metadata.bucket(write.bucket()).isEmpty()) {
            BucketNames.validate(write.bucket());
        }
        queue.awaitRoom();

        StoredBlob stored = storeBlob(write, body, expectedMd5);
        String blobId = stored.blobId();
        boolean underReplicated = stored.underReplicated();
        ObjectRecord record = new ObjectRecord(write.bucket(), write.key(), blobId, stored.size(), stored.md5Hex(),
                write.contentType(), now(), new LinkedHashMap<>(write.userMetadata()),
                new LinkedHashMap<>(write.headers()), stored.checksums(), write.tags());
        ObjectRecord committed;
        try {
            committed = metadata.write(tx -> {
                Optional<BucketRecord> bucket = tx.bucket(write.bucket());
                Instant bucketCreated;
                String versioning = null;
                if (bucket.isPresent()) {
                    bucketCreated = bucket.get().createdAt();
                    versioning = bucket.get().versioning();
                } else {
                    if (!autoCreateBuckets) {
                        throw noSuchBucket(write.bucket());
                    }
                    tx.createBucket(write.bucket(), record.lastModified());
                    bucketCreated = record.lastModified();
                }
                ObjectRecord version = versioning == null ? record : record.withVersionId(VersionedWrites.versionIdFor(versioning));
                Optional<ObjectRecord> previous = VersionedWrites.putCurrent(tx, version, versioning);
                tx.adjustBucketStats(record.bucket(), previous.isPresent() ? 0 : 1,
                        record.size() - previous.map(ObjectRecord::size).orElse(0L));
                tx.enqueueTask(UPLOAD_COMPLETED, BackgroundTasks.uploadCompleted(record, bucketCreated));
                if (underReplicated) {
                    // storage.write_quorum below the node count: the nodes that missed it get it when they return
                    tx.enqueueWaitingTask(REPAIR_BLOB, BackgroundTasks.repairPayload(record));
                }
                return version;
            });
        } catch (RuntimeException e) {
            deleteQuietly(blobId);
            throw e;
        }
        queue.wakeUp();
        return committed;
    }

    /** A body stored as a committed blob on every node, verified against what the client declared. */
    record StoredBlob(String blobId, long size, String md5Hex, byte[] md5, Map<String, String> checksums,
                      boolean underReplicated) {
    }

    /**
     * The first half of the upload flow, shared by PutObject and UploadPart: streams the body once
     * into a pending blob on every node while hashing it, checks length, Content-MD5, payload SHA-256
     * and checksums (headers or trailers), and commits the blob files. The caller records the blob in
     * one metadata transaction and deletes it (via {@link #deleteQuietly}) when that fails.
     */
    StoredBlob storeBlob(ObjectWrite write, InputStream body, byte[] expectedMd5) {
        Set<ChecksumAlgorithm> algorithms = new LinkedHashSet<>(write.checksumAlgorithms());
        algorithms.addAll(write.checksums().keySet());
        Hashing hashing = new Hashing(algorithms, write.contentSha256() != null);
        try (PendingBlob blob = prepare()) {
            long size = copy(body, blob.output(), hashing, write.declaredLength());
            if (write.declaredLength() >= 0 && size != write.declaredLength()) {
                throw new StorageException(ErrorCode.IncompleteBody, "the request declared " + write.declaredLength()
                        + " bytes but the body had " + size);
            }
            Map<String, String> checksums = verify(write, hashing, expectedMd5);
            try {
                String blobId = blob.commit();
                // storage.write_quorum below the node count lets a write land on fewer nodes
                boolean underReplicated = blob.nodeIds().size() < blobs.nodes().size();
                return new StoredBlob(blobId, size, hashing.md5Hex(), hashing.md5(), checksums, underReplicated);
            } catch (IOException e) {
                throw new StorageException(ErrorCode.InternalError, "could not commit the object to the storage nodes: " + e.getMessage(), null, e);
            }
        }
    }

    /**
     * Copies an object: the source's bytes through the upload flow into {@code target}.
     *
     * @param source the source's current record (conditions already checked by the caller)
     */
    public ObjectRecord copy(ObjectRecord source, ObjectWrite target) {
        try (InputStream in = read(source, 0, source.size())) {
            return put(target, in);
        } catch (IOException e) {
            throw new StorageException(ErrorCode.InternalError, "could not read the copy source: " + e.getMessage(), null, e);
        }
    }

    /**
     * Deletes an object if present (S3 answers success either way); returns the record that stopped being
     * current. In a bucket with versioning configured this adds a delete marker (see {@link #deleteObject}).
     */
    public Optional<ObjectRecord> delete(String bucket, String key) {
        return deleteObject(bucket, key, null).removed();
    }

    /**
     * DeleteObject. Without {@code versionId}: in a never-versioned bucket the object goes (its blob by the
     * queue); with versioning configured a delete marker becomes the key's newest version. With
     * {@code versionId} (S3's id, {@code "null"} for the null version): that version goes for good; an unknown
     * one is no error, as on S3. {@code NoSuchBucket} when the bucket is absent.
     */
    public DeleteOutcome deleteObject(String bucket, String key, String versionId) {
        if (versionId != null) {
            VersionedWrites.validateVersionId(versionId);
        }
        queue.awaitRoom();
        Instant now = now();
        DeleteOutcome outcome = metadata.write(tx -> {
            BucketRecord b = tx.bucket(bucket).orElseThrow(() -> noSuchBucket(bucket));
            if (versionId != null) {
                return VersionedWrites.deleteVersion(tx, bucket, key, versionId);
            }
            if (b.versioning() != null) {
                return VersionedWrites.deleteLatest(tx, b, key, now);
            }
            Optional<ObjectRecord> gone = tx.deleteObject(bucket, key);
            gone.ifPresent(r -> {
                tx.enqueueTask(DELETE_BLOB, r.blobId());
                tx.adjustBucketStats(bucket, -1, -r.size());
            });
            return new DeleteOutcome(gone, null, false);
        });
        if (outcome.removed().isPresent() || outcome.versionId() != null) {
            queue.wakeUp();
        }
        return outcome;
    }

    /**
     * Deletes every object and every bucket (a reset). Objects go in transactions of up to
     * {@value #RESET_BATCH} rows, each queueing one {@link #DELETE_BLOBS} task for their files, so a
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
                        List<String> versions = tx.deleteAllNoncurrentVersions(name);
                        if (!versions.isEmpty()) {
                            tx.enqueueTask(DELETE_BLOBS, String.join(" ", versions));
                        }
                        if (!tx.bucketIsEmpty(name)) {
                            return false;
                        }
                        List<String> parts = tx.deleteUploads(name);
                        if (!parts.isEmpty()) {
                            tx.enqueueTask(DELETE_BLOBS, String.join(" ", parts));
                        }
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
                        tx.enqueueTask(DELETE_BLOBS, String.join(" ", blobIds));
                        tx.adjustBucketStats(name, -blobIds.size(), -bytes);
                    }
                    return (long) blobIds.size();
                });
            }
        }
        refreshVersionedBuckets();
        queue.wakeUp();
        return deleted;
    }

    private static final int RESET_BATCH = 1000;

    /**
     * One page of keys in S3 order.
     *
     * @param prefix    only keys starting with it ("" for all)
     * @param delimiter roll keys up to the first delimiter after the prefix (null: no roll-up)
     * @param after     start strictly after this key or common prefix (null: from the start)
     * @param maxKeys   most keys + common prefixes in the page
     */
    public ListPage list(String bucket, String prefix, String delimiter, String after, int maxKeys) {
        requireBucket(bucket);
        String p = prefix == null ? "" : prefix;
        String d = delimiter == null || delimiter.isEmpty() ? null : delimiter;
        List<ObjectRecord> objects = new ArrayList<>();
        List<String> prefixes = new ArrayList<>();
        String lastPrefix = d != null && after != null && isCommonPrefix(after, p, d) ? after : null;
        String cursor = after;
        String from = null;                 // after a common prefix: go on at its successor, inclusive
        String lastEntry = null;
        int batchSize = Math.min(Math.max(maxKeys + 1, 2), 1000);
        int limit = batchSize;
        while (true) {
            List<ObjectRecord> batch = from != null ? metadata.listObjectsFrom(bucket, p, from, limit)
                    : metadata.listObjects(bucket, p, cursor, limit);
            from = null;
            boolean skipped = false;
            for (ObjectRecord o : batch) {
                cursor = o.key();
                String rollUp = null;
                if (d != null) {
                    int i = o.key().indexOf(d, p.length());
                    if (i >= 0) {
                        rollUp = o.key().substring(0, i + d.length());
                    }
                }
                if (rollUp != null && rollUp.equals(lastPrefix)) {
                    // the rest of this prefix's keys add nothing: seek past them instead of reading them all
                    from = KeyRange.successor(rollUp);
                    if (from != null) {
                        skipped = true;
                        break;
                    }
                    continue;
                }
                if (objects.size() + prefixes.size() >= maxKeys) {
                    return new ListPage(objects, prefixes, true, lastEntry);
                }
                if (rollUp != null) {
                    prefixes.add(rollUp);
                    lastPrefix = rollUp;
                    lastEntry = rollUp;
                } else {
                    objects.add(o);
                    lastEntry = o.key();
                }
            }
            if (!skipped && batch.size() < limit) {
                return new ListPage(objects, prefixes, false, lastEntry);
            }
            // after a seek only a few rows are wanted (the next prefix may start a run to skip again)
            limit = skipped ? SEEK_BATCH : Math.min(limit * 4, batchSize);
        }
    }

    /** Rows read after seeking past a common prefix: enough to find the next key and its own prefix. */
    private static final int SEEK_BATCH = 4;

    private static boolean isCommonPrefix(String marker, String prefix, String delimiter) {
        return marker.startsWith(prefix) && marker.endsWith(delimiter)
                && marker.indexOf(delimiter, prefix.length()) == marker.length() - delimiter.length();
    }

    // ---------------------------------------------------------------- health

    /** Checks every node's directory and the database; cheap enough for every /health call. */
    public Health health() {
        List<Health.Node> nodes = new ArrayList<>();
        for (StorageNode n : blobs.nodes()) {
            n.check();
            nodes.add(new Health.Node(n.id(), n.root().toString(), n.state() == dev.mockstorage.internal.storage.NodeState.UP, n.reason()));
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

    // ---------------------------------------------------------------- internals

    /**
     * Queues the repair of a blob a read found missing or damaged on some node, unless one is already
     * queued (one indexed read, no write lock) or the queue is full (a later read asks again). Never
     * fails the read: the bytes come from an intact copy either way.
     */
    private void requestRepair(ObjectRecord object, List<String> damagedOn) {
        String uniqueKey = REPAIR_BLOB + ":" + object.blobId();
        try {
            if (metadata.hasTask(uniqueKey) || !queue.hasRoom()) {
                return;
            }
            String payload = BackgroundTasks.repairPayload(object);
            if (metadata.write(tx -> tx.enqueueTaskOnce(REPAIR_BLOB, payload, uniqueKey))) {
                LOG.log(System.Logger.Level.INFO, "blob {0} of {1}/{2} is missing or damaged on {3}: repair queued",
                        object.blobId(), object.bucket(), object.key(), damagedOn);
                queue.wakeUp();
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "could not queue the repair of blob " + object.blobId(), e);
        }
    }

    PendingBlob prepare() {
        try {
            return blobs.prepare();
        } catch (IOException e) {
            throw new StorageException(ErrorCode.InternalError, "could not start writing to the storage nodes: " + e.getMessage(), null, e);
        }
    }

    private static long copy(InputStream body, OutputStream out, Hashing hashing, long declaredLength) {
        // a small body needs no 32 KiB buffer (one per request); +1 so the end shows in the same read
        byte[] buffer = new byte[declaredLength >= 0 ? (int) Math.min(COPY_BUFFER, declaredLength + 1) : COPY_BUFFER];
        long total = 0;
        while (true) {
            int n;
            try {
                n = body.read(buffer);
            } catch (IOException e) {
                throw new StorageException(ErrorCode.IncompleteBody, "the request body could not be read to its end after "
                        + total + " bytes: " + e.getMessage(), null, e);
            }
            if (n < 0) {
                return total;
            }
            hashing.update(buffer, n);
            try {
                out.write(buffer, 0, n);
            } catch (IOException e) {
                throw new StorageException(ErrorCode.InternalError, "could not write to the storage nodes: " + e.getMessage(), null, e);
            }
            total += n;
        }
    }

    private static Map<String, String> verify(ObjectWrite write, Hashing hashing, byte[] expectedMd5) {
        if (expectedMd5 != null && !MessageDigest.isEqual(expectedMd5, hashing.md5())) {
            throw new StorageException(ErrorCode.BadDigest, "The Content-MD5 you specified did not match what we received: sent "
                    + write.contentMd5() + ", computed " + Base64.getEncoder().encodeToString(hashing.md5()));
        }
        if (write.contentSha256() != null && !write.contentSha256().equalsIgnoreCase(hashing.sha256Hex())) {
            throw new StorageException(ErrorCode.XAmzContentSHA256Mismatch, "The provided 'x-amz-content-sha256' header does not match what was computed: sent "
                    + write.contentSha256() + ", computed " + hashing.sha256Hex());
        }
        Map<ChecksumAlgorithm, String> computed = hashing.checksums();
        Map<ChecksumAlgorithm, String> sent = new EnumMap<>(ChecksumAlgorithm.class);
        sent.putAll(write.checksums());
        Map<String, String> trailers = write.trailers().get();
        for (ChecksumAlgorithm a : ChecksumAlgorithm.values()) {
            String v = trailers.get(a.headerName());
            if (v != null) {
                sent.put(a, v.trim());
            }
        }
        for (Map.Entry<ChecksumAlgorithm, String> e : sent.entrySet()) {
            String actual = computed.get(e.getKey());
            if (actual == null) {
                continue; // a trailer nobody announced: nothing computed to compare with
            }
            if (!actual.equals(e.getValue())) {
                throw new StorageException(ErrorCode.BadDigest, "The " + e.getKey() + " you specified did not match the calculated checksum: sent "
                        + e.getValue() + ", computed " + actual);
            }
        }
        Map<String, String> stored = new LinkedHashMap<>();
        computed.forEach((a, v) -> stored.put(a.name(), v));
        return stored;
    }

    static byte[] decodeContentMd5(String contentMd5) {
        if (contentMd5 == null) {
            return null;
        }
        try {
            byte[] md5 = Base64.getDecoder().decode(contentMd5.trim());
            if (md5.length == 16) {
                return md5;
            }
        } catch (IllegalArgumentException e) {
            // fall through
        }
        throw new StorageException(ErrorCode.InvalidDigest, "The Content-MD5 you specified is not valid: '" + contentMd5
                + "' is not the base64 of 16 bytes");
    }

    static void validateChecksumValues(Map<ChecksumAlgorithm, String> checksums) {
        for (Map.Entry<ChecksumAlgorithm, String> e : checksums.entrySet()) {
            int expected = switch (e.getKey()) {
                case CRC32, CRC32C -> 4;
                case CRC64NVME -> 8;
                case SHA1 -> 20;
                case SHA256 -> 32;
            };
            boolean ok;
            try {
                ok = Base64.getDecoder().decode(e.getValue().trim()).length == expected;
            } catch (IllegalArgumentException ex) {
                ok = false;
            }
            if (!ok) {
                throw new StorageException(ErrorCode.InvalidRequest, "Value for " + e.getKey().headerName()
                        + " header is invalid: '" + e.getValue() + "' is not the base64 of " + expected + " bytes");
            }
        }
    }

    static void validateKey(String key) {
        if (key.isEmpty()) {
            throw new StorageException(ErrorCode.InvalidArgument, "the object key is empty");
        }
        int bytes = key.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_KEY_BYTES) {
            throw new StorageException(ErrorCode.KeyTooLongError, "Your key is too long: " + bytes
                    + " bytes, the most is " + MAX_KEY_BYTES).with("Size", Integer.toString(bytes))
                    .with("MaxSizeAllowed", Integer.toString(MAX_KEY_BYTES));
        }
    }

    static void validateUserMetadata(Map<String, String> userMetadata) {
        int bytes = 0;
        for (Map.Entry<String, String> e : userMetadata.entrySet()) {
            bytes += e.getKey().getBytes(StandardCharsets.UTF_8).length + e.getValue().getBytes(StandardCharsets.UTF_8).length;
        }
        if (bytes > MAX_USER_METADATA_BYTES) {
            throw new StorageException(ErrorCode.MetadataTooLarge, "Your metadata headers exceed the maximum allowed metadata size: "
                    + bytes + " bytes, the most is " + MAX_USER_METADATA_BYTES)
                    .with("Size", Integer.toString(bytes)).with("MaxSizeAllowed", Integer.toString(MAX_USER_METADATA_BYTES));
        }
    }

    void deleteQuietly(String blobId) {
        try {
            blobs.delete(blobId);
        } catch (IOException | RuntimeException e) {
            // left as an orphan; the consistency check removes it
        }
    }

    Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    static StorageException noSuchBucket(String bucket) {
        return new StorageException(ErrorCode.NoSuchBucket, "The specified bucket does not exist: " + bucket, bucket)
                .with("BucketName", bucket);
    }

    static StorageException noSuchKey(String bucket, String key) {
        return new StorageException(ErrorCode.NoSuchKey, "The specified key does not exist.", bucket + "/" + key)
                .with("Key", key);
    }

    /** MD5 (the ETag), an optional SHA-256 of the payload, and the requested S3 checksums, all in one pass. */
    private static final class Hashing {
        private final MessageDigest md5;
        private final MessageDigest sha256;
        private final Map<ChecksumAlgorithm, Hasher> checksums = new EnumMap<>(ChecksumAlgorithm.class);
        private byte[] md5Digest;
        private byte[] sha256Digest;
        private Map<ChecksumAlgorithm, String> checksumValues;

        Hashing(Set<ChecksumAlgorithm> algorithms, boolean payloadSha256) {
            try {
                md5 = MessageDigest.getInstance("MD5");
                sha256 = payloadSha256 ? MessageDigest.getInstance("SHA-256") : null;
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
            for (ChecksumAlgorithm a : algorithms) {
                checksums.put(a, a.newHasher());
            }
        }

        void update(byte[] b, int n) {
            md5.update(b, 0, n);
            if (sha256 != null) {
                sha256.update(b, 0, n);
            }
            for (Hasher h : checksums.values()) {
                h.update(b, 0, n);
            }
        }

        byte[] md5() {
            if (md5Digest == null) {
                md5Digest = md5.digest();
            }
            return md5Digest;
        }

        String md5Hex() {
            return HexFormat.of().formatHex(md5());
        }

        String sha256Hex() {
            if (sha256Digest == null) {
                sha256Digest = sha256.digest();
            }
            return HexFormat.of().formatHex(sha256Digest);
        }

        Map<ChecksumAlgorithm, String> checksums() {
            if (checksumValues == null) {
                checksumValues = new EnumMap<>(ChecksumAlgorithm.class);
                checksums.forEach((a, h) -> checksumValues.put(a, h.base64()));
            }
            return checksumValues;
        }
    }

    // ---------------------------------------------------------------- tagging

    /** Replaces the tags of an existing object (empty: removes them); {@code NoSuchKey}/{@code NoSuchBucket} when absent. */
    public void setObjectTags(String bucket, String key, Map<String, String> tags) {
        Map<String, String> checked = Tags.validate(tags);
        boolean updated = metadata.write(tx -> tx.setObjectTags(bucket, key, checked));
        if (!updated) {
            requireBucket(bucket);
            throw noSuchKey(bucket, key);
        }
    }

    /** The bucket's tag set; {@code NoSuchTagSet} when it has none, {@code NoSuchBucket} when absent. */
    public Map<String, String> bucketTags(String bucket) {
        return metadata.write(tx -> {
            if (tx.bucket(bucket).isEmpty()) {
                throw noSuchBucket(bucket);
            }
            return tx.bucketTags(bucket).orElseThrow(() -> new StorageException(ErrorCode.NoSuchTagSet,
                    "The TagSet does not exist: bucket " + bucket + " has no tags", bucket));
        });
    }

    /** Replaces the bucket's tag set (empty: deletes it); {@code NoSuchBucket} when absent. */
    public void setBucketTags(String bucket, Map<String, String> tags) {
        Map<String, String> checked = tags.isEmpty() ? tags : Tags.validateBucket(tags);
        metadata.write(tx -> {
            if (tx.bucket(bucket).isEmpty()) {
                throw noSuchBucket(bucket);
            }
            tx.setBucketTags(bucket, checked);
            return null;
        });
    }

    // ---------------------------------------------------------------- CORS

    /** The bucket's CORS rules; {@code NoSuchCORSConfiguration} when it has none, {@code NoSuchBucket} when absent. */
    public List<CorsRule> bucketCors(String bucket) {
        return metadata.bucketCors(bucket).orElseThrow(() -> {
            requireBucket(bucket);
            return new StorageException(ErrorCode.NoSuchCORSConfiguration,
                    "The CORS configuration does not exist: bucket " + bucket + " has none", bucket).with("BucketName", bucket);
        });
    }

    /**
     * The bucket's CORS rules for answering a cross-origin request: empty when the bucket has no CORS
     * configuration or does not exist. One read, no error.
     */
    public Optional<List<CorsRule>> corsRules(String bucket) {
        return metadata.bucketCors(bucket);
    }

    /** Replaces the bucket's CORS configuration after {@link CorsRules#validate}; {@code NoSuchBucket} when absent. */
    public void setBucketCors(String bucket, List<CorsRule> rules) {
        List<CorsRule> checked = CorsRules.validate(rules);
        metadata.write(tx -> {
            if (tx.bucket(bucket).isEmpty()) {
                throw noSuchBucket(bucket);
            }
            tx.setBucketCors(bucket, checked);
            return null;
        });
    }

    /** Removes the bucket's CORS configuration (none is fine); {@code NoSuchBucket} when absent. */
    public void deleteBucketCors(String bucket) {
        metadata.write(tx -> {
            if (tx.bucket(bucket).isEmpty()) {
                throw noSuchBucket(bucket);
            }
            tx.setBucketCors(bucket, List.of());
            return null;
        });
    }

    // ---------------------------------------------------------------- versioning

    private void refreshVersionedBuckets() {
        Set<String> names = new java.util.HashSet<>();
        for (BucketRecord b : metadata.buckets()) {
            if (b.versioning() != null) {
                names.add(b.name());
            }
        }
        versionedBuckets = Set.copyOf(names);
    }

    /** True when the bucket has versioning configured (Enabled or Suspended, now or before); no query. */
    public boolean isVersioned(String bucket) {
        Set<String> names = versionedBuckets;
        return !names.isEmpty() && names.contains(bucket);
    }

    /** The bucket's versioning status: null (never configured), Enabled or Suspended; {@code NoSuchBucket} when absent. */
    public String versioning(String bucket) {
        return requireBucket(bucket).versioning();
    }

    /**
     * PutBucketVersioning: {@code status} is {@link BucketRecord#ENABLED} or {@link BucketRecord#SUSPENDED}
     * (checked by the caller). Once configured a bucket never returns to "never versioned", as on S3.
     */
    public void setVersioning(String bucket, String status) {
        if (!BucketRecord.ENABLED.equals(status) && !BucketRecord.SUSPENDED.equals(status)) {
            throw new StorageException(ErrorCode.IllegalVersioningConfigurationException,
                    "The versioning status must be Enabled or Suspended, not '" + status + "'");
        }
        boolean set = metadata.write(tx -> tx.setBucketVersioning(bucket, status));
        if (!set) {
            throw noSuchBucket(bucket);
        }
        refreshVersionedBuckets();
    }

    /**
     * One version of an object by S3 version id, for GET/HEAD ({@code method} names it in the error):
     * {@code InvalidArgument} for a malformed id, {@code NoSuchVersion} for an unknown one, {@code MethodNotAllowed}
     * (with {@code x-amz-delete-marker}) for a delete marker, {@code NoSuchBucket} when the bucket is absent.
     */
    public ObjectRecord headVersion(String bucket, String key, String versionId, String method) {
        return VersionedWrites.readable(version(bucket, key, versionId), bucket, key, versionId, method);
    }

    /** One version of an object or a delete marker by S3 version id; empty when unknown. Validates the id and the bucket. */
    public Optional<ObjectVersion> version(String bucket, String key, String versionId) {
        VersionedWrites.validateVersionId(versionId);
        Optional<ObjectVersion> found = metadata.version(bucket, key, versionId);
        if (found.isEmpty()) {
            requireBucket(bucket);
        }
        return found;
    }

    /**
     * One page of ListObjectVersions: versions and delete markers in key order (UTF-8 bytes), newest first
     * within a key, keys rolled up at {@code delimiter} after {@code prefix} into common prefixes.
     *
     * @param keyMarker       start after this key (with {@code versionIdMarker}: after that version of it); a
     *                        common prefix as marker skips every key under it
     * @param versionIdMarker S3 version id within {@code keyMarker}, or null
     * @param maxKeys         most versions + markers + common prefixes in the page
     */
    public VersionPage listVersions(String bucket, String prefix, String delimiter, String keyMarker, String versionIdMarker,
                                    int maxKeys) {
        requireBucket(bucket);
        if (versionIdMarker != null) {
            if (keyMarker == null) {
                throw new StorageException(ErrorCode.InvalidArgument, "A version-id marker cannot be specified without a key marker.")
                        .with("ArgumentName", "version-id-marker").with("ArgumentValue", versionIdMarker);
            }
            VersionedWrites.validateVersionId(versionIdMarker);
        }
        String p = prefix == null ? "" : prefix;
        String d = delimiter == null || delimiter.isEmpty() ? null : delimiter;
        List<ObjectVersion> versions = new ArrayList<>();
        List<String> prefixes = new ArrayList<>();
        String lastPrefix = d != null && keyMarker != null && versionIdMarker == null && isCommonPrefix(keyMarker, p, d)
                ? keyMarker : null;
        String afterKey = keyMarker;
        String afterVersion = versionIdMarker;
        String from = null;                 // after a common prefix: go on at its successor, inclusive
        ObjectVersion last = null;
        String lastEntryPrefix = null;
        int batchSize = Math.min(Math.max(maxKeys + 1, 2), 1000);
        int limit = batchSize;
        while (true) {
            List<ObjectVersion> batch = from != null ? metadata.listVersionsFrom(bucket, p, from, limit)
                    : metadata.listVersions(bucket, p, afterKey, afterVersion, limit);
            from = null;
            boolean skipped = false;
            for (ObjectVersion v : batch) {
                afterKey = v.key();
                afterVersion = v.versionId();
                String rollUp = null;
                if (d != null) {
                    int i = v.key().indexOf(d, p.length());
                    if (i >= 0) {
                        rollUp = v.key().substring(0, i + d.length());
                    }
                }
                if (rollUp != null && rollUp.equals(lastPrefix)) {
                    from = KeyRange.successor(rollUp); // seek past the prefix's other versions
                    if (from != null) {
                        skipped = true;
                        break;
                    }
                    continue;
                }
                if (versions.size() + prefixes.size() >= maxKeys) {
                    if (lastEntryPrefix != null) {
                        return new VersionPage(versions, prefixes, true, lastEntryPrefix, null);
                    }
                    // max-keys=0: nothing listed, nothing to continue after
                    return new VersionPage(versions, prefixes, true, last == null ? null : last.key(),
                            last == null ? null : last.versionId());
                }
                if (rollUp != null) {
                    prefixes.add(rollUp);
                    lastPrefix = rollUp;
                    lastEntryPrefix = rollUp;
                } else {
                    versions.add(v);
                    last = v;
                    lastEntryPrefix = null;
                }
            }
            if (!skipped && batch.size() < limit) {
                return new VersionPage(versions, prefixes, false, null, null);
            }
            limit = skipped ? SEEK_BATCH : Math.min(limit * 4, batchSize);
        }
    }
}
