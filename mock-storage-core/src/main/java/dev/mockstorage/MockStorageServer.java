package dev.mockstorage;

import dev.mockstorage.internal.admin.AdminApi;
import dev.mockstorage.internal.config.Config;
import dev.mockstorage.internal.config.ConfigException;
import dev.mockstorage.internal.config.ConfigLoader;
import dev.mockstorage.internal.error.ErrorCode;
import dev.mockstorage.internal.error.StorageException;
import dev.mockstorage.internal.http.HttpServer;
import dev.mockstorage.internal.metadata.MetadataStore;
import dev.mockstorage.internal.observe.AccessLog;
import dev.mockstorage.internal.observe.Journal;
import dev.mockstorage.internal.observe.Metrics;
import dev.mockstorage.internal.observe.Observer;
import dev.mockstorage.internal.observe.RequestEvent;
import dev.mockstorage.internal.service.ConsistencyCheck;
import dev.mockstorage.internal.service.FaultInjection;
import dev.mockstorage.internal.service.Inspection;
import dev.mockstorage.internal.service.ObjectWrite;
import dev.mockstorage.internal.queue.TaskQueue;
import dev.mockstorage.internal.s3.S3Api;
import dev.mockstorage.internal.auth.Authenticator;
import dev.mockstorage.internal.service.ObjectService;
import dev.mockstorage.internal.storage.BlobStore;
import dev.mockstorage.internal.storage.StorageNode;
import dev.mockstorage.internal.thirdparty.ScriptedUpstream;
import dev.mockstorage.internal.thirdparty.ThirdPartySource;
import dev.mockstorage.thirdparty.ThirdParty;
import dev.mockstorage.journal.RequestJournal;
import dev.mockstorage.stats.ConsistencyReport;
import dev.mockstorage.stats.ServerStats;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * An S3-compatible object store running in this JVM: several storage nodes (directories), SQLite
 * metadata and a task queue, served over HTTP.
 *
 * <pre>{@code
 * try (MockStorageServer server = MockStorageServer.builder()
 *         .dataDirectory(tempDir)      // fresh directory per test
 *         .start()) {                  // port 0: an ephemeral port on 127.0.0.1
 *     URI endpoint = server.endpoint(); // http://127.0.0.1:PORT, use path-style addressing
 * }
 * }</pre>
 *
 * Many instances may run in one JVM; nothing is global or static. One data directory serves one
 * server at a time (a lock file guards it).
 */
public final class MockStorageServer implements MockStorageRuntime, AutoCloseable {

    /** The region the server reports; any region a client signs with is accepted. */
    public static final String REGION = "us-east-1";
    /**
     * The default access key clients may use. In the default (open) auth mode any is accepted and
     * signatures are not checked; in strict mode ({@link Builder#strictAuth()}) requests must be signed
     * with {@link #accessKey()}/{@link #secretKey()}.
     */
    public static final String ACCESS_KEY = Config.Auth.DEFAULT_ACCESS_KEY;
    /** The default secret key matching {@link #ACCESS_KEY}. */
    public static final String SECRET_KEY = Config.Auth.DEFAULT_SECRET_KEY;

    private static final AtomicInteger INSTANCES = new AtomicInteger();
    private static final Duration METADATA_LOCK_TIMEOUT = Duration.ofSeconds(10);

    private final Config config;
    private final Deque<AutoCloseable> resources = new ArrayDeque<>();
    private final ObjectService service;
    private final HttpServer http;
    private TaskQueue queue;
    private MetadataStore metadata;
    private S3Api s3;
    private AdminApi admin;
    private ScriptedUpstream thirdParty;
    // observe: journal, metrics, access log, stats
    private Inspection inspection;
    private RequestJournal journal;
    private final List<Consumer<RequestEvent>> observers = new ArrayList<>();
    private volatile boolean closed;
    // runtime: fault injection and reset (MockStorageRuntime)
    private FaultInjection faults;
    private StorageNodes storageNodes;
    // consistency: check and repair
    private ConsistencyCheck consistencyCheck;
    private Runnable startPeriodicCheck = () -> { };

    private MockStorageServer(Config config) throws IOException {
        this.config = config;
        try {
            this.service = assemble();
            this.http = serve();
        } catch (IOException | RuntimeException | Error e) {
            close();
            throw e;
        }
    }

