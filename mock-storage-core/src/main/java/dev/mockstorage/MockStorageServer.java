package dev.mockstorage;

import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

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
 * Many instances may run in one JVM; nothing is global or static.
 */
public final class MockStorageServer implements AutoCloseable {

    /** The region the server reports; any region a client signs with is accepted. */
    public static final String REGION = "us-east-1";
    /** Access key clients may use (any is accepted unless strict auth is configured). */
    public static final String ACCESS_KEY = "mock-access-key";
    /** Secret key matching {@link #ACCESS_KEY}. */
    public static final String SECRET_KEY = "mock-secret-key";

    private MockStorageServer() {
        throw new UnsupportedOperationException("TODO");
    }

    /** A builder with every setting at its default, except port 0 (ephemeral). */
    public static Builder builder() {
        return new Builder();
    }

    /** {@code http://host:port}, for path-style S3 clients. */
    public URI endpoint() {
        throw new UnsupportedOperationException("TODO");
    }

    /** The port the server listens on. */
    public int port() {
        throw new UnsupportedOperationException("TODO");
    }

    public String region() {
        return REGION;
    }

    public String accessKey() {
        return ACCESS_KEY;
    }

    public String secretKey() {
        return SECRET_KEY;
    }

    /** The data directory (nodes and database live below it unless configured elsewhere). */
    public Path dataDirectory() {
        throw new UnsupportedOperationException("TODO");
    }

    /** Stops serving and releases files and threads. Idempotent. */
    @Override
    public void close() {
        throw new UnsupportedOperationException("TODO");
    }

    /** Settings for a server; every one has a default. */
    public static final class Builder {
        private final Map<String, String> settings = new LinkedHashMap<>();
        private Path configFile;

        private Builder() {
            settings.put("server.port", "0");
        }

        /** Reads a {@code config.json} first; settings made on this builder win over it. */
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
         * Any setting by its dotted config.json name, e.g. {@code queue.workers} = {@code 4}.
         * Unknown names and bad values fail at {@link #start()} naming the setting.
         */
        public Builder setting(String name, String value) {
            settings.put(name, value);
            return this;
        }

        /** Starts the server; it answers requests when this returns. */
        public MockStorageServer start() {
            throw new UnsupportedOperationException("TODO");
        }
    }
}
