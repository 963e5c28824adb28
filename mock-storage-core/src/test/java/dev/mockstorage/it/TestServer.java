package dev.mockstorage.it;

import dev.mockstorage.server.MockStorageServer;
import dev.mockstorage.testing.RawHttp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * One running {@link MockStorageServer} plus the clients a user would point at it: the SDK v2 sync
 * client (default HTTP client, Apache5), the async client (default, Netty) and {@link RawHttp}.
 * Clients are configured the way a user would: endpoint, path style, us-east-1, static
 * credentials, everything else at its default.
 *
 * <p>Two ways to get one. In a field marked {@link StartStop}, {@link #create()} declares a server
 * that JUnit starts in a temporary directory of its own and stops afterwards, the directory deleted:
 * a static field for one server per test class, an instance field for one per test. Where a test
 * needs the server's life in its own hands (a restart on the same data, settings of its own),
 * {@link #start(Path)} starts one at once and the caller closes it.
 */
final class TestServer implements AutoCloseable {

    private final UnaryOperator<MockStorageServer.Builder> customizer;
    private final String dataPath;
    private Path directory;
    private Path dataDirectory;
    private MockStorageServer server;
    private S3Client s3;
    private S3AsyncClient async;

    private TestServer(UnaryOperator<MockStorageServer.Builder> customizer, String dataPath) {
        this.customizer = customizer;
        this.dataPath = dataPath;
    }

    /** For a {@link StartStop} field: a server with default settings. */
    static TestServer create() {
        return create(UnaryOperator.identity());
    }

    /** For a {@link StartStop} field: a server whose builder is adjusted, e.g. {@code b -> b.autoCreateBuckets(true)}. */
    static TestServer create(UnaryOperator<MockStorageServer.Builder> customizer) {
        return new TestServer(customizer, "data");
    }

    /**
     * The same server with its data directory at this path inside its temporary directory (default
     * {@code data}), for tests that look at what lies above it.
     */
    TestServer withDataDirectory(String relativePath) {
        return new TestServer(customizer, relativePath);
    }

    /** A server with default settings on a fresh data directory and an ephemeral port; the caller closes it. */
    static TestServer start(Path dataDirectory) {
        return start(dataDirectory, UnaryOperator.identity());
    }

    /** A server whose builder the caller may adjust, e.g. {@code b -> b.autoCreateBuckets(true)}; the caller closes it. */
    static TestServer start(Path dataDirectory, UnaryOperator<MockStorageServer.Builder> customizer) {
        TestServer server = new TestServer(customizer, null);
        server.startOn(dataDirectory);
        return server;
    }

    /**
     * Starts in a new temporary directory; {@link #close()} stops the server and deletes the
     * directory. For {@link TestServerExtension}.
     */
    synchronized void startInTemporaryDirectory() throws IOException {
        if (server != null) {
            throw new IllegalStateException("already started on " + dataDirectory);
        }
        Path made = Files.createTempDirectory("mock-storage-test-");
        try {
            startOn(Files.createDirectories(made.resolve(dataPath)));
            directory = made;
        } catch (RuntimeException | IOException e) {
            try {
                deleteRecursively(made);
            } catch (UncheckedIOException notDeleted) {
                e.addSuppressed(notDeleted);
            }
            throw e;
        }
    }

    private synchronized void startOn(Path data) {
        MockStorageServer started = customizer
                .apply(MockStorageServer.builder().dataDirectory(data))
                .start();
        dataDirectory = data;
        server = started;
        s3 = S3Client.builder()
                .endpointOverride(started.endpoint())
                .forcePathStyle(true)
                .region(Region.US_EAST_1)
                .credentialsProvider(credentials(started))
                .build();
    }

    static StaticCredentialsProvider credentials(MockStorageServer server) {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(server.accessKey(), server.secretKey()));
    }

    synchronized MockStorageServer server() {
        if (server == null) {
            throw new IllegalStateException(
                    "the server is not running: mark its field @StartStop, or use TestServer.start(dir)");
        }
        return server;
    }

    /** The temporary directory made for a {@link StartStop} server, holding its data directory; deleted with it. */
    synchronized Path directory() {
        server();
        if (directory == null) {
            throw new IllegalStateException("a server started with TestServer.start(dir) has no directory of its own");
        }
        return directory;
    }

    synchronized Path dataDirectory() {
        server();
        return dataDirectory;
    }

    URI endpoint() {
        return server().endpoint();
    }

    /** {@code http://127.0.0.1:PORT} without a trailing slash, for URLs built by string concatenation. */
    String url() {
        String s = endpoint().toString();
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    synchronized S3Client s3() {
        server();
        return s3;
    }

    synchronized S3AsyncClient async() {
        if (async == null) {
            async = S3AsyncClient.builder()
                    .endpointOverride(endpoint())
                    .forcePathStyle(true)
                    .region(Region.US_EAST_1)
                    .credentialsProvider(credentials(server()))
                    .build();
        }
        return async;
    }

    RawHttp raw() {
        return new RawHttp(endpoint());
    }

    /** Creates a bucket through the SDK and returns its name. */
    String createBucket(String name) {
        s3().createBucket(b -> b.bucket(name));
        return name;
    }

    /** Stops the server and closes its clients; a {@link StartStop} server's directory is deleted. It may be started again. */
    @Override
    public synchronized void close() {
        if (server == null) {
            return;
        }
        try {
            try {
                s3.close();
                if (async != null) {
                    async.close();
                }
            } finally {
                server.close();
            }
        } finally {
            server = null;
            s3 = null;
            async = null;
            dataDirectory = null;
            if (directory != null) {
                Path made = directory;
                directory = null;
                deleteRecursively(made);
            }
        }
    }

    /** Closes quietly a fixture that may never have started (the server failed in {@code @BeforeAll}). */
    static void closeQuietly(TestServer server) {
        if (server != null) {
            server.close();
        }
    }

    private static void deleteRecursively(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete the test server's directory " + root, e);
        }
    }
}