    private ObjectService assemble() throws IOException {
        Clock clock = Clock.systemUTC();
        String name = "mock-storage-" + INSTANCES.incrementAndGet();
        Files.createDirectories(config.storage().dataDir());
        resources.push(lockDataDirectory(config.storage().dataDir()));
        metadata = MetadataStore.open(config.database().file(), config.storage().fsync(), METADATA_LOCK_TIMEOUT);
        resources.push(metadata);
        List<StorageNode> nodes = config.storage().nodes().stream().map(n -> new StorageNode(n.id(), n.path())).toList();
        BlobStore blobs = new BlobStore(nodes, config.storage().fsync(), config.storage().writeQuorum());
        resources.push(blobs);
        queue = new TaskQueue(metadata, config.queue().size(), config.queue().workers(),
                ObjectService.taskHandlers(metadata, blobs), Duration.ofMillis(config.queue().fullWaitMs()), clock, name);
        resources.push(queue);
        ThirdPartySource source = thirdPartySource(clock);
        ObjectService objects = new ObjectService(metadata, blobs, queue, clock, config.storage().autoCreateBuckets(), source);
        createInitialBuckets(objects);
        s3 = new S3Api(objects, REGION, config.server().domains(), authenticator(clock));
        faults = new FaultInjection(metadata, blobs);
        storageNodes = new ServerStorageNodes(faults);
        observe(metadata, blobs, objects, clock);
        admin.runtime(faults, this::reset, this::createBucket);
        consistency(blobs, objects, clock, name);
        return objects;
    }

    /** The consistency check: on demand, over the admin API, periodically ({@code storage.check_interval_ms}). */
    private void consistency(BlobStore blobs, ObjectService objects, Clock clock, String name) {
        Config.Consistency c = config.storage().consistency();
        consistencyCheck = new ConsistencyCheck(metadata, blobs, objects, clock, Duration.ofMillis(c.orphanGraceMs()),
                Duration.ofMillis(c.abandonedUploadMs()));
        resources.push(consistencyCheck);
        inspection.consistencySource(consistencyCheck::stats);
        admin.consistency(consistencyCheck::run);
        startPeriodicCheck = () -> consistencyCheck.startPeriodic(Duration.ofMillis(c.checkIntervalMs()), name + "-consistency");
    }

    /** The journal, metrics and access log (config {@code journal.size}, {@code metrics.enabled}, {@code log.access}). */
    private void observe(MetadataStore metadata, BlobStore blobs, ObjectService objects, Clock clock) {
        Config.Observe o = config.observe();
        inspection = new Inspection(metadata, blobs, queue, clock);
        inspection.thirdPartySource(() -> {
            long[] t = objects.thirdPartyOutcomes();
            return new ServerStats.ThirdParty(t[0], t[1], t[2]);
        });
        Metrics metrics = null;
        if (o.metricsEnabled()) {
            metrics = new Metrics(inspection::stats);
            inspection.requestSource(metrics::requestCounts);
            objects.onThirdPartyFetch(metrics::thirdPartyFetch);
            observers.add(metrics);
        }
        if (o.journalSize() > 0) {
            Journal j = new Journal(o.journalSize());
            journal = j;
            observers.add(j);
        } else {
            journal = Journal.disabled();
        }
        if (o.accessLog() != null) {
            AccessLog log = o.accessLog().equals(Config.Observe.STDOUT) ? AccessLog.to(System.out)
                    : AccessLog.toFile(Path.of(o.accessLog()));
            resources.push(log);
            observers.add(log);
        }
        admin = new AdminApi(objects, inspection, journal, metrics, thirdParty);
    }

    /** {@code storage.buckets}: created before the port opens; existing ones are kept, bad names stop the start. */
    private void createInitialBuckets(ObjectService objects) {
        for (String bucket : config.storage().buckets()) {
            try {
                objects.createBucket(bucket);
            } catch (StorageException e) {
                if (e.code() == ErrorCode.BucketAlreadyOwnedByYou) {
                    continue;
                }
                if (e.code() == ErrorCode.InvalidBucketName) {
                    throw new ConfigException("storage.buckets: " + e.getMessage());
                }
                throw e;
            }
        }
    }

