package dev.mockstorage.it;

import static dev.mockstorage.it.TestData.random;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mockstorage.MockStorageRuntime;
import dev.mockstorage.StorageNodes;
import dev.mockstorage.server.MockStorageServer;
import dev.mockstorage.thirdparty.Match;
import dev.mockstorage.thirdparty.Reply;
import dev.mockstorage.thirdparty.ThirdPartyScript;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * {@link MockStorageRuntime} in-process: nodes taken down, slowed and corrupted through
 * {@link StorageNodes}, with S3 traffic from the AWS SDK; reset, createBucket and putObject.
 */
class FaultInjectionTest {
    private static final Duration IDLE = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private static byte[] get(S3Client s3, String key) {
        return s3.getObjectAsBytes(b -> b.bucket("bkt").key(key)).asByteArray();
    }

    private static void put(S3Client s3, String key, byte[] content) {
        s3.putObject(b -> b.bucket("bkt").key(key), RequestBody.fromBytes(content));
    }

    private static S3Client withoutRetries(MockStorageServer server) {
        return S3Client.builder()
                .endpointOverride(server.endpoint())
                .forcePathStyle(true)
                .region(Region.US_EAST_1)
                .credentialsProvider(TestServer.credentials(server))
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    /** Blob file names on one node. */
    private Set<String> blobs(String node) throws IOException {
        try (Stream<Path> files = Files.walk(dir.resolve(node).resolve("blobs"))) {
            return files.filter(Files::isRegularFile)
                    .map(p -> p.getFileName().toString())
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }

    private Path blobFile(String node, String blobId) {
        return dir.resolve(node)
                .resolve("blobs")
                .resolve(blobId.substring(0, 2))
                .resolve(blobId);
    }

    /** The blob file of the only object stored so far, on {@code node}. */
    private Path onlyBlob(String node) throws IOException {
        Set<String> ids = blobs(node);
        assertEquals(1, ids.size(), node + " holds one blob: " + ids);
        return blobFile(node, ids.iterator().next());
    }

    private static String health(MockStorageServer server) throws IOException, InterruptedException {
        HttpResponse<String> r = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(server.endpoint() + "/health"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        return r.body();
    }

    @Test
    void aNodeTakenDownIsSkippedByReadsAndWritesAndHealthSaysDegraded() throws Exception {
        // write quorum 2 of 3: a write goes on without the node that is down (the default needs every node)
        try (TestServer ts = TestServer.start(dir, b -> b.setting("storage.write_quorum", "2"))) {
            MockStorageServer server = ts.server();
            server.createBucket("bkt");
            byte[] before = random(5000, 1);
            put(ts.s3(), "before", before);
            server.awaitIdle(IDLE);

            server.nodes().down("stg1");
            StorageNodes.Node stg1 = server.nodes().list().get(0);
            assertEquals("stg1", stg1.id());
            assertFalse(stg1.up());
            assertTrue(stg1.reason().contains("fault injection"), stg1.reason());
            assertTrue(health(server).contains("DEGRADED"), "health while stg1 is down");

            assertArrayEquals(before, get(ts.s3(), "before"), "served from stg2");
            Set<String> onStg1 = blobs("stg1");
            byte[] during = random(3000, 2);
            put(ts.s3(), "during", during);
            assertEquals(onStg1, blobs("stg1"), "the write skipped stg1");
            assertEquals(blobs("stg1").size() + 1, blobs("stg2").size());

            server.nodes().up("stg1");
            assertTrue(server.nodes().list().stream().allMatch(StorageNodes.Node::up));
            assertTrue(health(server).contains("\"UP\""), "health once stg1 is back");
            assertArrayEquals(during, get(ts.s3(), "during"), "stg1 lacks it: served from stg2, repair queued");
            server.awaitIdle(IDLE);
            assertEquals(blobs("stg2"), blobs("stg1"), "the read repaired stg1");
        }
    }

    @Test
    void aSlowNodeDelaysTheReadsAndWritesThatUseIt() {
        try (TestServer ts = TestServer.start(dir)) {
            MockStorageServer server = ts.server();
            server.createBucket("bkt");
            put(ts.s3(), "k", random(4096, 3));
            get(ts.s3(), "k"); // connection and code warmed up

            Duration delay = Duration.ofMillis(300);
            server.nodes().slow("stg1", delay);
            assertEquals(delay, server.nodes().list().get(0).delay());
            long start = System.nanoTime();
            get(ts.s3(), "k");
            long readNanos = System.nanoTime() - start;
            assertTrue(
                    readNanos >= delay.toNanos(),
                    "the GET read from slow stg1 first: " + readNanos / 1_000_000 + " ms");

            start = System.nanoTime();
            put(ts.s3(), "k2", random(100, 4));
            long writeNanos = System.nanoTime() - start;
            assertTrue(writeNanos >= delay.toNanos(), "the PUT wrote to slow stg1: " + writeNanos / 1_000_000 + " ms");

            server.nodes().slow("stg1", Duration.ZERO);
            assertEquals(Duration.ZERO, server.nodes().list().get(0).delay());
        }
    }

    @Test
    void aCorruptedReplicaIsNeverServedAndIsRepairedFromAnIntactOne() throws IOException {
        // small (checked in memory) and medium (hashed before it is read) objects
        for (int size : new int[] {4096, 1024 * 1024}) {
            Path data = dir.resolve("size-" + size);
            try (TestServer ts = TestServer.start(data)) {
                MockStorageServer server = ts.server();
                server.createBucket("bkt");
                byte[] content = random(size, size);
                put(ts.s3(), "k", content);
                server.awaitIdle(IDLE);
                Path stg1 = onlyBlob(data, "stg1");

                server.nodes().corrupt("bkt", "k", "stg1");
                byte[] damaged = Files.readAllBytes(stg1);
                assertEquals(content.length, damaged.length, "same size");
                assertFalse(java.util.Arrays.equals(content, damaged), "stg1's copy is damaged");

                assertArrayEquals(content, get(ts.s3(), "k"), size + " bytes: served from stg2");
                assertArrayEquals(
                        java.util.Arrays.copyOfRange(content, 10, 20),
                        ts.s3()
                                .getObjectAsBytes(b -> b.bucket("bkt").key("k").range("bytes=10-19"))
                                .asByteArray(),
                        "a ranged read is checked too");
                server.awaitIdle(IDLE);
                assertArrayEquals(content, Files.readAllBytes(stg1), size + " bytes: stg1 repaired");
            }
        }
    }

    private static Path onlyBlob(Path data, String node) throws IOException {
        try (Stream<Path> files = Files.walk(data.resolve(node).resolve("blobs"))) {
            List<Path> all = files.filter(Files::isRegularFile).toList();
            assertEquals(1, all.size(), node + " holds one blob: " + all);
            return all.get(0);
        }
    }

    @Test
    void aLargeObjectDamagedOnItsFirstNodeFailsTheStreamInsteadOfServingWrongBytesThenIsRepaired() throws IOException {
        try (TestServer ts = TestServer.start(dir);
                S3Client noRetries = withoutRetries(ts.server())) {
            MockStorageServer server = ts.server();
            server.createBucket("bkt");
            byte[] content = random(9 * 1024 * 1024, 5); // above the size checked before reading
            put(ts.s3(), "big", content);
            server.awaitIdle(IDLE);
            server.nodes().corrupt("bkt", "big", "stg1");

            assertThrows(
                    SdkException.class,
                    () -> noRetries.getObjectAsBytes(b -> b.bucket("bkt").key("big")),
                    "the damage shows at the end of the stream: the response is aborted");
            server.awaitIdle(IDLE);
            assertArrayEquals(content, Files.readAllBytes(onlyBlob("stg1")), "the failed read queued a repair");
            assertArrayEquals(content, get(noRetries, "big"));
        }
    }

    @Test
    void whenEveryReplicaIsDamagedAGetAnswersInternalErrorNamingTheObject() throws IOException {
        try (TestServer ts = TestServer.start(dir);
                S3Client noRetries = withoutRetries(ts.server())) {
            MockStorageServer server = ts.server();
            server.createBucket("bkt");
            put(ts.s3(), "k", random(2048, 6));
            for (String node : List.of("stg1", "stg2", "stg3")) {
                server.nodes().corrupt("bkt", "k", node);
            }
            S3Exception e = assertThrows(S3Exception.class, () -> get(noRetries, "k"));
            assertEquals(500, e.statusCode());
            assertEquals("InternalError", e.awsErrorDetails().errorCode());
            assertTrue(
                    e.awsErrorDetails().errorMessage().contains("bkt/k"),
                    e.awsErrorDetails().errorMessage());
        }
    }

    @Test
    void unknownNodesObjectsAndReplicasAreIllegalArguments() {
        try (TestServer ts = TestServer.start(dir, b -> b.setting("storage.write_quorum", "2"))) {
            StorageNodes nodes = ts.server().nodes();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> nodes.down("stg9"));
            assertTrue(e.getMessage().contains("stg1, stg2, stg3"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> nodes.up("nope"));
            assertThrows(IllegalArgumentException.class, () -> nodes.slow("nope", Duration.ofMillis(1)));
            assertThrows(IllegalArgumentException.class, () -> nodes.slow("stg1", Duration.ofMillis(-1)));
            assertThrows(IllegalArgumentException.class, () -> nodes.corrupt("nobucket", "k", "stg1"));
            ts.server().createBucket("bkt");
            assertTrue(assertThrows(IllegalArgumentException.class, () -> nodes.corrupt("bkt", "nokey", "stg1"))
                    .getMessage()
                    .contains("key"));

            nodes.down("stg2");
            ts.server().putObject("bkt", "k", new byte[] {1, 2, 3}, null);
            // asked before stg2 returns: once up, the replica it missed is repaired
            assertTrue(
                    assertThrows(IllegalArgumentException.class, () -> nodes.corrupt("bkt", "k", "stg2"))
                            .getMessage()
                            .contains("stg2 holds no copy"),
                    "no replica on stg2 (it was down)");
            nodes.up("stg2");
        }
    }

    @Test
    void createBucketIsIdempotentAndPutObjectStoresThroughTheUploadPath() {
        try (TestServer ts = TestServer.start(dir)) {
            MockStorageRuntime runtime = ts.server();
            runtime.createBucket("made");
            runtime.createBucket("made");
            assertEquals(
                    List.of("made"),
                    ts.s3().listBuckets().buckets().stream().map(b -> b.name()).toList());
            assertThrows(IllegalArgumentException.class, () -> runtime.createBucket("Bad_Name"));

            runtime.putObject("made", "dir/file.txt", "hello".getBytes(), "text/plain");
            var got = ts.s3().getObjectAsBytes(b -> b.bucket("made").key("dir/file.txt"));
            assertEquals("hello", got.asUtf8String());
            assertEquals("text/plain", got.response().contentType());
            assertEquals("\"5d41402abc4b2a76b9719d911017c592\"", got.response().eTag(), "MD5 of hello");
            assertThrows(IllegalArgumentException.class, () -> runtime.putObject("missing", "k", new byte[1], null));
        }
    }

    @Test
    void resetEmptiesEverythingAndRecreatesTheConfiguredBuckets() throws IOException {
        try (TestServer ts = TestServer.start(dir, b -> b.setting("storage.buckets", "kept"))) {
            MockStorageServer server = ts.server();
            server.createBucket("bkt");
            for (int i = 0; i < 20; i++) {
                put(ts.s3(), "k" + i, random(100 + i, i));
            }
            server.putObject("kept", "x", new byte[] {1}, null);
            server.thirdParty()
                    .script(ThirdPartyScript.when(Match.get("bkt", "up")).respond(Reply.ok("u")));
            server.nodes().slow("stg3", Duration.ofMillis(5));
            server.nodes().down("stg2");
            assertFalse(server.requests().all().isEmpty());

            server.reset();
            assertTrue(server.requests().all().isEmpty(), "the journal is cleared");

            assertEquals(
                    List.of("kept"),
                    ts.s3().listBuckets().buckets().stream().map(b -> b.name()).toList());
            assertEquals(0, ts.s3().listObjectsV2(b -> b.bucket("kept")).keyCount());
            assertEquals(0, server.stats().objects().count());
            assertTrue(server.thirdParty().scripts().isEmpty());
            assertTrue(server.thirdParty().calls().isEmpty());
            for (StorageNodes.Node n : server.nodes().list()) {
                assertTrue(n.up(), n.id());
                assertNull(n.reason());
                assertEquals(Duration.ZERO, n.delay());
            }
            server.awaitIdle(IDLE);
            for (String node : List.of("stg1", "stg2", "stg3")) {
                assertEquals(Set.of(), blobs(node), node + ": the queue deleted every file");
            }
            S3Exception gone = assertThrows(S3Exception.class, () -> put(ts.s3(), "after", new byte[] {7}));
            assertEquals("NoSuchBucket", gone.awsErrorDetails().errorCode());
        }
    }
}
