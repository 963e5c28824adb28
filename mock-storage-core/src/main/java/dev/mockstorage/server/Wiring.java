package dev.mockstorage.server;

import dev.mockstorage.MockStorageRuntime;
import dev.mockstorage.StorageNodes;
import dev.mockstorage.internal.admin.AdminApi;
import dev.mockstorage.internal.auth.Authenticator;
import dev.mockstorage.internal.clock.ServerClock;
import dev.mockstorage.internal.config.Config;
import dev.mockstorage.internal.config.Setting;
import dev.mockstorage.internal.console.Console;
import dev.mockstorage.internal.error.StorageException;
import dev.mockstorage.internal.http.ConnectionLimits;
import dev.mockstorage.internal.http.HttpHandler;
import dev.mockstorage.internal.http.HttpRequest;
import dev.mockstorage.internal.http.HttpResponse;
import dev.mockstorage.internal.http.HttpServer;
import dev.mockstorage.internal.metadata.MetadataStore;
import dev.mockstorage.internal.observe.AccessLog;
import dev.mockstorage.internal.observe.Journal;
import dev.mockstorage.internal.observe.Metrics;
import dev.mockstorage.internal.observe.Observer;
import dev.mockstorage.internal.observe.RequestEvent;
import dev.mockstorage.internal.queue.TaskQueue;
import dev.mockstorage.internal.s3.S3Api;
import dev.mockstorage.internal.service.ConsistencyCheck;
import dev.mockstorage.internal.service.FaultInjection;
import dev.mockstorage.internal.service.Inspection;
import dev.mockstorage.internal.service.Lifecycle;
import dev.mockstorage.internal.service.ObjectService;
import dev.mockstorage.internal.service.Tasks;
import dev.mockstorage.internal.storage.BlobStore;
import dev.mockstorage.internal.storage.StorageNode;
import dev.mockstorage.internal.thirdparty.ScriptedUpstream;
import dev.mockstorage.internal.thirdparty.ThirdPartySource;
import dev.mockstorage.internal.threads.SharedThreads;
import dev.mockstorage.journal.RequestJournal;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The parts of one server, each built once, in the order they depend on each other, and kept in final
 * fields: the port (bound first, so that a taken one fails before anything touches the disk), the data
 * directory's lock, metadata, nodes, task queue, third party, services, the S3 and admin APIs and the
 * observers. Requests wait in the listen backlog until everything is ready; then the workers start and
 * the port accepts. A start that fails closes what it opened and removes what it created on disk.
 * {@link MockStorageServer} is the public face of it.
 */
final class Wiring implements AutoCloseable {
    private static final AtomicInteger INSTANCES = new AtomicInteger();
    private static final Duration METADATA_LOCK_TIMEOUT = Duration.ofSeconds(10);
    private static final String[] DATABASE_SIDECARS = {"-wal", "-shm", "-journal"};

    final HttpServer http;
    final TaskQueue queue;
    final ScriptedUpstream thirdParty;
    final ObjectService service;
    final StorageNodes nodes;
    final Inspection inspection;
    final RequestJournal journal;
    final ConsistencyCheck consistency;
    final Reset reset;
    /** What {@link #http} hands requests to: the router behind the observers. */
    private final Observer requests;
    /** Renders the answer to a connection {@link #http} refuses (past {@code server.max_connections}). */
    private final S3Api s3;
    /** Closed in reverse order of opening. */
    private final Deque<AutoCloseable> resources = new ArrayDeque<>();

    private final AtomicBoolean closed = new AtomicBoolean();