    /** The third-party read-through: the scripted upstream (started on first use) and the fetch code in front of it. */
    private ThirdPartySource thirdPartySource(Clock clock) {
        Config.ThirdParty tp = config.thirdParty();
        String refusal = !tp.enabled()
                ? "third-party read-through is off (third_party.enabled=false); turn it on to script the third party"
                : tp.url() != null
                ? "third_party.url is set (" + tp.url() + "), so misses read through from that upstream, not from scripts;"
                        + " leave third_party.url unset to script the third party"
                : null;
        thirdParty = new ScriptedUpstream(refusal, clock);
        resources.push(thirdParty);
        if (tp.scripts() != null) {
            try {
                thirdParty.loadScripts(tp.scripts());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("third_party.scripts: " + e.getMessage(), e);
            }
        }
        ThirdPartySource source = new ThirdPartySource(tp, refusal == null ? thirdParty : null);
        resources.push(source);
        return source;
    }

    private HttpServer serve() throws IOException {
        Config.Server c = config.server();
        HttpServer server = new HttpServer(c.host(), c.port(), new Observer(
                request -> AdminApi.owns(request) ? admin.handle(request) : s3.handle(request), observers),
                new HttpServer.Limits(c.maxConnections(), Duration.ofMillis(c.headTimeoutMs())), s3::refusal);
        queue.start();
        server.start();
        startPeriodicCheck.run();
        resources.push(server::stop);
        return server;
    }

    /** A builder with every setting at its default, except port 0 (ephemeral). */
    public static Builder builder() {
        return new Builder();
    }

    /** {@code http://host:port}, for path-style S3 clients. */
    public URI endpoint() {
        String host = config.server().host();
        if (host.equals("0.0.0.0") || host.equals("::")) {
            host = "127.0.0.1";
        } else if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return URI.create("http://" + host + ":" + port());
    }

    /** The port the server listens on. */
    public int port() {
        return http.port();
    }

    public String region() {
        return REGION;
    }

    /** The access key clients sign with ({@code auth.access_key}; default {@link #ACCESS_KEY}). */
    public String accessKey() {
        return config.auth().accessKey();
    }

    /** The secret key of {@link #accessKey()} ({@code auth.secret_key}; default {@link #SECRET_KEY}). */
    public String secretKey() {
        return config.auth().secretKey();
    }

    /** Whether signatures are checked ({@code auth.mode = strict}); false: any credentials are accepted. */
    public boolean strictAuth() {
        return config.auth().strict();
    }

    /** auth: strict mode checks Signature V4 on every S3 request; open mode (null) does no work per request. */
    private Authenticator authenticator(Clock clock) {
        Config.Auth auth = config.auth();
        return auth.strict() ? new Authenticator(Map.of(auth.accessKey(), auth.secretKey()), clock) : null;
    }

    /** The data directory (nodes and database live below it unless configured elsewhere). */
    public Path dataDirectory() {
        return config.storage().dataDir();
    }

    /**
     * The scripted third-party upstream: what a GET or HEAD of a missing key reads through from while it
     * has scripts (and no {@code third_party.url} is configured). See {@link ThirdParty}.
     */
    public ThirdParty thirdParty() {
        return thirdParty;
    }

    /**
     * Waits until every task queued so far (blob deletions, upload bookkeeping, replica repairs) has
     * finished: done, or parked as failed after its last attempt (see {@link #failedTasks()}).
     *
     * @throws IllegalStateException naming the open tasks when they did not finish in time (always,
     *                               with open tasks, when {@code queue.workers} is 0)
     */
    public void awaitIdle(Duration timeout) {
        service.awaitIdle(timeout);
    }

    /** The background task queue now: open, done, failed (parked) and retried tasks, capacity, workers. */
    public QueueStats queueStats() {
        return new QueueStats(queue.openCount(), queue.doneCount(), queue.parkedCount(), queue.retriedCount(),
                queue.capacity(), queue.workerCount());
    }

    /**
     * The tasks parked as failed after {@value TaskQueue#MAX_ATTEMPTS} attempts, oldest first (at most
     * 1000), each as {@code #id kind payload (failed, attempts N, last error: ...)}. Empty when none failed.
     */
    public List<String> failedTasks() {
        return queue.describeFailed(1000);
    }

