package dev.mockstorage.internal.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The validated configuration the server runs with. Every field has a default; see
 * {@link ConfigLoader} for how {@code config.json}, environment variables and command-line
 * settings produce it. Paths are absolute.
 */
public record Config(Server server, Storage storage, Database database, Queue queue, ThirdParty thirdParty,
                     Observe observe, Auth auth) {

    /** With authentication at its default (open: any credentials accepted). */
    public Config(Server server, Storage storage, Database database, Queue queue, ThirdParty thirdParty, Observe observe) {
        this(server, storage, database, queue, thirdParty, observe, Auth.DEFAULTS);
    }

    /** A configuration with the third-party read-through and observation at their defaults. */
    public Config(Server server, Storage storage, Database database, Queue queue) {
        this(server, storage, database, queue, ThirdParty.DEFAULTS, Observe.DEFAULTS);
    }

    /**
     * {@code server.host} (default 127.0.0.1), {@code server.port} (default 8080; 0 = ephemeral),
     * {@code server.domain} (virtual-host-style service domains, lower case; default {@code localhost}),
     * {@code server.max_connections} (default 1000), {@code server.head_timeout_ms} (default 10000).
     */
    public record Server(String host, int port, List<String> domains, int maxConnections, int headTimeoutMs) {
        /** The default service domains. */
        public static final List<String> DEFAULT_DOMAINS = List.of("localhost");
        /** Default of {@code server.max_connections}: above a parallel test suite's client pools (the SDK's holds 50). */
        public static final int DEFAULT_MAX_CONNECTIONS = 1000;
        /** Default of {@code server.head_timeout_ms}. */
        public static final int DEFAULT_HEAD_TIMEOUT_MS = 10_000;

        /** With the default connection limit and head timeout. */
        public Server(String host, int port, List<String> domains) {
            this(host, port, domains, DEFAULT_MAX_CONNECTIONS, DEFAULT_HEAD_TIMEOUT_MS);
        }

        /** With the default service domain, connection limit and head timeout. */
        public Server(String host, int port) {
            this(host, port, DEFAULT_DOMAINS);
        }
    }

    /**
     * {@code storage.data_dir} (default ./data), {@code storage.nodes} (default stg1..stg3 under the
     * data dir), {@code storage.auto_create_buckets} (default false), {@code storage.fsync} (default false),
     * {@code storage.buckets} (created at start; default none; names not validated here but by the server).
     */
    public record Storage(Path dataDir, List<Node> nodes, boolean autoCreateBuckets, boolean fsync, List<String> buckets,
                          Consistency consistency) {

        /** With the consistency settings at their defaults. */
        public Storage(Path dataDir, List<Node> nodes, boolean autoCreateBuckets, boolean fsync, List<String> buckets) {
            this(dataDir, nodes, autoCreateBuckets, fsync, buckets, Consistency.DEFAULTS);
        }

        /** Without buckets to create at start. */
        public Storage(Path dataDir, List<Node> nodes, boolean autoCreateBuckets, boolean fsync) {
            this(dataDir, nodes, autoCreateBuckets, fsync, List.of());
        }

        /** {@code storage.write_quorum} resolved: the node count when it is not set. */
        public int writeQuorum() {
            return consistency.writeQuorum() == 0 ? nodes.size() : consistency.writeQuorum();
        }
    }

    /**
     * {@code storage.write_quorum} (0: every node, the default), {@code storage.check_interval_ms}
     * (0: no periodic check, the default), {@code storage.orphan_grace_ms} (default 60000),
     * {@code storage.abandoned_upload_ms} (default a day; 0: never).
     */
    public record Consistency(int writeQuorum, long checkIntervalMs, long orphanGraceMs, long abandonedUploadMs) {
        /** Every node, no periodic check, orphans removed after a minute, uploads aborted after a day. */
        public static final Consistency DEFAULTS = new Consistency(0, 0, 60_000, 86_400_000);
    }

    /** One node: {@code id} and the directory {@code path}. */
    public record Node(String id, Path path) {
    }

    /** {@code database.driver} (only {@code sqlite}/{@code sqlite3}), {@code database.dsn} (the file; default data_dir/metadata.db). */
    public record Database(String driver, Path file) {
    }

    /**
     * {@code queue.size} (default 1000), {@code queue.workers} (default 2; 0: none),
     * {@code queue.full_wait_ms} (default 10000).
     */
    public record Queue(int size, int workers, int fullWaitMs) {
        /** Default for {@code queue.full_wait_ms}. */
        public static final int DEFAULT_FULL_WAIT_MS = 10_000;

        /** With the default {@code queue.full_wait_ms}. */
        public Queue(int size, int workers) {
            this(size, workers, DEFAULT_FULL_WAIT_MS);
        }
    }

    /**
     * {@code third_party.*}: read-through of missing objects. {@code enabled} (default true), {@code url}
     * (template with {@code {bucket}} and {@code {key}}; null: the in-process scripted upstream),
     * {@code buckets} (null: every bucket), {@code headers} sent on every fetch, {@code timeoutMs}
     * (connect, response head and body idle; default 5000), {@code retries} (on connection errors and
     * 5xx; default 2), {@code scripts} (a JSON script file loaded at start, or null).
     */
    public record ThirdParty(boolean enabled, String url, List<Bucket> buckets, Map<String, String> headers,
                             int timeoutMs, int retries, Path scripts) {
        /** Every field at its default. */
        public static final ThirdParty DEFAULTS = new ThirdParty(true, null, null, Map.of(), 5000, 2, null);
    }

    /** A bucket that reads through: its {@code name} and its own URL template, or null for {@code third_party.url}. */
    public record Bucket(String name, String url) {
    }

    /**
     * {@code journal.size} (default 1000; 0 = off), {@code metrics.enabled} (default true),
     * {@code log.access}: null when off, {@code "stdout"}, or an absolute file path.
     */
    public record Observe(int journalSize, boolean metricsEnabled, String accessLog) {
        /** The value of {@link #accessLog()} that means standard output. */
        public static final String STDOUT = "stdout";
        /** Journal of 1000 requests, metrics on, no access log. */
        public static final Observe DEFAULTS = new Observe(1000, true, null);
    }

    /**
     * {@code auth.mode}: {@code strict} checks Signature Version 4 on every S3 request (default open: any
     * credentials accepted); {@code auth.access_key}/{@code auth.secret_key}: the one key pair clients sign with.
     */
    public record Auth(boolean strict, String accessKey, String secretKey) {
        /** Default access key id (also {@code MockStorageServer.ACCESS_KEY}). */
        public static final String DEFAULT_ACCESS_KEY = "mock-access-key";
        /** Default secret key (also {@code MockStorageServer.SECRET_KEY}). */
        public static final String DEFAULT_SECRET_KEY = "mock-secret-key";
        /** Open mode with the default keys. */
        public static final Auth DEFAULTS = new Auth(false, DEFAULT_ACCESS_KEY, DEFAULT_SECRET_KEY);
    }
}
