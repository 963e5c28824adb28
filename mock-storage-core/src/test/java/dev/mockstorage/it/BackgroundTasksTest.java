package dev.mockstorage.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mockstorage.server.MockStorageServer;
import dev.mockstorage.stats.ServerStats;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The background task queue through the public API: tasks survive a restart, a full queue pushes
 * back with SlowDown, failing tasks are parked and visible, reads repair replicas, uploads are counted.
 */
class BackgroundTasksTest {
    private static final Duration IDLE = Duration.ofSeconds(10);
    private static final List<String> NODES = List.of("stg1", "stg2", "stg3");

    @TempDir
    Path dir;

    private static void put(S3Client s3, String key, String content) {
        s3.putObject(b -> b.bucket("bkt").key(key), RequestBody.fromString(content));
    }

    private static String get(S3Client s3, String key) {
        return s3.getObjectAsBytes(b -> b.bucket("bkt").key(key)).asString(StandardCharsets.UTF_8);
    }

    /** Blob file names on one node. */
    private Set<String> blobs(String node) throws IOException {
        try (Stream<Path> files = Files.walk(dir.resolve(node).resolve("blobs"))) {
            return files.filter(Files::isRegularFile)
                    .map(p -> p.getFileName().toString())
                    .collect(java.util.stream.Collectors.toCollection(TreeSet::new));
        }
    }

    private Path blobFile(String node, String blobId) {
        return dir.resolve(node)
                .resolve("blobs")
                .resolve(blobId.substring(0, 2))
                .resolve(blobId);
    }