    /**
     * Statistics of every bucket, sorted by name. Object counts and bytes are always exact; upload
     * counts are kept by a background task, so call {@link #awaitIdle} first to include recent uploads.
     */
    public List<BucketStats> bucketStats() {
        return metadata.bucketStats().stream().map(b -> new BucketStats(b.bucket(), b.objects(), b.bytes(),
                b.uploads(), b.uploadedBytes(), b.lastUploadAt())).toList();
    }

    /**
     * The request journal: the last {@code journal.size} S3 requests (default 1000), for queries and
     * verification. With {@code journal.size} = 0 every call on it throws IllegalStateException.
     *
     * <pre>{@code
     * server.requests().verify(Times.exactly(1), RequestPattern.putObject("b", "k"));
     * }</pre>
     */
    public RequestJournal requests() {
        return journal;
    }

    /**
     * The server's figures now (the same as {@code GET /api/v1/stats}): objects and bytes per bucket and
     * node, node states and disk usage, queue, third-party read-through, requests by operation and status.
     * Walks the nodes' blob directories, so it costs one file stat per stored blob.
     */
    public ServerStats stats() {
        return inspection.stats();
    }

    // ---------------------------------------------------------------- consistency check and repair

    /**
     * Compares the metadata with every storage node that is up and reports each problem: a replica
     * missing, of the wrong size or content, a blob file no object or task refers to (older than
     * {@code storage.orphan_grace_ms}), an object with no intact replica. With {@code repair} it copies
     * an intact replica over each bad one, deletes the orphans and marks objects with no intact copy as
     * damaged (GET and HEAD then answer 500 InternalError naming the object; a new PUT clears it); a
     * second check then finds nothing. Reads every replica whole. The same as
     * {@code POST /api/v1/consistency/check?repair=}; results also show in {@link #stats()} and {@code /metrics}.
     */
    @Override
    public ConsistencyReport checkConsistency(boolean repair) {
        return consistencyCheck.run(repair);
    }

    // ---------------------------------------------------------------- runtime: fault injection and reset

    /**
     * Fault injection on the storage nodes: take one down, make it slow, corrupt a replica. The
     * same code paths real failures take (see README "Fault injection and reset").
     */
    @Override
    public StorageNodes nodes() {
        return storageNodes;
    }

    /**
     * Creates a bucket; nothing happens when it exists already.
     *
     * @throws IllegalArgumentException for a name S3 does not allow (the message says why)
     */
    @Override
    public void createBucket(String bucket) {
        try {
            service.createBucket(bucket);
        } catch (StorageException e) {
            if (e.code() != ErrorCode.BucketAlreadyOwnedByYou) {
                throw ServerStorageNodes.translate(e);
            }
        }
    }

    /**
     * Stores an object through the normal upload path (every node that is up, metadata, tasks), as a
     * PUT would.
     *
     * @param contentType the Content-Type to store, or null
     * @throws IllegalArgumentException when the bucket does not exist (and {@code storage.auto_create_buckets}
     *                                  is off) or the key is not allowed
     * @throws IllegalStateException    when the store cannot take it (no node up, queue full)
     */
    @Override
    public void putObject(String bucket, String key, byte[] content, String contentType) {
        java.util.Objects.requireNonNull(content, "content");
        ObjectWrite write = new ObjectWrite(bucket, key, contentType, Map.of(), Map.of(), null, null, Map.of(),
                java.util.Set.of(), Map::of, content.length);
        try {
            service.put(write, new java.io.ByteArrayInputStream(content));
        } catch (StorageException e) {
            throw ServerStorageNodes.translate(e);
        }
    }

