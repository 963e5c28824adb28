package dev.mockstorage.it;

import static dev.mockstorage.it.TestData.random;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mockstorage.StorageNodes;
import dev.mockstorage.server.MockStorageServer;
import dev.mockstorage.stats.ConsistencyReport;
import dev.mockstorage.stats.ConsistencyReport.Finding;
import dev.mockstorage.stats.ConsistencyReport.Kind;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The consistency check and repair (each kind of finding, the admin endpoint, the periodic
 * check, damaged objects) and node failures (write quorum, read-only fault, a vanished directory).
 */
class ConsistencyTest {
    private static final Duration IDLE = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** An S3 client that does not retry, so a 503 is seen as it is. */
    private static S3Client s3(MockStorageServer server) {
        return S3Client.builder()
                .endpointOverride(server.endpoint())
                .forcePathStyle(true)
                .region(Region.US_EAST_1)
                .credentialsProvider(TestServer.credentials(server))
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    private static MockStorageServer start(Path dir, String... settings) {
        MockStorageServer.Builder b =
                MockStorageServer.builder().dataDirectory(dir).setting("storage.orphan_grace_ms", "0");
        for (int i = 0; i < settings.length; i += 2) {
            b.setting(settings[i], settings[i + 1]);
        }
        return b.start();
    }

    private Set<String> blobs(String node) throws IOException {
        Path root = dir.resolve(node).resolve("blobs");
        if (!Files.isDirectory(root)) {
            return Set.of();
        }
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile)
                    .map(p -> p.getFileName().toString())
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }

    private Set<String> tmpFiles(String node) throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve(node).resolve("tmp"))) {
            return files.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        }
    }

    private Path blobFile(String node, String blobId) {
        return dir.resolve(node)
                .resolve("blobs")
                .resolve(blobId.substring(0, 2))
                .resolve(blobId);
    }

    /** The blob id of an object, found as the one file the write added on stg1..stg3. */
    private String put(S3Client s3, String key, byte[] content) throws IOException {
        Set<String> before = new TreeSet<>();
        for (String n : List.of("stg1", "stg2", "stg3")) {
            before.addAll(blobs(n));
        }
        s3.putObject(b -> b.bucket("bkt").key(key), RequestBody.fromBytes(content));
        Set<String> after = new TreeSet<>();
        for (String n : List.of("stg1", "stg2", "stg3")) {
            after.addAll(blobs(n));
        }
        after.removeAll(before);
        assertEquals(1, after.size(), "one new blob for " + key + ": " + after);
        return after.iterator().next();
    }

    private static HttpResponse<String> call(MockStorageServer server, String method, String path) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(server.endpoint() + path))
                                .method(method, HttpRequest.BodyPublishers.noBody())
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    private static Finding only(ConsistencyReport r, Kind kind) {
        List<Finding> f = r.findings(kind);
        assertEquals(1, f.size(), kind + " in " + r.findings());
        return f.get(0);
    }

    @Test
    void aRepairingCheckAbortsUploadsOlderThanTheSettingAndTheQueueDeletesTheirParts() throws Exception {
        try (MockStorageServer server =
                        start(dir, "storage.abandoned_upload_ms", "1", "storage.auto_create_buckets", "true");
                S3Client s3 = s3(server)) {
            s3.putObject(b -> b.bucket("bkt").key("kept"), RequestBody.fromString("an object stays"));
            server.awaitIdle(IDLE);
            Set<String> before = blobs("stg1");
            String id = s3.createMultipartUpload(b -> b.bucket("bkt").key("abandoned.bin"))
                    .uploadId();
            s3.uploadPart(
                    b -> b.bucket("bkt").key("abandoned.bin").uploadId(id).partNumber(1),
                    RequestBody.fromBytes(random(1000, 1)));
            s3.uploadPart(
                    b -> b.bucket("bkt").key("abandoned.bin").uploadId(id).partNumber(2),
                    RequestBody.fromBytes(random(10, 2)));
            assertEquals(before.size() + 2, blobs("stg1").size(), "two part files");

            // more than 1 ms after the upload began it counts as abandoned; a check without repair only reports it
            Finding found = await().until(
                            () -> server.checkConsistency(false).findings(Kind.ABANDONED_UPLOAD), f -> f.size() == 1)
                    .get(0);
            assertEquals(List.of("bkt", "abandoned.bin", id), List.of(found.bucket(), found.key(), found.blobId()));
            assertNull(found.action());
            assertEquals(
                    1,
                    s3.listMultipartUploads(b -> b.bucket("bkt")).uploads().size(),
                    "still there after a check without repair");

            assertEquals(
                    "aborted",
                    only(server.checkConsistency(true), Kind.ABANDONED_UPLOAD).action());
            server.awaitIdle(IDLE);
            assertEquals(
                    List.of(), s3.listMultipartUploads(b -> b.bucket("bkt")).uploads());
            assertEquals(before, blobs("stg1"), "the part files are gone, the object's blob stays");
            assertTrue(server.checkConsistency(false).clean());
        }
    }

    @Test
    void uploadsAreNotAbandonedBeforeTheirTimeOrWhenTheSettingIsZero() throws Exception {
        for (String setting : List.of("86400000", "0")) {
            try (MockStorageServer server = start(
                            dir.resolve(setting),
                            "storage.abandoned_upload_ms",
                            setting,
                            "storage.auto_create_buckets",
                            "true");
                    S3Client s3 = s3(server)) {
                s3.putObject(b -> b.bucket("bkt").key("kept"), RequestBody.fromString("x"));
                String id = s3.createMultipartUpload(b -> b.bucket("bkt").key("young.bin"))
                        .uploadId();
                assertTrue(
                        server.checkConsistency(true)
                                .findings(Kind.ABANDONED_UPLOAD)
                                .isEmpty(),
                        setting);
                assertEquals(
                        id,
                        s3.listMultipartUploads(b -> b.bucket("bkt"))
                                .uploads()
                                .get(0)
                                .uploadId());
            }
        }
    }

    @Test
    void theCheckFindsEveryKindRepairFixesItAndASecondCheckIsClean() throws Exception {
        try (MockStorageServer server = start(dir);
                S3Client s3 = s3(server)) {
            server.createBucket("bkt");
            byte[] missing = random(3000, 1);
            byte[] resized = random(3000, 2);
            byte[] rotten = random(3000, 3);
            byte[] lost = random(3000, 4);
            String missingBlob = put(s3, "missing", missing);
            String resizedBlob = put(s3, "resized", resized);
            put(s3, "rotten", rotten);
            String lostBlob = put(s3, "lost", lost);
            server.awaitIdle(IDLE);
            assertTrue(server.checkConsistency(false).clean(), "a fresh store is consistent");

            Files.delete(blobFile("stg2", missingBlob));
            Files.write(blobFile("stg3", resizedBlob), new byte[] {1, 2, 3});
            server.nodes().corrupt("bkt", "rotten", "stg1");
            for (String n : List.of("stg1", "stg2", "stg3")) {
                server.nodes().corrupt("bkt", "lost", n);
            }
            String orphan = "0123456789abcdef0123456789abcdef";
            Files.createDirectories(blobFile("stg1", orphan).getParent());
            Files.write(blobFile("stg1", orphan), new byte[] {9}); // e.g. a crash between rename and commit

            ConsistencyReport found = server.checkConsistency(false);
            assertFalse(found.repair());
            assertEquals(4, found.objects());
            Finding m = only(found, Kind.MISSING_REPLICA);
            assertEquals(
                    List.of("bkt", "missing", missingBlob, "stg2"),
                    List.of(m.bucket(), m.key(), m.blobId(), m.nodeId()));
            assertEquals("stg3", only(found, Kind.SIZE_MISMATCH).nodeId());
            assertEquals("rotten", only(found, Kind.CHECKSUM_MISMATCH).key());
            Finding o = only(found, Kind.ORPHAN);
            assertEquals(List.of(orphan, "stg1"), List.of(o.blobId(), o.nodeId()));
            Finding l = only(found, Kind.NO_INTACT_REPLICA);
            assertEquals(lostBlob, l.blobId());
            assertTrue(found.findings().stream().allMatch(f -> f.action() == null), "no repair asked");
            assertEquals(5, found.findings().size(), found.findings().toString());
            assertTrue(Files.exists(blobFile("stg1", orphan)), "a check without repair changes nothing");

            ConsistencyReport repaired = server.checkConsistency(true);
            assertEquals(5, repaired.repaired(), repaired.findings().toString());
            assertEquals(
                    "marked damaged", only(repaired, Kind.NO_INTACT_REPLICA).action());
            assertEquals("deleted", only(repaired, Kind.ORPHAN).action());
            assertFalse(Files.exists(blobFile("stg1", orphan)));
            assertArrayEquals(missing, Files.readAllBytes(blobFile("stg2", missingBlob)));
            assertArrayEquals(resized, Files.readAllBytes(blobFile("stg3", resizedBlob)));
            assertArrayEquals(
                    rotten,
                    s3.getObjectAsBytes(b -> b.bucket("bkt").key("rotten")).asByteArray());

            S3Exception get = assertThrows(
                    S3Exception.class,
                    () -> s3.getObjectAsBytes(b -> b.bucket("bkt").key("lost")));
            assertEquals(500, get.statusCode());
            assertEquals("InternalError", get.awsErrorDetails().errorCode());
            assertTrue(
                    get.awsErrorDetails().errorMessage().contains("bkt/lost"),
                    get.awsErrorDetails().errorMessage());
            assertEquals(
                    500,
                    assertThrows(
                                    S3Exception.class,
                                    () -> s3.headObject(b -> b.bucket("bkt").key("lost")))
                            .statusCode(),
                    "HEAD refuses a damaged object too");
            assertEquals(1, server.stats().consistency().damagedObjects());

            ConsistencyReport second = server.checkConsistency(true);
            assertEquals(
                    List.of(Kind.NO_INTACT_REPLICA),
                    second.findings().stream().map(Finding::kind).toList(),
                    "only the object with no intact copy is left: " + second.findings());
            assertEquals("already marked damaged", second.findings().get(0).action());
            assertEquals(0, second.repaired());

            s3.putObject(b -> b.bucket("bkt").key("lost"), RequestBody.fromBytes(lost));
            assertArrayEquals(
                    lost, s3.getObjectAsBytes(b -> b.bucket("bkt").key("lost")).asByteArray(), "a PUT clears it");
            server.awaitIdle(IDLE);
            assertTrue(server.checkConsistency(true).clean(), "clean once the damaged object is written again");

            var stats = server.stats().consistency();
            assertEquals(5, stats.checks());
            assertEquals(0, stats.damagedObjects());
            assertEquals(3, stats.findingsByKind().get("NO_INTACT_REPLICA"), "in the first three checks");
            assertEquals(2, stats.findingsByKind().get("ORPHAN"), "found by the check and by the repairing check");
            assertEquals(5, stats.repairs(), "the 5 of the first repairing check; the second marked nothing new");
            assertNotNull(stats.lastCheckAt());
            String metrics = call(server, "GET", "/metrics").body();
            assertTrue(metrics.contains("mockstorage_consistency_findings_total{kind=\"ORPHAN\"} 2.0"), metrics);
            assertTrue(metrics.contains("mockstorage_damaged_objects 0.0"), metrics);
        }
    }

    @Test
    void theAdminEndpointAnswersTheReportAsJson() throws Exception {
        try (MockStorageServer server = start(dir);
                S3Client s3 = s3(server)) {
            server.createBucket("bkt");
            String blob = put(s3, "k", random(100, 5));
            Files.delete(blobFile("stg3", blob));

            HttpResponse<String> check = call(server, "POST", "/api/v1/consistency/check?repair=false");
            assertEquals(200, check.statusCode(), check.body());
            JsonNode report = JSON.readTree(check.body());
            assertFalse(report.path("clean").asBoolean());
            assertEquals(1, report.path("objects").asInt());
            JsonNode finding = report.path("findings").get(0);
            assertEquals("MISSING_REPLICA", finding.path("kind").asText());
            assertEquals("k", finding.path("key").asText());
            assertEquals(blob, finding.path("blob").asText());
            assertEquals("stg3", finding.path("node").asText());
            assertTrue(finding.path("action").isNull());

            JsonNode repaired = JSON.readTree(call(server, "POST", "/api/v1/consistency/check?repair=true")
                    .body());
            assertEquals(1, repaired.path("repaired").asInt());
            assertTrue(Files.exists(blobFile("stg3", blob)));
            assertTrue(JSON.readTree(
                            call(server, "POST", "/api/v1/consistency/check").body())
                    .path("clean")
                    .asBoolean());

            HttpResponse<String> bad = call(server, "POST", "/api/v1/consistency/check?repair=maybe");
            assertEquals(400, bad.statusCode());
            assertEquals("repair", JSON.readTree(bad.body()).path("parameter").asText());
            JsonNode stats =
                    JSON.readTree(call(server, "GET", "/api/v1/stats").body()).path("consistency");
            assertEquals(3, stats.path("checks").asInt());
            assertEquals(
                    2, stats.path("findings_by_kind").path("MISSING_REPLICA").asInt());
        }
    }

    @Test
    void thePeriodicCheckRemovesAnOrphan() throws Exception {
        try (MockStorageServer server = start(dir, "storage.check_interval_ms", "20")) {
            Path orphan = blobFile("stg2", "fedcba9876543210fedcba9876543210");
            Files.createDirectories(orphan.getParent());
            Files.write(orphan, new byte[] {1});
            await().atMost(Duration.ofSeconds(5)).until(() -> !Files.exists(orphan));
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> server.stats().consistency().findingsByKind().get("ORPHAN") == 1);
        }
    }

    @Test
    void youngOrphansAreLeftAlone() throws Exception {
        try (MockStorageServer server = start(dir, "storage.orphan_grace_ms", "600000")) {
            Path young = blobFile("stg1", "00000000000000000000000000000001");
            Files.createDirectories(young.getParent());
            Files.write(young, new byte[] {1}); // maybe a write between its rename and its metadata commit
            assertTrue(server.checkConsistency(true).clean());
            assertTrue(Files.exists(young));
        }
    }

    @Test
    void withQuorumTwoAWriteSucceedsWithANodeDownAndTheNodeGetsItsReplicaWhenItReturns() throws Exception {
        try (MockStorageServer server = start(dir, "storage.write_quorum", "2");
                S3Client s3 = s3(server)) {
            server.createBucket("bkt");
            server.nodes().down("stg3");
            byte[] content = random(2000, 6);
            String blob = put(s3, "k", content);
            assertFalse(Files.exists(blobFile("stg3", blob)));
            server.awaitIdle(IDLE); // the repair waits for stg3 without keeping the queue busy
            assertEquals(1, server.stats().consistency().waitingRepairs());

            server.nodes().up("stg3");
            server.awaitIdle(IDLE);
            assertArrayEquals(content, Files.readAllBytes(blobFile("stg3", blob)), "repaired when stg3 returned");
            assertEquals(0, server.stats().consistency().waitingRepairs());
            assertTrue(server.checkConsistency(false).clean());
        }
    }

    @Test
    void withQuorumTwoAMultipartObjectCompletedWithANodeDownReachesTheNodeWhenItReturns() throws Exception {
        try (MockStorageServer server = start(dir, "storage.write_quorum", "2");
                S3Client s3 = s3(server)) {
            server.createBucket("bkt");
            server.nodes().down("stg3");
            byte[] content = random(3000, 8);
            String id = s3.createMultipartUpload(b -> b.bucket("bkt").key("mp")).uploadId();
            String etag = s3.uploadPart(
                            b -> b.bucket("bkt").key("mp").uploadId(id).partNumber(1), RequestBody.fromBytes(content))
                    .eTag();
            s3.completeMultipartUpload(b -> b.bucket("bkt")
                    .key("mp")
                    .uploadId(id)
                    .multipartUpload(m -> m.parts(p -> p.partNumber(1).eTag(etag))));
            server.awaitIdle(IDLE);
            assertEquals(1, server.stats().consistency().waitingRepairs(), "the assembled object waits for stg3");

            server.nodes().up("stg3");
            server.awaitIdle(IDLE);
            assertEquals(0, server.stats().consistency().waitingRepairs());
            assertEquals(blobs("stg1"), blobs("stg3"), "stg3 holds the object's blob like the others");
            assertTrue(server.checkConsistency(false).clean());
            assertArrayEquals(
                    content, s3.getObjectAsBytes(b -> b.bucket("bkt").key("mp")).asByteArray());
        }
    }

    @Test
    void withEveryNodeRequiredAWriteWithANodeDownFailsCleanly() throws Exception {
        try (MockStorageServer server = start(dir);
                S3Client s3 = s3(server)) {
            server.createBucket("bkt");
            server.nodes().down("stg2");
            S3Exception e = assertThrows(
                    S3Exception.class,
                    () -> s3.putObject(b -> b.bucket("bkt").key("k"), RequestBody.fromBytes(random(100, 7))));
            assertEquals(503, e.statusCode());
            assertEquals("ServiceUnavailable", e.awsErrorDetails().errorCode());
            assertTrue(
                    e.awsErrorDetails().errorMessage().contains("storage.write_quorum"),
                    e.awsErrorDetails().errorMessage());
            for (String n : List.of("stg1", "stg2", "stg3")) {
                assertEquals(Set.of(), blobs(n), n);
                assertEquals(Set.of(), tmpFiles(n), n);
            }
            assertEquals(
                    404,
                    assertThrows(
                                    S3Exception.class,
                                    () -> s3.headObject(b -> b.bucket("bkt").key("k")))
                            .statusCode());

            // the store cannot take writes: /health says DOWN (503) and why
            HttpResponse<String> health = call(server, "GET", "/health");
            assertEquals(503, health.statusCode(), health.body());
            JsonNode body = JSON.readTree(health.body());
            assertEquals("DOWN", body.path("status").asText());
            assertTrue(
                    body.path("reason").asText().contains("storage.write_quorum")
                            && body.path("reason").asText().contains("stg2"),
                    body.toString());
        }
    }

    @Test
    void aReadOnlyNodeIsMarkedDownByTheFailedWriteItself() throws Exception {
        try (MockStorageServer server = start(dir);
                S3Client s3 = s3(server)) {
            server.createBucket("bkt");
            server.nodes().readOnly("stg1");
            S3Exception e = assertThrows(
                    S3Exception.class,
                    () -> s3.putObject(b -> b.bucket("bkt").key("k"), RequestBody.fromBytes(random(100, 8))));
            assertEquals(503, e.statusCode(), "every node is required and stg1 refused the write");
            StorageNodes.Node stg1 = server.nodes().list().get(0);
            assertFalse(stg1.up());
            assertTrue(stg1.reason().startsWith("read-only"), stg1.reason());
            for (String n : List.of("stg1", "stg2", "stg3")) {
                assertEquals(Set.of(), blobs(n), n + ": nothing left behind");
                assertEquals(Set.of(), tmpFiles(n), n);
            }
            assertTrue(call(server, "GET", "/health").body().contains("read-only"));
            server.nodes().up("stg1");
            put(s3, "k", random(100, 9));
        }
    }

    @Test
    void aReadOnlyNodeOverTheAdminApiWithQuorumTwoIsSkippedAndRepairedOnReturn() throws Exception {
        try (MockStorageServer server = start(dir, "storage.write_quorum", "2");
                S3Client s3 = s3(server)) {
            server.createBucket("bkt");
            assertEquals(
                    204, call(server, "POST", "/api/v1/nodes/stg2/read-only").statusCode());
            byte[] content = random(5000, 10);
            String blob = put(s3, "k", content);
            assertFalse(Files.exists(blobFile("stg2", blob)));
            assertTrue(server.nodes().list().get(1).reason().startsWith("read-only"));
            assertEquals(204, call(server, "POST", "/api/v1/nodes/stg2/up").statusCode());
            server.awaitIdle(IDLE);
            assertArrayEquals(content, Files.readAllBytes(blobFile("stg2", blob)));
        }
    }

    @Test
    void aNodeWhoseDirectoryVanishedIsDownAndReadsUseTheOthers() throws Exception {
        try (MockStorageServer server = start(dir, "storage.write_quorum", "2");
                S3Client s3 = s3(server)) {
            server.createBucket("bkt");
            byte[] content = random(4000, 11);
            put(s3, "k", content);
            server.awaitIdle(IDLE);
            try (Stream<Path> files = Files.walk(dir.resolve("stg1"))) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
            assertArrayEquals(
                    content, s3.getObjectAsBytes(b -> b.bucket("bkt").key("k")).asByteArray(), "served by stg2");
            HttpResponse<String> health = call(server, "GET", "/health");
            assertEquals(200, health.statusCode());
            JsonNode stg1 = JSON.readTree(health.body()).path("nodes").get(0);
            assertEquals("DOWN", stg1.path("status").asText());
            assertTrue(stg1.path("reason").asText().contains("missing"), stg1.toString());
            assertEquals("DOWN", server.stats().nodes().get(0).state());
            s3.putObject(b -> b.bucket("bkt").key("k2"), RequestBody.fromString("still writable with quorum 2"));
            ConsistencyReport report = server.checkConsistency(false);
            assertEquals(1, report.skippedNodes().size(), report.skippedNodes().toString());
            assertTrue(report.clean(), "nothing wrong on the nodes that are up: " + report.findings());
        }
    }
}