    private static S3Client clientWithoutRetries(MockStorageServer server) {
        return S3Client.builder()
                .endpointOverride(server.endpoint())
                .forcePathStyle(true)
                .region(Region.US_EAST_1)
                .credentialsProvider(TestServer.credentials(server))
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    @Test
    void tasksQueuedBeforeAStopRunAfterTheNextStartOnTheSameData() throws IOException {
        Set<String> before;
        try (TestServer paused = TestServer.start(dir, builder -> builder.setting("queue.workers", "0"))) {
            paused.createBucket("bkt");
            for (int i = 0; i < 5; i++) {
                put(paused.s3(), "k" + i, "version 1 of k" + i);
            }
            put(paused.s3(), "k0", "version 2 of k0"); // overwrite: the first blob of k0 is queued for deletion
            put(paused.s3(), "k1", "version 2 of k1");
            for (String key : List.of("k2", "k3", "k4")) {
                paused.s3().deleteObject(b -> b.bucket("bkt").key(key));
            }
            before = blobs("stg1");
            assertEquals(7, before.size(), "nothing deleted yet: the tasks only wait");
            ServerStats.Queue stats = paused.server().stats().queue();
            assertEquals(7 + 5, stats.depth(), "7 upload-completed + 5 delete-blob tasks");
            assertEquals(0, stats.workers());
            IllegalStateException notIdle = assertThrows(
                    IllegalStateException.class, () -> paused.server().awaitIdle(Duration.ofMillis(1)));
            assertTrue(notIdle.getMessage().contains("delete-blob"), notIdle.getMessage());
        }

        try (TestServer restarted = TestServer.start(dir)) {
            restarted.server().awaitIdle(IDLE);
            for (String node : NODES) {
                assertEquals(2, blobs(node).size(), node + " keeps only the current blobs of k0 and k1");
                assertTrue(before.containsAll(blobs(node)));
            }
            assertEquals("version 2 of k0", get(restarted.s3(), "k0"));
            assertEquals("version 2 of k1", get(restarted.s3(), "k1"));
            ServerStats.Queue stats = restarted.server().stats().queue();
            assertEquals(0, stats.depth());
            assertEquals(12, stats.done());
            ServerStats.Bucket b = restarted.server().stats().buckets().get(0);
            assertEquals(
                    List.of(2L, 30L, 7L, 105L),
                    List.of(b.objects(), b.bytes(), b.uploads(), b.uploadedBytes()),
                    "uploads counted by the tasks that ran after the restart");
        }
    }

    @Test
    void aFullQueueAnswersSlowDownAndStoresNothingOfTheRefusedRequest() throws IOException {
        try (MockStorageServer server = MockStorageServer.builder()
                        .dataDirectory(dir)
                        .setting("queue.workers", "0")
                        .setting("queue.size", "2")
                        .setting("queue.full_wait_ms", "20")
                        .start();
                S3Client s3 = clientWithoutRetries(server)) {
            s3.createBucket(b -> b.bucket("bkt"));
            put(s3, "one", "1");
            put(s3, "two", "2");
            assertEquals(2, server.stats().queue().depth());

            S3Exception refused = assertThrows(S3Exception.class, () -> put(s3, "three", "3"));
            assertEquals(503, refused.statusCode());
            assertEquals("SlowDown", refused.awsErrorDetails().errorCode());
            assertThrows(
                    NoSuchKeyException.class,
                    () -> s3.headObject(b -> b.bucket("bkt").key("three")));
            for (String node : NODES) {
                assertEquals(2, blobs(node).size(), node + " has no file of the refused upload");
                try (Stream<Path> tmp = Files.list(dir.resolve(node).resolve("tmp"))) {
                    assertEquals(0, tmp.count(), node + " has no temp file left");
                }
            }
            S3Exception refusedDelete = assertThrows(
                    S3Exception.class,
                    () -> s3.deleteObject(b -> b.bucket("bkt").key("one")));
            assertEquals("SlowDown", refusedDelete.awsErrorDetails().errorCode());
            assertEquals("1", get(s3, "one"), "the refused delete changed nothing");
            assertEquals(2, server.stats().queue().depth());
        }
    }

    @Test
    void aTaskThatKeepsFailingIsParkedAndVisible() throws IOException {
        try (TestServer server = TestServer.start(dir)) {
            server.createBucket("bkt");
            put(server.s3(), "k", "doomed");
            server.server().awaitIdle(IDLE);
            String blobId = blobs("stg2").iterator().next();
            // a non-empty directory where the blob file was: stg2 cannot delete it, whatever the user's rights
            Path file = blobFile("stg2", blobId);
            Files.delete(file);
            Files.createDirectories(file.resolve("in-the-way"));

            server.s3().deleteObject(b -> b.bucket("bkt").key("k"));
            server.server().awaitIdle(IDLE); // returns once parked: a failed task is not open

            ServerStats.Queue stats = server.server().stats().queue();
            assertEquals(1, stats.parked());
            assertEquals(1, stats.failed(), "parked by this run");
            assertEquals(4, stats.retried());
            assertEquals(0, stats.depth());
            List<String> failed = server.server().failedTasks();
            assertEquals(1, failed.size());
            assertTrue(
                    failed.get(0)
                            .matches("#\\d+ delete-blob " + blobId + " \\(failed, attempts 5, last error: IOException: "
                                    + "stg2: cannot delete blob " + blobId + ": .*DirectoryNotEmptyException.*\\)"),
                    failed.get(0));
            assertEquals(Set.of(), blobs("stg1"), "the other nodes deleted their copy on the first attempt");
        }
    }

    @Test
    void aReadServedFromAnotherNodeRepairsTheMissingAndTheDamagedReplica() throws IOException {
        try (TestServer server = TestServer.start(dir)) {
            server.createBucket("bkt");
            String content = "replicated content ".repeat(100);
            put(server.s3(), "k", content);
            server.server().awaitIdle(IDLE);
            String blobId = blobs("stg3").iterator().next();
            byte[] intact = Files.readAllBytes(blobFile("stg3", blobId));
            Files.delete(blobFile("stg1", blobId));
            Files.write(blobFile("stg2", blobId), "short".getBytes(StandardCharsets.UTF_8)); // damaged: wrong size

            assertEquals(content, get(server.s3(), "k"), "served from stg3");
            assertEquals(content, get(server.s3(), "k"), "a second read queues no second repair");
            server.server().awaitIdle(IDLE);

            assertArrayEquals(intact, Files.readAllBytes(blobFile("stg1", blobId)));
            assertArrayEquals(intact, Files.readAllBytes(blobFile("stg2", blobId)));
            ServerStats.Queue stats = server.server().stats().queue();
            assertEquals(0, stats.parked());
            assertEquals(2, stats.done(), "the upload's upload-completed and one repair-blob");
            for (String node : NODES) {
                try (Stream<Path> tmp = Files.list(dir.resolve(node).resolve("tmp"))) {
                    assertEquals(0, tmp.count(), node + " has no temp file left");
                }
            }
        }
    }

    @Test
    void bucketStatisticsCountObjectsBytesAndUploads() {
        try (TestServer server = TestServer.start(dir)) {
            server.createBucket("bkt");
            server.createBucket("other");
            put(server.s3(), "a", "12345");
            put(server.s3(), "bkt", "1234567890");
            put(server.s3(), "a", "123"); // overwrite: one object fewer bytes, one more upload
            put(server.s3(), "c", "x");
            server.s3().deleteObject(b -> b.bucket("bkt").key("c"));
            server.s3()
                    .copyObject(b -> b.sourceBucket("bkt")
                            .sourceKey("bkt")
                            .destinationBucket("other")
                            .destinationKey("copy"));
            server.server().awaitIdle(IDLE);

            List<ServerStats.Bucket> stats = server.server().stats().buckets();
            assertEquals(2, stats.size());
            ServerStats.Bucket b = stats.get(0);
            assertEquals(
                    List.of("bkt", 2L, 13L, 4L, 19L),
                    List.of(b.name(), b.objects(), b.bytes(), b.uploads(), b.uploadedBytes()));
            assertNotNull(b.lastUploadAt());
            ServerStats.Bucket other = stats.get(1);
            assertEquals(
                    List.of("other", 1L, 10L, 1L, 10L),
                    List.of(other.name(), other.objects(), other.bytes(), other.uploads(), other.uploadedBytes()));

            server.s3().deleteObject(r -> r.bucket("other").key("copy"));
            server.s3().deleteBucket(r -> r.bucket("other"));
            assertEquals(
                    List.of("bkt"),
                    server.server().stats().buckets().stream()
                            .map(ServerStats.Bucket::name)
                            .toList());
        }
    }
}