    /**
     * Back to an empty store, quickly and without waiting for the queue: every node up and without
     * delay, every object and bucket deleted in a few metadata transactions (their files are deleted
     * by queued tasks afterwards; {@link #awaitIdle} waits for that), third-party scripts and recorded
     * calls cleared, the request journal cleared, and the {@code storage.buckets} created again (and
     * the {@code third_party.scripts} file loaded again).
     * Statistics counted so far (requests, queue totals, metrics) are kept.
     */
    @Override
    public synchronized void reset() {
        faults.clear();
        service.deleteEverything();
        thirdParty.reset();
        if (config.thirdParty().scripts() != null) {
            thirdParty.loadScripts(config.thirdParty().scripts()); // back to the start state, as storage.buckets
        }
        try {
            journal.clear();
        } catch (IllegalStateException e) {
            // journal.size = 0: nothing recorded, nothing to clear
        }
        createInitialBuckets(service);
    }

    /** Stops serving and releases files and threads; open tasks stay queued for the next start. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        RuntimeException failure = null;
        while (!resources.isEmpty()) {
            try {
                resources.pop().close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = new IllegalStateException("could not close mock-storage cleanly", e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private static AutoCloseable lockDataDirectory(Path dataDir) throws IOException {
        Path lockFile = dataDir.resolve(".lock");
        FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            channel.close();
            throw new IllegalStateException("the data directory " + dataDir + " is in use by another mock-storage server"
                    + " (lock file " + lockFile + "); give each server its own data directory");
        }
        FileLock held = lock;
        return () -> {
            held.release();
            channel.close();
        };
    }

    /** Settings for a server; every one has a default. */
    public static final class Builder {
        private final Map<String, String> settings = new LinkedHashMap<>();
        private Path configFile;

        private Builder() {
        }

        /**
         * Reads a {@code config.json} first; settings made on this builder win over it. With a file, the
         * port is the file's (default 8080) unless {@link #port(int)} says otherwise.
         */
        public Builder configFile(Path file) {
            this.configFile = file;
            return this;
        }

        /** Where nodes and the database live (default {@code ./data}). */
        public Builder dataDirectory(Path dir) {
            return setting("storage.data_dir", dir.toAbsolutePath().toString());
        }

        /** Number of storage nodes {@code stg1..stgN} under the data directory (default 3). */
        public Builder nodes(int count) {
            return setting("storage.nodes", Integer.toString(count));
        }

        /** Port to listen on; 0 (the builder's default) picks a free one. */
        public Builder port(int port) {
            return setting("server.port", Integer.toString(port));
        }

        /** Address to bind (default 127.0.0.1). */
        public Builder host(String host) {
            return setting("server.host", host);
        }

        /** Create a bucket on the first PUT into it instead of answering NoSuchBucket (default false). */
        public Builder autoCreateBuckets(boolean on) {
            return setting("storage.auto_create_buckets", Boolean.toString(on));
        }

        /**
         * Strict auth mode ({@code auth.mode = strict}): every S3 request must be signed with Signature
         * Version 4 (header, presigned URL, signed chunks) by {@link MockStorageServer#accessKey()} and
         * {@link MockStorageServer#secretKey()}; anything else gets S3's 403 errors. Default: open, any
         * credentials accepted.
         */
        public Builder strictAuth() {
            return setting("auth.mode", "strict");
        }

        /** The key pair clients sign with (default {@link #ACCESS_KEY}/{@link #SECRET_KEY}); checked in strict mode only. */
        public Builder credentials(String accessKey, String secretKey) {
            return setting("auth.access_key", accessKey).setting("auth.secret_key", secretKey);
        }

        /**
         * Any setting by its dotted config.json name, e.g. {@code queue.workers} = {@code 4}.
         * Unknown names and bad values fail at {@link #start()} naming the setting.
         */
        public Builder setting(String name, String value) {
            settings.put(name, value);
            return this;
        }

        /**
         * Starts the server; it answers requests when this returns.
         *
         * @throws IllegalArgumentException when a setting is unknown or invalid (the message names it)
         * @throws UncheckedIOException     when the port cannot be bound or the data directory not used
         */
        public MockStorageServer start() {
            Map<String, String> effective = new LinkedHashMap<>();
            if (configFile == null) {
                effective.put("server.port", "0"); // ephemeral unless the file or a setting says otherwise
            }
            effective.putAll(settings);
            Config config = ConfigLoader.load(configFile, effective);
            try {
                return new MockStorageServer(config);
            } catch (IOException e) {
                throw new UncheckedIOException("mock-storage could not start: " + e.getMessage(), e);
            }
        }
    }
}
