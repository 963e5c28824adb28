package dev.mockstorage.internal.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The validated configuration the server runs with, grouped by what reads it. Each component is a
 * {@link Setting} (its default and meaning are declared there) or a value resolved from several (see
 * {@link ConfigResolver}); the shorter constructors take the rest from the declared defaults. Paths are
 * absolute.
 */
public record Config(
        Server server,
        Storage storage,
        Database database,
        Queue queue,
        ThirdParty thirdParty,
        Observe observe,
        Auth auth,
        boolean console) {

    /** With the web console at its declared default (the jar's: on). */
    public Config(
            Server server,
            Storage storage,
            Database database,
            Queue queue,
            ThirdParty thirdParty,
            Observe observe,
            Auth auth) {
        this(server, storage, database, queue, thirdParty, observe, auth, Setting.CONSOLE_ENABLED.defaultValue());
    }

    /** With authentication at its default (open: any credentials accepted). */
    public Config(
            Server server, Storage storage, Database database, Queue queue, ThirdParty thirdParty, Observe observe) {
        this(server, storage, database, queue, thirdParty, observe, Auth.DEFAULTS);
    }

    /** A configuration with the third-party read-through and observation at their defaults. */
    public Config(Server server, Storage storage, Database database, Queue queue) {
        this(server, storage, database, queue, ThirdParty.DEFAULTS, Observe.DEFAULTS);
    }

    /**
     * {@code server.host}, {@code server.port} (0 = ephemeral), {@code server.domain} (lower case),
     * {@code server.max_connections}, {@code server.head_timeout_ms}.
     */
    public record Server(String host, int port, List<String> domains, int maxConnections, int headTimeoutMs) {
        /** With the declared connection limit and head timeout. */
        public Server(String host, int port, List<String> domains) {
            this(
                    host,
                    port,
                    domains,
                    Setting.SERVER_MAX_CONNECTIONS.defaultValue(),
                    Setting.SERVER_HEAD_TIMEOUT_MS.defaultValue());
        }

        /** With the default service domains, connection limit and head timeout. */
        public Server(String host, int port) {
            this(host, port, Setting.SERVER_DOMAIN.defaultValue());
        }
    }

    /**
     * {@code storage.data_dir}, {@code storage.nodes}, {@code storage.auto_create_buckets}, {@code storage.fsync},
     * {@code storage.buckets} (created at start; names not validated here but by the server) and the
     * consistency settings.
     */
    public record Storage(
            Path dataDir,
            List<Node> nodes,
            boolean autoCreateBuckets,
            boolean fsync,
            List<String> buckets,
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
     * {@code storage.write_quorum} (0: not set, every node), {@code storage.check_interval_ms},
     * {@code storage.orphan_grace_ms}, {@code storage.abandoned_upload_ms}.
     */
    public record Consistency(int writeQuorum, long checkIntervalMs, long orphanGraceMs, long abandonedUploadMs) {
        /** Every node, and the declared defaults. */
        public static final Consistency DEFAULTS = new Consistency(
                0,
                Setting.STORAGE_CHECK_INTERVAL_MS.defaultValue(),
                Setting.STORAGE_ORPHAN_GRACE_MS.defaultValue(),
                Setting.STORAGE_ABANDONED_UPLOAD_MS.defaultValue());
    }

    /** One node: {@code id} and the directory {@code path}. */
    public record Node(String id, Path path) {}

    /** {@code database.driver}, {@code database.dsn} resolved to the database file. */
    public record Database(String driver, Path file) {}

    /** {@code queue.size}, {@code queue.workers} (0: none), {@code queue.full_wait_ms}. */
    public record Queue(int size, int workers, int fullWaitMs) {
        /** With the default {@code queue.full_wait_ms}. */
        public Queue(int size, int workers) {
            this(size, workers, Setting.QUEUE_FULL_WAIT_MS.defaultValue());
        }
    }

    /**
     * {@code third_party.*}: read-through of missing objects. {@code url} (template with {@code {bucket}}
     * and {@code {key}}; null: the in-process scripted upstream), {@code buckets} (null: every bucket),
     * {@code headers} sent on every fetch, {@code timeoutMs}, {@code retries}, {@code scripts} (a JSON
     * script file loaded at start, or null).
     */
    public record ThirdParty(
            boolean enabled,
            String url,
            List<Bucket> buckets,
            Map<String, String> headers,
            int timeoutMs,
            int retries,
            Path scripts) {
        /** Every field at its default. */
        public static final ThirdParty DEFAULTS = new ThirdParty(
                Setting.THIRD_PARTY_ENABLED.defaultValue(),
                null,
                null,
                Map.of(),
                Setting.THIRD_PARTY_TIMEOUT_MS.defaultValue(),
                Setting.THIRD_PARTY_RETRIES.defaultValue(),
                null);
    }

    /** A bucket that reads through: its {@code name} and its own URL template, or null for {@code third_party.url}. */
    public record Bucket(String name, String url) {}

    /**
     * {@code journal.size} (0 = off), {@code metrics.enabled}, {@code log.access}: null when off,
     * {@link #STDOUT}, or an absolute file path.
     */
    public record Observe(int journalSize, boolean metricsEnabled, String accessLog) {
        /** The value of {@link #accessLog()} that means standard output. */
        public static final String STDOUT = "stdout";
        /** The declared defaults: no access log. */
        public static final Observe DEFAULTS =
                new Observe(Setting.JOURNAL_SIZE.defaultValue(), Setting.METRICS_ENABLED.defaultValue(), null);
    }

    /**
     * {@code auth.mode}: {@code strict} checks Signature Version 4 on every S3 request (open: any credentials
     * accepted); {@code auth.access_key}/{@code auth.secret_key}: the one key pair clients sign with.
     */
    public record Auth(boolean strict, String accessKey, String secretKey) {
        /** The declared defaults: open mode, the default keys. */
        public static final Auth DEFAULTS = new Auth(
                Setting.authMode(Setting.AUTH_MODE.defaultValue()),
                Setting.AUTH_ACCESS_KEY.defaultValue(),
                Setting.AUTH_SECRET_KEY.defaultValue());
    }
}
