package dev.mockstorage.internal.config;

import java.nio.file.Path;
import java.util.List;

/**
 * The validated configuration the server runs with. Every field has a default; see
 * {@link ConfigLoader} for how {@code config.json}, environment variables and command-line
 * settings produce it. Paths are absolute.
 */
public record Config(Server server, Storage storage, Database database, Queue queue) {

    /** {@code server.host} (default 127.0.0.1), {@code server.port} (default 8080; 0 = ephemeral). */
    public record Server(String host, int port) {
    }

    /**
     * {@code storage.data_dir} (default ./data), {@code storage.nodes} (default stg1..stg3 under the
     * data dir), {@code storage.auto_create_buckets} (default false), {@code storage.fsync} (default false),
     * {@code storage.buckets} (created at start; default none; names not validated here but by the server).
     */
    public record Storage(Path dataDir, List<Node> nodes, boolean autoCreateBuckets, boolean fsync, List<String> buckets) {

        /** Without buckets to create at start. */
        public Storage(Path dataDir, List<Node> nodes, boolean autoCreateBuckets, boolean fsync) {
            this(dataDir, nodes, autoCreateBuckets, fsync, List.of());
        }
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
}
