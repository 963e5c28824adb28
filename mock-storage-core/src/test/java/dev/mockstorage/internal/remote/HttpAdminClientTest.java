package dev.mockstorage.internal.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mockstorage.internal.contract.AdminJson;
import dev.mockstorage.internal.contract.AdminRoute;
import dev.mockstorage.journal.RecordedRequest;
import dev.mockstorage.journal.RequestPattern;
import dev.mockstorage.server.MockStorageServer;
import dev.mockstorage.stats.ServerStats;
import dev.mockstorage.thirdparty.Match;
import dev.mockstorage.thirdparty.Reply;
import dev.mockstorage.thirdparty.ThirdPartyScript;
import dev.mockstorage.verification.Times;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ExpirationStatus;
import software.amazon.awssdk.services.s3.model.LifecycleRule;

/**
 * The remote handle against an in-process server over a real socket: what it reads over the admin API
 * equals what the server's own handle says, and errors come back as the in-process exception types.
 * (The same scenario against the Docker image is {@code RuntimeContractIT} in the container module.)
 */
class HttpAdminClientTest {

    @TempDir
    Path dir;

    private MockStorageServer server;
    private HttpAdminClient remote;
    private S3Client s3;

    @BeforeEach
    void start() {
        server = MockStorageServer.builder()
                .dataDirectory(dir.resolve("data"))
                .setting("third_party.retries", "0")
                .start();
        remote = new HttpAdminClient(server.endpoint());
        s3 = S3Client.builder()
                .endpointOverride(remote.endpoint())
                .forcePathStyle(true)
                .region(Region.of(remote.region()))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(remote.accessKey(), remote.secretKey())))
                .build();
        s3.createBucket(b -> b.bucket("photos"));
    }

    @AfterEach
    void stop() {
        s3.close();
        server.close();
    }

    @Test
    void theClockCrossesTheWireAndLifecycleRulesApplyOnIt() {
        s3.putObject(b -> b.bucket("photos").key("old/a.png"), RequestBody.fromString("a"));
        s3.putBucketLifecycleConfiguration(b -> b.bucket("photos")
                .lifecycleConfiguration(c -> c.rules(LifecycleRule.builder()
                        .id("old")
                        .status(ExpirationStatus.ENABLED)
                        .filter(f -> f.prefix("old/"))
                        .expiration(e -> e.days(30))
                        .build())));
        Instant moved = remote.clock().advance(Duration.ofDays(400));
        assertEquals(Duration.ofDays(400), server.clock().offset(), "the remote handle moved the server's clock");
        assertEquals(Duration.ofDays(400), remote.clock().offset());
        assertTrue(!remote.clock().now().isBefore(moved), "the clock goes on from where it was moved to");
        remote.awaitIdle(Duration.ofSeconds(30));
        assertEquals(0, s3.listObjectsV2(b -> b.bucket("photos").prefix("old/")).keyCount(), "expired by the rule");
        s3.putObject(b -> b.bucket("photos").key("later"), RequestBody.fromString("x"));
        assertTrue(!s3.headObject(b -> b.bucket("photos").key("later"))
                .lastModified()
                .isBefore(moved.minusSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> remote.clock().advance(Duration.ofMillis(-1)));
    }

    @Test
    void theConsistencyCheckCrossesTheWire() {
        remote.putObject("photos", "k", "hello".getBytes(java.nio.charset.StandardCharsets.UTF_8), "text/plain");
        remote.nodes().corrupt("photos", "k", "stg2");

        dev.mockstorage.stats.ConsistencyReport found = remote.checkConsistency(false);
        assertEquals(
                List.of(dev.mockstorage.stats.ConsistencyReport.Kind.CHECKSUM_MISMATCH),
                found.findings().stream()
                        .map(dev.mockstorage.stats.ConsistencyReport.Finding::kind)
                        .toList(),
                found.toString());
        assertEquals("stg2", found.findings().get(0).nodeId());
        assertEquals(server.checkConsistency(false).findings(), found.findings(), "the same findings as in-process");

        dev.mockstorage.stats.ConsistencyReport repaired = remote.checkConsistency(true);
        assertEquals(1, repaired.repaired(), repaired.toString());
        assertTrue(remote.checkConsistency(false).clean(), "a second check finds nothing");
    }

    @Test
    void theJournalOverTheWireIsTheServersJournal() {
        s3.putObject(b -> b.bucket("photos").key("a b/ü.txt"), RequestBody.fromString("hello"));
        s3.getObjectAsBytes(b -> b.bucket("photos").key("a b/ü.txt"));

        List<RecordedRequest> local = server.requests().all();
        List<RecordedRequest> wire = remote.requests().all();
        assertEquals(3, wire.size(), wire.toString());
        for (int i = 0; i < local.size(); i++) {
            RecordedRequest l = local.get(i);
            RecordedRequest w = wire.get(i);
            // durations travel as fractional milliseconds: equal to the nanosecond, give or take rounding
            assertTrue(
                    Math.abs(l.durationNanos() - w.durationNanos()) <= 1,
                    l.durationNanos() + " vs " + w.durationNanos());
            assertEquals(
                    l,
                    new RecordedRequest(
                            w.time(),
                            w.requestId(),
                            w.remoteAddress(),
                            w.method(),
                            w.operation(),
                            w.bucket(),
                            w.key(),
                            w.status(),
                            w.errorCode(),
                            w.bytesIn(),
                            w.bytesOut(),
                            l.durationNanos(),
                            w.headers()));
        }
        remote.requests().verify(RequestPattern.putObject("photos", "a b/ü.txt"));
        AssertionError e = assertThrows(
                AssertionError.class,
                () -> remote.requests().verify(Times.exactly(2), RequestPattern.getObject("photos", "a b/ü.txt")));
        assertTrue(e.getMessage().contains("GetObject photos/a b/ü.txt -> 200"), e.getMessage());

        remote.requests().clear();
        assertEquals(List.of(), server.requests().all());
    }

    @Test
    void statsOverTheWireAreTheServersStats() {
        s3.putObject(b -> b.bucket("photos").key("k"), RequestBody.fromString("12345"));
        server.awaitIdle(java.time.Duration.ofSeconds(10)); // the upload is counted
        ServerStats local = server.stats();
        ServerStats wire = remote.stats();
        assertEquals(local.objects(), wire.objects());
        ServerStats.Bucket photos = wire.buckets().get(0);
        assertEquals(
                List.of("photos", 1L, 5L, 1L, 5L),
                List.of(photos.name(), photos.objects(), photos.bytes(), photos.uploads(), photos.uploadedBytes()));
        assertEquals(local.buckets(), wire.buckets(), "the last upload's time too");
        assertEquals(local.queue(), wire.queue());
        assertEquals(local.consistency(), wire.consistency());
        assertEquals(
                local.nodes().stream()
                        .map(n -> n.id() + " " + n.path() + " " + n.state() + " " + n.blobs() + " " + n.bytes())
                        .toList(),
                wire.nodes().stream()
                        .map(n -> n.id() + " " + n.path() + " " + n.state() + " " + n.blobs() + " " + n.bytes())
                        .toList());
        assertEquals(local.thirdParty(), wire.thirdParty());
        assertTrue(
                wire.requests().contains(new ServerStats.Requests("PutObject", 200, 1)),
                wire.requests().toString());
    }

    @Test
    void scriptsWithLocalFileAndClasspathBodiesAreCarriedInlineAndServed() throws Exception {
        Path body = Files.write(dir.resolve("cat.bin"), new byte[] {(byte) 0xff, 0, 1, 2});
        List<ThirdPartyScript> stored = remote.thirdParty()
                .script(
                        ThirdPartyScript.when(Match.get("photos", "cat.bin"))
                                .respond(Reply.status(200).bodyFromFile(body)),
                        ThirdPartyScript.when(Match.get("photos", "hello.txt"))
                                .respond(Reply.status(200).bodyFromClasspath("thirdparty/hello.txt"))
                                .withId("cp"));
        assertEquals(2, stored.size());
        assertEquals("cp", stored.get(1).id());

        byte[] got = s3.getObjectAsBytes(b -> b.bucket("photos").key("cat.bin")).asByteArray();
        assertEquals(List.of((byte) 0xff, (byte) 0, (byte) 1, (byte) 2), List.of(got[0], got[1], got[2], got[3]));
        String resource = new String(getClass()
                .getClassLoader()
                .getResourceAsStream("thirdparty/hello.txt")
                .readAllBytes());
        assertEquals(
                resource,
                s3.getObjectAsBytes(b -> b.bucket("photos").key("hello.txt")).asUtf8String());

        assertEquals(server.thirdParty().calls(), remote.thirdParty().calls());
        assertEquals(server.thirdParty().scripts(), remote.thirdParty().scripts());
        remote.thirdParty().verify(Times.once(), Match.get("photos", "cat.bin"));
        AssertionError e = assertThrows(
                AssertionError.class,
                () -> remote.thirdParty().verify(Times.exactly(3), Match.get("photos", "cat.bin")));
        AssertionError inProcess = assertThrows(
                AssertionError.class,
                () -> server.thirdParty().verify(Times.exactly(3), Match.get("photos", "cat.bin")));
        assertEquals(inProcess.getMessage(), e.getMessage());
    }

    @Test
    void loadScriptsReadsTheFileHereAndResolvesBodyFilesAgainstItsDirectory() throws Exception {
        Files.createDirectories(dir.resolve("fixtures"));
        Files.writeString(dir.resolve("fixtures/dog.txt"), "woof");
        Path json = Files.writeString(dir.resolve("fixtures/scripts.json"), """
                [ { "match": {"key": "dog.txt"}, "response": {"status": 200, "body_file": "dog.txt"} } ]
                """);
        remote.thirdParty().loadScripts(json);
        assertEquals(
                "woof",
                s3.getObjectAsBytes(b -> b.bucket("photos").key("dog.txt")).asUtf8String());
        assertEquals(1, remote.thirdParty().calls().size());

        remote.thirdParty().resetCalls();
        assertEquals(List.of(), server.thirdParty().calls());
        remote.thirdParty().reset();
        assertEquals(List.of(), server.thirdParty().scripts());

        IllegalArgumentException bad = assertThrows(
                IllegalArgumentException.class,
                () -> remote.thirdParty()
                        .loadScripts(
                                Files.writeString(dir.resolve("bad.json"), "[{\"response\": {\"status\": \"x\"}}]")));
        assertTrue(
                bad.getMessage().contains("bad.json") && bad.getMessage().contains("[0].response.status"),
                bad.getMessage());
    }

    @Test
    void whatCannotCrossTheWireIsRefusedSayingWhatToUse() throws Exception {
        IllegalArgumentException missing = assertThrows(
                IllegalArgumentException.class,
                () -> remote.thirdParty()
                        .script(ThirdPartyScript.when(Match.any())
                                .respond(Reply.status(200).bodyFromFile(dir.resolve("nope.bin")))));
        assertTrue(missing.getMessage().contains("nope.bin"), missing.getMessage());

        Path big = dir.resolve("big.bin");
        try (var out = Files.newOutputStream(big)) {
            out.write(new byte[HttpAdminClient.MAX_INLINE_BODY_BYTES + 1]);
        }
        IllegalArgumentException tooBig = assertThrows(
                IllegalArgumentException.class,
                () -> remote.thirdParty()
                        .script(ThirdPartyScript.when(Match.any())
                                .respond(Reply.status(200).bodyFromFile(big))));
        assertTrue(tooBig.getMessage().contains("withCopyFileToContainer"), tooBig.getMessage());
        assertEquals(List.of(), server.thirdParty().scripts(), "nothing is scripted when one reply is refused");
    }

    @Test
    void bucketsObjectsNodesAwaitIdleAndResetGoThroughTheRuntimeRoutes() {
        remote.createBucket("docs");
        remote.createBucket("docs"); // already there: nothing happens, as in-process
        remote.putObject("docs", "a b/ü.txt", "hello".getBytes(java.nio.charset.StandardCharsets.UTF_8), "text/plain");
        var got = s3.getObjectAsBytes(b -> b.bucket("docs").key("a b/ü.txt"));
        assertEquals("hello", got.asUtf8String());
        assertEquals("text/plain", got.response().contentType());

        remote.nodes().down("stg2");
        remote.nodes().slow("stg3", java.time.Duration.ofMillis(5));
        assertEquals(server.nodes().list(), remote.nodes().list());
        assertEquals(
                java.time.Duration.ofMillis(5), remote.nodes().list().get(2).delay());
        remote.nodes().up("stg2");
        remote.nodes().slow("stg3", java.time.Duration.ZERO);
        assertTrue(
                server.nodes().list().stream().allMatch(n -> n.up() && n.delay().isZero()),
                server.nodes().list().toString());

        remote.nodes().readOnly("stg3");
        assertEquals(server.nodes().list(), remote.nodes().list());
        IllegalArgumentException readOnlyUnknown = assertThrows(
                IllegalArgumentException.class, () -> remote.nodes().readOnly("stg9"));
        assertTrue(readOnlyUnknown.getMessage().contains("stg9"), readOnlyUnknown.getMessage());
        remote.nodes().up("stg3");

        remote.nodes().corrupt("docs", "a b/ü.txt", "stg1");
        assertEquals(
                "hello",
                s3.getObjectAsBytes(b -> b.bucket("docs").key("a b/ü.txt")).asUtf8String());

        IllegalArgumentException unknown = assertThrows(
                IllegalArgumentException.class, () -> remote.nodes().down("stg9"));
        IllegalArgumentException inProcess = assertThrows(
                IllegalArgumentException.class, () -> server.nodes().down("stg9"));
        assertEquals(inProcess.getMessage(), unknown.getMessage());
        assertThrows(IllegalArgumentException.class, () -> remote.createBucket("Not_A_Bucket"));
        assertThrows(IllegalArgumentException.class, () -> remote.putObject("missing", "k", new byte[1], null));

        s3.deleteObject(b -> b.bucket("docs").key("a b/ü.txt"));
        remote.awaitIdle(java.time.Duration.ofSeconds(10));
        assertEquals(0, server.stats().queue().depth());

        remote.reset();
        assertEquals(0, server.stats().objects().count());
        assertEquals(List.of(), server.stats().buckets());
        assertEquals(List.of(), server.requests().all());
    }

    @Test
    void errorAnswersBecomeTheInProcessExceptionTypes() {
        assertInstanceOf(
                IllegalArgumentException.class,
                HttpAdminClient.failureOf(
                        "POST",
                        "/api/v1/nodes/x/down",
                        404,
                        AdminJson.readError(
                                "{\"error\":\"NoSuchNode\",\"message\":\"no node x; nodes: stg1, stg2\"}")));
        RuntimeException notIdle = HttpAdminClient.failureOf(
                "POST",
                "/api/v1/await-idle?timeout_ms=5",
                409,
                AdminJson.readError("{\"error\":\"NotIdle\",\"message\":\"2 tasks still open: #1 delete-blob\"}"));
        assertInstanceOf(IllegalStateException.class, notIdle);
        assertEquals("2 tasks still open: #1 delete-blob", notIdle.getMessage());
        assertInstanceOf(
                IllegalStateException.class,
                HttpAdminClient.failureOf(
                        "POST",
                        "/api/v1/third-party/scripts",
                        400,
                        AdminJson.readError("{\"error\":\"InvalidRequest\",\"message\":\"read-through is off\"}")));
        assertInstanceOf(
                IllegalStateException.class,
                HttpAdminClient.failureOf(
                        "GET",
                        "/api/v1/stats",
                        500,
                        AdminJson.readError("{\"error\":\"InternalError\",\"message\":\"boom\"}")));
        assertEquals("a%20b%2F%C3%BC~", AdminRoute.Request.encode("a b/ü~"));
    }

    @Test
    void aServerThatDoesNotAnswerIsAnUncheckedIOExceptionNamingTheEndpoint() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        HttpAdminClient nobody = new HttpAdminClient(URI.create("http://127.0.0.1:" + port));
        UncheckedIOException e = assertThrows(UncheckedIOException.class, nobody::stats);
        assertTrue(e.getMessage().contains("127.0.0.1:" + port), e.getMessage());
    }
}