    Wiring(Config config) throws IOException {
        CreatedPaths created = new CreatedPaths();
        FutureTask<List<StorageNode>> nodesMade = null;
        try {
            ServerClock clock = new ServerClock(); // the time everything decided by the date reads; tests move it
            String name = "mock-storage-" + INSTANCES.incrementAndGet();
            http = bind(config, this::dispatch, this::refuse);
            resources.push(lockDataDirectory(config.storage().dataDir(), created));
            // the nodes' directories are made on a pooled thread while this one opens the metadata: both are
            // mostly file-system calls, and on a new data directory (every @MockStorage test's) the nine mkdirs
            // of three nodes cost about what the database's copy and connection do
            FutureTask<List<StorageNode>> making = nodes(config, created);
            SharedThreads.start(name + "-nodes", making);
            nodesMade = making; // running: a failed start waits for it
            MetadataStore metadata = open(openMetadata(config, created));
            BlobStore blobs = open(new BlobStore(
                    await(making), config.storage().fsync(), config.storage().writeQuorum()));
            // the queue schedules retries in real time, as the task table's times are
            queue = open(new TaskQueue(
                    metadata,
                    config.queue().size(),
                    config.queue().workers(),
                    Tasks.handlers(metadata, blobs),
                    Duration.ofMillis(config.queue().fullWaitMs()),
                    Clock.systemUTC(),
                    name));
            thirdParty = open(scriptedUpstream(config.thirdParty(), clock));
            ThirdPartySource source = open(new ThirdPartySource(
                    config.thirdParty(), refusal(config.thirdParty()) == null ? thirdParty : null));
            service = new ObjectService(
                    metadata, blobs, queue, clock, config.storage().autoCreateBuckets(), source);
            open(service.lifecycle()); // its periodic application stops before the queue closes
            Reset.createConfiguredBuckets(config, service);
            Authenticator authenticator = authenticator(config, clock);
            s3 = new S3Api(
                    service,
                    MockStorageRuntime.DEFAULT_REGION,
                    config.server().domains(),
                    authenticator,
                    config.auth().accessKey());
            FaultInjection faults = new FaultInjection(metadata, blobs);
            nodes = new ServerStorageNodes(faults);

            // observe: figures, metrics, journal, access log (journal.size, metrics.enabled, log.access)
            Config.Observe o = config.observe();
            List<Consumer<RequestEvent>> observers = new ArrayList<>();
            inspection = new Inspection(metadata, blobs, queue, clock);
            inspection.thirdPartySource(service.readThrough()::stats);
            Metrics metrics = o.metricsEnabled() ? new Metrics(inspection::stats) : null;
            if (metrics != null) {
                inspection.requestSource(metrics::requestCounts);
                service.readThrough().onFetch(metrics::thirdPartyFetch);
                observers.add(metrics);
            }
            Journal recording = o.journalSize() > 0 ? new Journal(o.journalSize()) : null;
            journal = recording != null ? recording : Journal.disabled();
            if (recording != null) {
                observers.add(recording);
            }
            AccessLog log = accessLog(o, created);
            if (log != null) {
                observers.add(open(log));
            }

            // consistency: on demand, over the admin API, periodically (storage.check_interval_ms)
            Config.Consistency c = config.storage().consistency();
            consistency = open(new ConsistencyCheck(
                    metadata,
                    blobs,
                    service,
                    clock,
                    Duration.ofMillis(c.orphanGraceMs()),
                    Duration.ofMillis(c.abandonedUploadMs())));
            inspection.consistencySource(consistency::stats);

            reset = new Reset(config, faults, service, thirdParty, journal);
            AdminApi admin = new AdminApi(
                    service,
                    inspection,
                    journal,
                    metrics,
                    thirdParty,
                    faults,
                    reset,
                    consistency::run,
                    config,
                    authenticator == null ? null : authenticator::authenticate);
            requests = new Observer(new RequestRouter(admin, new Console(config.console()), s3), observers, clock);

            // ready: start the workers, accept connections
            queue.start();
            http.start();
            consistency.startPeriodic(Duration.ofMillis(c.checkIntervalMs()));
            service.lifecycle().startPeriodic(Lifecycle.PERIOD);
        } catch (IOException | RuntimeException | Error e) {
            if (nodesMade != null) {
                try {
                    nodesMade.get(); // done making directories before what this start created is removed
                } catch (InterruptedException | ExecutionException ignored) {
                    // removed anyway
                }
            }
            try {
                close();
            } catch (RuntimeException closing) {
                e.addSuppressed(closing);
            }
            created.remove(e);
            throw e;
        }
    }

    private HttpResponse dispatch(HttpRequest request) throws Exception {
        return requests.handle(request);
    }

    private HttpResponse refuse(StorageException e) {
        return s3.refusal(e);
    }

    /** Registers a part to close with the server (in reverse order of opening). */
    private <T extends AutoCloseable> T open(T part) {
        resources.push(part);
        return part;
    }

    /**
     * Binds {@code server.host}:{@code server.port} without accepting yet, with {@code server.max_connections}
     * and {@code server.head_timeout_ms}.
     */
    private static HttpServer bind(Config config, HttpHandler handler, Function<StorageException, HttpResponse> refusal)
            throws StartFailure {
        Config.Server c = config.server();
        String host = c.host();
        int port = c.port();
        HttpServer server = new HttpServer(
                host,
                port,
                handler,
                new ConnectionLimits(c.maxConnections(), Duration.ofMillis(c.headTimeoutMs())),
                refusal);
        try {
            server.bind();
        } catch (IOException e) {
            throw StartFailure.bind(host, port, e);
        }
        return server;
    }

