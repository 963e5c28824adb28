package dev.mockstorage.server;

import dev.mockstorage.MockStorageRuntime;
import dev.mockstorage.StorageClock;
import dev.mockstorage.StorageNodes;
import dev.mockstorage.internal.config.Config;
import dev.mockstorage.internal.config.ConfigLoader;
import dev.mockstorage.internal.error.ErrorCode;
import dev.mockstorage.internal.error.StorageException;
import dev.mockstorage.internal.queue.TaskQueue;
import dev.mockstorage.internal.service.ObjectWrite;
import dev.mockstorage.journal.RequestJournal;
import dev.mockstorage.stats.ConsistencyReport;
import dev.mockstorage.stats.ServerStats;
import dev.mockstorage.thirdparty.ThirdParty;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

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

    private final Config config;
    private final Wiring parts;
    private final StorageClock clock;

    /**
     * Binds the port first, so that a taken one fails before anything touches the disk; then sets up
     * the store (connections wait in the listen backlog meanwhile), then accepts. A start that fails
     * closes what it opened and removes what it created on disk.
     */
    private MockStorageServer(Config config) throws IOException {
        this.config = config;
        this.parts = new Wiring(config);
        this.clock = new ServerStorageClock(parts.service.maintenance());
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
        return parts.http.port();
    }

    public String region() {
        return DEFAULT_REGION;
    }

    /** The access key clients sign with ({@code auth.access_key}; default {@link #DEFAULT_ACCESS_KEY}). */
    public String accessKey() {
        return config.auth().accessKey();
    }

    /** The secret key of {@link #accessKey()} ({@code auth.secret_key}; default {@link #DEFAULT_SECRET_KEY}). */
    public String secretKey() {
        return config.auth().secretKey();
    }

    /** Whether signatures are checked ({@code auth.mode = strict}); false: any credentials are accepted. */
    public boolean strictAuth() {
        return config.auth().strict();
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
        return parts.thirdParty;
    }

    /**
     * Waits until every task queued so far (blob deletions, upload bookkeeping, replica repairs) has
     * finished: done, or parked as failed after its last attempt (see {@link #failedTasks()}).
     *
     * @throws IllegalStateException naming the open tasks when they did not finish in time (always,
     *                               with open tasks, when {@code queue.workers} is 0)
     */
    public void awaitIdle(Duration timeout) {
        parts.service.maintenance().awaitIdle(timeout);
    }

    /**
     * The tasks parked as failed after {@value TaskQueue#MAX_ATTEMPTS} attempts, oldest first (at most
     * 1000), each as {@code #id kind payload (failed, attempts N, last error: ...)}. Empty when none failed.
     */
    public List<String> failedTasks() {
        return parts.queue.describeFailed(1000);
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
        return parts.journal;
    }

    /**
     * The server's figures now (the same as {@code GET /api/v1/stats}): objects, bytes and uploads per
     * bucket ({@code buckets()}, sorted by name; upload counts are kept by a background task, so call
     * {@link #awaitIdle} first to include recent uploads), objects and bytes per node, node states and disk
     * usage, the task queue ({@code queue()}: open, done, failed, parked and retried tasks, capacity,
     * workers), third-party read-through, requests by operation and status. Walks the nodes' blob
     * directories, so it costs one file stat per stored blob.
     */
    public ServerStats stats() {
        return parts.inspection.stats();
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
        return parts.consistency.run(repair);
    }

    // ---------------------------------------------------------------- runtime: fault injection and reset

    /**
     * Fault injection on the storage nodes: take one down, make it slow, corrupt a replica. The
     * same code paths real failures take (see README "Fault injection and reset").
     */
    @Override
    public StorageNodes nodes() {
        return parts.nodes;
    }

    /**
     * The server's clock, which everything decided by the date reads: Last-Modified, lifecycle expiry,
     * object-lock retention, presigned-URL expiry (strict mode), the request journal's times.
     * {@code clock().advance(Duration.ofDays(31))} moves it forward and queues the lifecycle rules due by
     * then ({@link #awaitIdle} waits for them); {@link #reset()} sets it back to the real time.
     */
    @Override
    public StorageClock clock() {
        return clock;
    }

    /**
     * Creates a bucket; nothing happens when it exists already.
     *
     * @throws IllegalArgumentException for a name S3 does not allow (the message says why)
     */
    @Override
    public void createBucket(String bucket) {
        try {
            parts.service.buckets().create(bucket);
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
        Objects.requireNonNull(content, "content");
        ObjectWrite write = new ObjectWrite(
                bucket, key, contentType, Map.of(), Map.of(), null, null, Map.of(), Set.of(), Map::of, content.length);
        try {
            parts.service.writes().put(write, new ByteArrayInputStream(content));
        } catch (StorageException e) {
            throw ServerStorageNodes.translate(e);
        }
    }

    /**
     * Back to an empty store, quickly and without waiting for the queue: every node up and without
     * delay, every object and bucket deleted in a few metadata transactions (their files are deleted
     * by queued tasks afterwards; {@link #awaitIdle} waits for that), third-party scripts and recorded
     * calls cleared, the request journal cleared, the clock set back to the real time, and the
     * {@code storage.buckets} created again (and the {@code third_party.scripts} file loaded again).
     * Statistics counted so far (requests, queue totals, metrics) are kept.
     */
    @Override
    public void reset() {
        parts.reset.run();
    }

    /** Stops serving and releases files and threads; open tasks stay queued for the next start. Idempotent. */
    @Override
    public void close() {
        parts.close();
    }

    /** Settings for a server; every one has a default. */
    public static final class Builder {
        private final Map<String, String> settings = new LinkedHashMap<>();
        private Path configFile;

        private Builder() {}

        /**
         * Reads a {@code config.json} first; settings made on this builder win over it. With a file, the
         * port is the file's (default 8080) unless {@link #port(int)} says otherwise. The web console
         * ({@code console.enabled}) stays off in-process unless the file or a setting turns it on.
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

        /** The key pair clients sign with (default {@link #DEFAULT_ACCESS_KEY}/{@link #DEFAULT_SECRET_KEY}); checked in strict mode only. */
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
         * Starts the server; it answers requests when this returns. A start that fails leaves nothing on
         * disk that it created (data directory, lock file, database, node directories, access log).
         *
         * @throws IllegalArgumentException when a setting is unknown or invalid (the message names it)
         * @throws UncheckedIOException     when the port cannot be bound, or the data directory, database or
         *                                  access log cannot be used; the message names the setting, its value
         *                                  and the cause, e.g. {@code mock-storage: could not start: server.port
         *                                  8080 on 127.0.0.1: address already in use (...)}, and the cause is
         *                                  the I/O error
         */
        public MockStorageServer start() {
            Map<String, String> effective = new LinkedHashMap<>();
            if (configFile == null) {
                effective.put("server.port", "0"); // ephemeral unless the file or a setting says otherwise
            }
            effective.putAll(settings);
            Config config = ConfigLoader.loadInProcess(configFile, effective);
            try {
                return new MockStorageServer(config);
            } catch (StartFailure e) {
                throw new UncheckedIOException(e.startMessage(), e.getCause() instanceof IOException io ? io : e);
            } catch (IOException e) {
                throw new UncheckedIOException(new StartFailure(String.valueOf(e.getMessage()), e).startMessage(), e);
            }
        }
    }
}
