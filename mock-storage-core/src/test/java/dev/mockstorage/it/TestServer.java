package dev.mockstorage.it;

import dev.mockstorage.server.MockStorageServer;
import dev.mockstorage.testing.RawHttp;
import java.net.URI;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
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
 */
final class TestServer implements AutoCloseable {

    private final MockStorageServer server;
    private final S3Client s3;
    private S3AsyncClient async;

    private TestServer(MockStorageServer server) {
        this.server = server;
        this.s3 = S3Client.builder()
                .endpointOverride(server.endpoint())
                .forcePathStyle(true)
                .region(Region.US_EAST_1)
                .credentialsProvider(credentials(server))
                .build();
    }

    /** A server with default settings on a fresh data directory and an ephemeral port. */
    static TestServer start(Path dataDirectory) {
        return start(dataDirectory, UnaryOperator.identity());
    }

    /** A server whose builder the caller may adjust, e.g. {@code b -> b.autoCreateBuckets(true)}. */
    static TestServer start(Path dataDirectory, UnaryOperator<MockStorageServer.Builder> customizer) {
        MockStorageServer server = customizer.apply(MockStorageServer.builder().dataDirectory(dataDirectory)).start();
        return new TestServer(server);
    }

    static StaticCredentialsProvider credentials(MockStorageServer server) {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(server.accessKey(), server.secretKey()));
    }

    MockStorageServer server() {
        return server;
    }

    URI endpoint() {
        return server.endpoint();
    }

    /** {@code http://127.0.0.1:PORT} without a trailing slash, for URLs built by string concatenation. */
    String url() {
        String s = server.endpoint().toString();
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    S3Client s3() {
        return s3;
    }

    synchronized S3AsyncClient async() {
        if (async == null) {
            async = S3AsyncClient.builder()
                    .endpointOverride(server.endpoint())
                    .forcePathStyle(true)
                    .region(Region.US_EAST_1)
                    .credentialsProvider(credentials(server))
                    .build();
        }
        return async;
    }

    RawHttp raw() {
        return new RawHttp(server.endpoint());
    }

    /** Creates a bucket through the SDK and returns its name. */
    String createBucket(String name) {
        s3.createBucket(b -> b.bucket(name));
        return name;
    }

    @Override
    public void close() {
        try {
            s3.close();
            synchronized (this) {
                if (async != null) {
                    async.close();
                }
            }
        } finally {
            server.close();
        }
    }

    /** Closes quietly a fixture that may never have started (the server failed in {@code @BeforeAll}). */
    static void closeQuietly(TestServer server) {
        if (server != null) {
            server.close();
        }
    }
}
