package dev.mockstorage.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.mockstorage.server.MockStorageServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Read-through from a REAL HTTP upstream (the JDK's HttpServer on port 0), driven with the AWS SDK:
 * what is fetched, what is stored where, and what the client sees when the upstream fails.
 */
class ThirdPartyReadThroughTest {

    @TempDir
    Path dir;

    private HttpServer upstream;
    private final Map<String, Handler> objects = new ConcurrentHashMap<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private TestServer server;

    interface Handler {
        void handle(HttpExchange exchange) throws Exception;
    }

    @BeforeEach
    void startUpstream() throws IOException {
        upstream = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        upstream.setExecutor(Executors.newCachedThreadPool());
        upstream.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getRawPath();
            requests.add(exchange.getRequestMethod() + " " + path);
            try {
                Handler h = objects.get(path);
                if (h == null) {
                    exchange.sendResponseHeaders(404, -1);
                } else {
                    h.handle(exchange);
                }
            } catch (Exception e) {
                // the client went away
            } finally {
                exchange.close();
            }
        });
        upstream.start();
    }

    @AfterEach
    void stop() {
        release.countDown();
        if (server != null) {
            server.close();
        }
        upstream.stop(0);
    }

    private String template() {
        return "http://127.0.0.1:" + upstream.getAddress().getPort() + "/{bucket}/{key}";
    }

    private TestServer start(UnaryOperator<MockStorageServer.Builder> more) {
        server = TestServer.start(dir.resolve("data"), b -> more.apply(b.setting("third_party.url", template())));
        server.s3().createBucket(b -> b.bucket("photos"));
        return server;
    }

    private TestServer start() {
        return start(UnaryOperator.identity());
    }

    private void serve(String path, byte[] body, String... headers) {
        objects.put(path, exchange -> {
            for (int i = 0; i < headers.length; i += 2) {
                exchange.getResponseHeaders().add(headers[i], headers[i + 1]);
            }
            exchange.sendResponseHeaders(200, body.length == 0 ? -1 : body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
    }

    private S3Client noRetries() {
        return S3Client.builder()
                .endpointOverride(server.endpoint())
                .forcePathStyle(true)
                .region(Region.US_EAST_1)
                .credentialsProvider(TestServer.credentials(server.server()))
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    private List<Path> blobFiles(String node) throws IOException {
        Path blobs = dir.resolve("data").resolve(node).resolve("blobs");
        if (!Files.exists(blobs)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(blobs)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }

    @Test
    void aMissIsFetchedOnceStoredOnEveryNodeAndServedWithTheUpstreamHeaders() throws IOException {
        start();
        byte[] body = "a cat, upstream".getBytes(StandardCharsets.UTF_8);
        serve(
                "/photos/cat.jpg",
                body,
                "Content-Type",
                "image/jpeg",
                "Cache-Control",
                "max-age=60",
                "x-amz-meta-origin",
                "archive",
                "X-Other",
                "not stored");

        ResponseBytes<GetObjectResponse> first =
                server.s3().getObjectAsBytes(b -> b.bucket("photos").key("cat.jpg"));
        assertArrayEquals(body, first.asByteArray());
        assertEquals("image/jpeg", first.response().contentType());
        assertEquals("max-age=60", first.response().cacheControl());
        assertEquals(Map.of("origin", "archive"), first.response().metadata());

        ResponseBytes<GetObjectResponse> second =
                server.s3().getObjectAsBytes(b -> b.bucket("photos").key("cat.jpg"));
        assertArrayEquals(body, second.asByteArray());
        assertEquals(first.response().eTag(), second.response().eTag());
        assertEquals(List.of("GET /photos/cat.jpg"), requests, "the second GET is served from storage");

        server.server().awaitIdle(Duration.ofSeconds(5));
        for (String node : List.of("stg1", "stg2", "stg3")) {
            List<Path> files = blobFiles(node);
            assertEquals(1, files.size(), node + " holds the fetched object");
            assertArrayEquals(body, Files.readAllBytes(files.get(0)));
        }
        assertEquals(
                List.of("cat.jpg"),
                server.s3().listObjectsV2(b -> b.bucket("photos")).contents().stream()
                        .map(o -> o.key())
                        .toList(),
                "the object is listed like any uploaded one");
    }

    @Test
    void aHeadMissFetchesWithGetAndStores() {
        start();
        serve("/photos/h.txt", "12345".getBytes(StandardCharsets.UTF_8), "Content-Type", "text/plain");
        HeadObjectResponse head = server.s3().headObject(b -> b.bucket("photos").key("h.txt"));
        assertEquals(5L, head.contentLength());
        assertEquals("text/plain", head.contentType());
        assertEquals(List.of("GET /photos/h.txt"), requests);
        assertEquals(
                "12345",
                server.s3()
                        .getObjectAsBytes(b -> b.bucket("photos").key("h.txt"))
                        .asUtf8String());
        assertEquals(1, requests.size());
    }

    @Test
    void keysArePercentEncodedPerSegmentAndConfiguredHeadersAreSent() {
        List<String> auth = new CopyOnWriteArrayList<>();
        start(b -> b.setting("third_party.headers", "Authorization=Bearer t0ken"));
        objects.put(
                "/photos/dir/a%20b%2Bc%C3%A9.txt",
                exchange -> {
                    auth.add(exchange.getRequestHeaders().getFirst("Authorization"));
                    exchange.sendResponseHeaders(200, 2);
                    exchange.getResponseBody().write("ok".getBytes(StandardCharsets.UTF_8));
                });
        assertEquals(
                "ok",
                server.s3()
                        .getObjectAsBytes(b -> b.bucket("photos").key("dir/a b+cé.txt"))
                        .asUtf8String());
        assertEquals(List.of("Bearer t0ken"), auth);
    }

    @Test
    void upstream404IsNoSuchKeyAndNothingIsStored() {
        start();
        assertThrows(
                NoSuchKeyException.class,
                () -> server.s3().getObjectAsBytes(b -> b.bucket("photos").key("absent")));
        assertEquals(List.of("GET /photos/absent"), requests);
        assertTrue(server.s3().listObjectsV2(b -> b.bucket("photos")).contents().isEmpty());
    }

    @Test
    void upstream500IsRetriedThenAnErrorNamingTheUpstreamAndNothingIsStored() throws Exception {
        start(b -> b.setting("third_party.retries", "2"));
        objects.put("/photos/broken", exchange -> exchange.sendResponseHeaders(500, -1));
        S3Exception e = assertThrows(
                S3Exception.class,
                () -> noRetries().getObjectAsBytes(b -> b.bucket("photos").key("broken")));
        assertEquals(503, e.statusCode());
        assertEquals("ServiceUnavailable", e.awsErrorDetails().errorCode());
        assertTrue(
                e.awsErrorDetails()
                        .errorMessage()
                        .contains("third-party source http://127.0.0.1:"
                                + upstream.getAddress().getPort() + "/photos/broken answered 500"),
                e.awsErrorDetails().errorMessage());
        assertEquals(3, requests.size(), "one call and two retries");
        assertTrue(server.s3().listObjectsV2(b -> b.bucket("photos")).contents().isEmpty());
        assertTrue(blobFiles("stg1").isEmpty());
    }

    @Test
    void aSilentUpstreamTimesOutWithAnErrorSayingSo() {
        start(b -> b.setting("third_party.timeout_ms", "300"));
        objects.put("/photos/slow", exchange -> release.await(30, TimeUnit.SECONDS));
        S3Exception e = assertThrows(
                S3Exception.class,
                () -> noRetries().getObjectAsBytes(b -> b.bucket("photos").key("slow")));
        assertEquals(503, e.statusCode());
        assertTrue(
                e.awsErrorDetails().errorMessage().contains("/photos/slow did not answer: timed out after 300 ms"),
                e.awsErrorDetails().errorMessage());
        assertEquals(1, requests.size(), "timeouts are not retried");
    }

    @Test
    void concurrentMissesOfOneKeyMakeOneUpstreamCall() throws Exception {
        start();
        byte[] body = "shared".getBytes(StandardCharsets.UTF_8);
        CountDownLatch arrived = new CountDownLatch(1);
        objects.put("/photos/hot", exchange -> {
            arrived.countDown();
            release.await(30, TimeUnit.SECONDS);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        });
        ExecutorService clients = Executors.newFixedThreadPool(8);
        try {
            List<Future<byte[]>> results = new ArrayList<>();
            CountDownLatch started = new CountDownLatch(8);
            for (int i = 0; i < 8; i++) {
                results.add(clients.submit(() -> {
                    started.countDown();
                    return server.s3()
                            .getObjectAsBytes(b -> b.bucket("photos").key("hot"))
                            .asByteArray();
                }));
            }
            assertTrue(started.await(10, TimeUnit.SECONDS));
            assertTrue(arrived.await(10, TimeUnit.SECONDS));
            // while the first fetch is held, the other seven misses must not call the upstream
            await().during(Duration.ofMillis(150)).atMost(Duration.ofSeconds(2)).until(() -> requests.size() == 1);
            release.countDown();
            for (Future<byte[]> f : results) {
                assertArrayEquals(body, f.get(10, TimeUnit.SECONDS));
            }
        } finally {
            clients.shutdownNow();
        }
        assertEquals(List.of("GET /photos/hot"), requests);
    }

    @Test
    void aLargeUpstreamBodyIsStreamedThrough() throws Exception {
        start();
        long size = 50L * 1024 * 1024;
        MessageDigest sent = MessageDigest.getInstance("MD5");
        objects.put("/photos/big.bin", exchange -> {
            exchange.sendResponseHeaders(200, size);
            byte[] chunk = new byte[64 * 1024];
            try (OutputStream out = exchange.getResponseBody()) {
                for (long written = 0; written < size; written += chunk.length) {
                    for (int i = 0; i < chunk.length; i++) {
                        chunk[i] = (byte) ((written + i) * 31);
                    }
                    sent.update(chunk);
                    out.write(chunk);
                }
            }
        });
        MessageDigest got = MessageDigest.getInstance("MD5");
        long read = 0;
        try (ResponseInputStream<GetObjectResponse> in =
                server.s3().getObject(b -> b.bucket("photos").key("big.bin"))) {
            assertEquals(size, in.response().contentLength());
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) > 0; ) {
                got.update(buffer, 0, n);
                read += n;
            }
        }
        assertEquals(size, read);
        assertArrayEquals(sent.digest(), got.digest());
    }

    @Test
    void onlyListedBucketsReadThroughAndABucketMayHaveItsOwnTemplate() {
        String own = "http://127.0.0.1:" + upstream.getAddress().getPort() + "/archive/{key}";
        start(b -> b.setting("third_party.buckets", "photos,docs=" + own));
        server.s3().createBucket(b -> b.bucket("docs"));
        server.s3().createBucket(b -> b.bucket("private"));
        serve("/archive/readme.txt", "doc".getBytes(StandardCharsets.UTF_8));
        serve("/private/x", "never".getBytes(StandardCharsets.UTF_8));

        assertEquals(
                "doc",
                server.s3()
                        .getObjectAsBytes(b -> b.bucket("docs").key("readme.txt"))
                        .asUtf8String());
        assertThrows(
                NoSuchKeyException.class,
                () -> server.s3().getObjectAsBytes(b -> b.bucket("private").key("x")));
        assertEquals(List.of("GET /archive/readme.txt"), requests);
    }

    @Test
    void aMissInAnAbsentBucketIsNoSuchBucketWithoutACall() {
        start();
        S3Exception e = assertThrows(
                S3Exception.class,
                () -> server.s3().getObjectAsBytes(b -> b.bucket("nope").key("k")));
        assertEquals("NoSuchBucket", e.awsErrorDetails().errorCode());
        assertTrue(requests.isEmpty());
    }

    @Test
    void aContentMd5ThatDoesNotMatchTheBodyStoresNothing() throws Exception {
        start();
        serve("/photos/bad-md5", "body".getBytes(StandardCharsets.UTF_8), "Content-MD5", "AAAAAAAAAAAAAAAAAAAAAA==");
        HttpResponse<String> r = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(server.url() + "/photos/bad-md5"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertEquals(503, r.statusCode());
        assertTrue(r.body().contains("sent a broken body for photos/bad-md5"), r.body());
        assertTrue(server.s3().listObjectsV2(b -> b.bucket("photos")).contents().isEmpty());
    }

    @Test
    void withReadThroughOffAMissIsNoSuchKeyAndScriptingIsRefused() {
        start(b -> b.setting("third_party.enabled", "false"));
        serve("/photos/k", "x".getBytes(StandardCharsets.UTF_8));
        assertThrows(
                NoSuchKeyException.class,
                () -> server.s3().getObjectAsBytes(b -> b.bucket("photos").key("k")));
        assertTrue(requests.isEmpty());
        IllegalStateException e = assertThrows(
                IllegalStateException.class,
                () -> server.server().thirdParty().loadScripts("{\"response\": {\"status\": 200}}"));
        assertTrue(e.getMessage().contains("third_party.enabled=false"), e.getMessage());
    }

    @SuppressWarnings("unused")
    private static byte[] readAll(InputStream in) throws IOException {
        return in.readAllBytes();
    }
}
