package dev.mockstorage.internal.config;

import java.nio.file.Path;
import java.util.List;

/**
 * The validated configuration the server runs with. Every field has a default; see
 * {@link ConfigLoader} for how {@code config.json}, environment variables and command-line
 * settings produce it. Paths are absolute.
 */
public record Config(Server server, Storage storage, Database database, Queue queue, Observe observe) {

    /** {@code server.host} (default 127.0.0.1), {@code server.port} (default 8080; 0 = ephemeral). */
    public record Server(String host, int port) {
    }

    /**
     * {@code storage.data_dir} (default ./data), {@code storage.nodes} (default stg1..stg3 under the
     * data dir), {@code storage.auto_create_buckets} (default false), {@code storage.fsync} (default false).
     */
    public record Storage(Path dataDir, List<Node> nodes, boolean autoCreateBuckets, boolean fsync) {
    }

    /** One node: {@code id} and the directory {@code path}. */
    public record Node(String id, Path path) {
    }

    /** {@code database.driver} (only {@code sqlite}/{@code sqlite3}), {@code database.dsn} (the file; default data_dir/metadata.db). */
    public record Database(String driver, Path file) {
    }

    /** {@code queue.size} (default 1000), {@code queue.workers} (default 2). */
    public record Queue(int size, int workers) {
    }

    /**
     * {@code journal.size} (default 1000; 0 = off), {@code metrics.enabled} (default true),
     * {@code log.access}: null when off, {@code "stdout"}, or an absolute file path.
     */
    public record Observe(int journalSize, boolean metricsEnabled, String accessLog) {
        /** The value of {@link #accessLog()} that means standard output. */
        public static final String STDOUT = "stdout";
    }
}