    /** {@code storage.data_dir}, created if need be, locked for this server. */
    private static AutoCloseable lockDataDirectory(Path dataDir, CreatedPaths created) throws StartFailure {
        Path lockFile = dataDir.resolve(".lock");
        try {
            created.before(dataDir);
            if (!Files.isDirectory(dataDir)) { // @MockStorage's is made already: no FileAlreadyExistsException then
                Files.createDirectories(dataDir);
            }
            created.before(lockFile);
            FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                channel.close();
                created.forget(); // whatever looked new here is the other server's
                throw new StartFailure(
                        Setting.STORAGE_DATA_DIR.dottedName() + " " + dataDir + ": in use by another"
                                + " mock-storage server (lock file " + lockFile
                                + "); give each server its own data directory",
                        null);
            }
            FileLock held = lock;
            return () -> {
                held.release();
                channel.close();
            };
        } catch (StartFailure e) {
            throw e;
        } catch (IOException e) {
            throw StartFailure.path(Setting.STORAGE_DATA_DIR.dottedName(), dataDir, e);
        }
    }

    /** {@code database.dsn}: a new database file takes its WAL and shared-memory files with it when the start fails. */
    private static MetadataStore openMetadata(Config config, CreatedPaths created) throws StartFailure {
        Path db = config.database().file();
        created.before(db);
        if (created.isNew(db)) {
            for (String sidecar : DATABASE_SIDECARS) {
                created.before(db.resolveSibling(db.getFileName() + sidecar));
            }
        }
        try {
            return MetadataStore.open(db, config.storage().fsync(), METADATA_LOCK_TIMEOUT);
        } catch (StorageException e) {
            throw StartFailure.path(Setting.DATABASE_DSN.dottedName(), db, e);
        }
    }

    /**
     * {@code storage.nodes}, to be made by running the task: a directory a node cannot create leaves that node
     * down, not the start.
     */
    private static FutureTask<List<StorageNode>> nodes(Config config, CreatedPaths created) {
        List<Config.Node> specs = config.storage().nodes();
        for (Config.Node n : specs) {
            created.before(n.path());
        }
        return new FutureTask<>(
                () -> specs.stream().map(n -> new StorageNode(n.id(), n.path())).toList());
    }

    /** The result of {@code task}, waiting for it; its failure rethrown as it was. */
    private static <T> T await(FutureTask<T> task) {
        try {
            return task.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the storage nodes were made", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /** The scripted upstream (started on first use) with the {@code third_party.scripts} file loaded. */
    private static ScriptedUpstream scriptedUpstream(Config.ThirdParty tp, Clock clock) {
        ScriptedUpstream upstream = new ScriptedUpstream(refusal(tp), clock);
        if (tp.scripts() != null) {
            try {
                upstream.loadScripts(tp.scripts());
            } catch (IllegalArgumentException e) {
                upstream.close();
                throw new IllegalArgumentException("third_party.scripts: " + e.getMessage(), e);
            }
        }
        return upstream;
    }

    /** Why the third party cannot be scripted, or null when it can. */
    private static String refusal(Config.ThirdParty tp) {
        return !tp.enabled()
                ? "third-party read-through is off (third_party.enabled=false); turn it on to script the third party"
                : tp.url() != null
                        ? "third_party.url is set (" + tp.url()
                                + "), so misses read through from that upstream, not from scripts;"
                                + " leave third_party.url unset to script the third party"
                        : null;
    }

    /**
     * auth: strict mode checks Signature V4 on every S3 request and every admin request but {@code /health} and
     * {@code /metrics}; open mode (null) does no work per request. Presigned URLs expire on the server's clock;
     * clients sign with the real time.
     */
    private static Authenticator authenticator(Config config, Clock clock) {
        Config.Auth auth = config.auth();
        return auth.strict()
                ? new Authenticator(Map.of(auth.accessKey(), auth.secretKey()), clock, Clock.systemUTC())
                : null;
    }

    /** {@code log.access}: stdout, a file (appended to), or null when off. */
    private static AccessLog accessLog(Config.Observe o, CreatedPaths created) throws StartFailure {
        if (o.accessLog() == null) {
            return null;
        }
        if (o.accessLog().equals(Config.Observe.STDOUT)) {
            return AccessLog.to(System.out);
        }
        Path file = Path.of(o.accessLog());
        created.before(file);
        try {
            return AccessLog.toFile(file);
        } catch (UncheckedIOException e) {
            throw StartFailure.path(Setting.LOG_ACCESS.dottedName(), file, e);
        }
    }

    /** Stops serving, then closes every part in reverse order of opening. Idempotent. */
    @Override
    public synchronized void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        RuntimeException failure = null;
        if (http != null) {
            http.stop(); // first: no request may reach what closes below
        }
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
}
