package dev.mockstorage.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mockstorage.server.MockStorageServer;
import dev.mockstorage.thirdparty.Fault;
import dev.mockstorage.thirdparty.Match;
import dev.mockstorage.thirdparty.Reply;
import dev.mockstorage.thirdparty.ThirdParty;
import dev.mockstorage.thirdparty.ThirdPartyJson;
import dev.mockstorage.thirdparty.ThirdPartyScript;
import dev.mockstorage.thirdparty.UpstreamCall;
import dev.mockstorage.verification.Times;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The scripted upstream, through the server's real fetch code: every reply kind and fault, sequences,
 * matchers, recording and verification, in-process and over the admin API, driven with the AWS SDK.
 */
class ScriptedThirdPartyTest {

    @TempDir
    Path dir;

    private TestServer server;
    private S3Client s3;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** A server with read-through retries off (so each miss is one call) and an SDK client that does not retry. */
    private ThirdParty start(UnaryOperator<MockStorageServer.Builder> more) {
        server = TestServer.start(dir.resolve("data"), b -> more.apply(b.setting("third_party.retries", "0")));
        s3 = S3Client.builder()
                .endpointOverride(server.endpoint())
                .forcePathStyle(true)
                .region(Region.US_EAST_1)
                .credentialsProvider(TestServer.credentials(server.server()))
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
        s3.createBucket(b -> b.bucket("photos"));
        return server.server().thirdParty();
    }

    private ThirdParty start() {
        return start(UnaryOperator.identity());
    }

    private String get(String key) {
        return s3.getObjectAsBytes(b -> b.bucket("photos").key(key)).asUtf8String();
    }

    private S3Exception getFails(String key) {
        return assertThrows(S3Exception.class, () -> get(key));
    }

    @Test
    void aScriptedBodyIsServedStoredAndVerified() {
        ThirdParty tp = start();
        tp.script(ThirdPartyScript.when(Match.get("photos", "cat.txt"))
                .respond(Reply.ok("meow").contentType("text/plain").header("Content-Disposition", "inline")));

        ResponseBytes<GetObjectResponse> got =
                s3.getObjectAsBytes(b -> b.bucket("photos").key("cat.txt"));
        assertEquals("meow", got.asUtf8String());
        assertEquals("text/plain", got.response().contentType());
        assertEquals("inline", got.response().contentDisposition());
        assertEquals("meow", get("cat.txt"));

        tp.verify(Times.once(), Match.get("photos", "cat.txt"));
        UpstreamCall call = tp.calls().get(0);
        assertEquals("/photos/cat.txt", call.url());
        assertEquals("script-1", call.scriptId());
        assertEquals(200, call.status());
        assertTrue(tp.unmatchedCalls().isEmpty());
    }

    @Test
    void fetchOutcomesShowInStatsAndMetrics() throws Exception {
        ThirdParty tp = start();
        tp.script(
                ThirdPartyScript.when(Match.get("photos", "found")).respond(Reply.ok("here")),
                ThirdPartyScript.when(Match.get("photos", "gone")).respond(Reply.status(404)),
                ThirdPartyScript.when(Match.get("photos", "broken")).respond(Reply.status(500)));
        assertEquals("here", get("found"));
        assertEquals("here", get("found"), "the second GET is served from the store");
        assertThrows(NoSuchKeyException.class, () -> get("gone"));
        assertThrows(S3Exception.class, () -> get("broken"));

        dev.mockstorage.stats.ServerStats.ThirdParty stats =
                server.server().stats().thirdParty();
        assertEquals(new dev.mockstorage.stats.ServerStats.ThirdParty(1, 1, 1), stats);
        String metrics = java.net.http.HttpClient.newHttpClient()
                .send(
                        java.net.http.HttpRequest.newBuilder(server.endpoint().resolve("/metrics"))
                                .build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString())
                .body();
        for (String outcome : List.of("hit", "miss", "error")) {
            assertTrue(
                    metrics.contains(
                            "mockstorage_thirdparty_fetch_duration_seconds_count{outcome=\"" + outcome + "\"} 1"),
                    () -> outcome + " missing from:\n" + metrics);
        }
    }

    @Test
    void withoutScriptsAMissIsAPlainNoSuchKeyAndNoCallIsMade() {
        ThirdParty tp = start();
        assertThrows(NoSuchKeyException.class, () -> get("nothing"));
        assertTrue(tp.calls().isEmpty());
    }

    @Test
    void anUnscriptedCallIsRecordedAsUnmatchedAndIsNoSuchKey() {
        ThirdParty tp = start();
        tp.script(ThirdPartyScript.when(Match.get("photos", "known")).respond(Reply.ok("k")));
        assertThrows(NoSuchKeyException.class, () -> get("unknown"));
        List<UpstreamCall> unmatched = tp.unmatchedCalls();
        assertEquals(1, unmatched.size());
        assertEquals("unknown", unmatched.get(0).key());
        assertNull(unmatched.get(0).scriptId());
        assertEquals(404, unmatched.get(0).status());
    }

    @Test
    void aSequenceIsPlayedInOrderAndItsLastReplyRepeats() {
        ThirdParty tp = start();
        tp.script(ThirdPartyScript.when(Match.get("photos", "flaky")).respond(Reply.status(500), Reply.status(404)));
        assertEquals(503, getFails("flaky").statusCode());
        assertThrows(NoSuchKeyException.class, () -> get("flaky"));
        assertThrows(NoSuchKeyException.class, () -> get("flaky"));
        assertEquals(
                List.of(500, 404, 404),
                tp.calls().stream().map(UpstreamCall::status).toList());
    }

    @Test
    void readThroughRetriesA5xxAndAConnectionResetThenStores() {
        ThirdParty tp = start(b -> b.setting("third_party.retries", "2"));
        tp.script(ThirdPartyScript.when(Match.get("photos", "r"))
                .respond(Reply.status(503), Reply.fault(Fault.CONNECTION_RESET), Reply.ok("third time")));
        assertEquals("third time", get("r"));
        tp.verify(Times.exactly(3), Match.get("photos", "r"));
    }

    @Test
    void aConnectionResetIsAnErrorNamingTheUpstreamAndStoresNothing() {
        ThirdParty tp = start();
        tp.script(ThirdPartyScript.when(Match.bucket("photos")).respond(Reply.fault(Fault.CONNECTION_RESET)));
        S3Exception e = getFails("reset");
        assertEquals(503, e.statusCode());
        assertTrue(
                e.awsErrorDetails()
                        .errorMessage()
                        .matches("third-party source http://127\\.0\\.0\\.1:\\d+/photos/reset failed: .*"),
                e.awsErrorDetails().errorMessage());
        assertEquals(Fault.CONNECTION_RESET, tp.calls().get(0).fault());
        assertTrue(s3.listObjectsV2(b -> b.bucket("photos")).contents().isEmpty());
    }

    @Test
    void aTruncatedBodyIsAnErrorAndStoresNothing() {
        ThirdParty tp = start();
        tp.script(ThirdPartyScript.when(Match.get("photos", "cut"))
                .respond(Reply.fault(Fault.TRUNCATED_BODY).body("0123456789")));
        S3Exception e = getFails("cut");
        assertEquals(503, e.statusCode());
        assertTrue(
                e.awsErrorDetails().errorMessage().contains("sent a broken body for photos/cut"),
                e.awsErrorDetails().errorMessage());
        assertTrue(s3.listObjectsV2(b -> b.bucket("photos")).contents().isEmpty());
        tp.verify(Times.once(), Match.get("photos", "cut"));
    }

    @Test
    void noAnswerAndALongDelayTimeOutButAShortDelayIsWaitedFor() {
        ThirdParty tp = start(b -> b.setting("third_party.timeout_ms", "300"));
        tp.script(
                ThirdPartyScript.when(Match.get("photos", "silent")).respond(Reply.fault(Fault.NO_ANSWER)),
                ThirdPartyScript.when(Match.get("photos", "slow"))
                        .respond(Reply.ok("late").delay(Duration.ofSeconds(5))),
                ThirdPartyScript.when(Match.get("photos", "bit-slow"))
                        .respond(Reply.ok("soon").delay(Duration.ofMillis(50))));
        assertTrue(
                getFails("silent").awsErrorDetails().errorMessage().endsWith("did not answer: timed out after 300 ms"));
        assertTrue(
                getFails("slow").awsErrorDetails().errorMessage().endsWith("did not answer: timed out after 300 ms"));
        assertEquals("soon", get("bit-slow"));
        assertEquals(3, tp.calls().size());
    }

    @Test
    void prefixRegexAndUrlMatchersAndTheNewestScriptWins() {
        ThirdParty tp = start();
        tp.script(
                ThirdPartyScript.when(Match.keyPrefix("photos", "2024/")).respond(Reply.ok("prefix")),
                ThirdPartyScript.when(Match.keyRegex("photos", ".*\\.png")).respond(Reply.ok("regex")),
                ThirdPartyScript.when(Match.url("/photos/a%20b")).respond(Reply.ok("url")));
        assertEquals("prefix", get("2024/jan.jpg"));
        assertEquals("regex", get("x/y.png"));
        assertEquals("url", get("a b"));
        tp.script(ThirdPartyScript.when(Match.keyPrefix("photos", "2024/"))
                .respond(Reply.ok("override"))
                .withId("newer"));
        assertEquals("override", get("2024/feb.jpg"));
        assertEquals("newer", tp.calls().get(3).scriptId());
        tp.verify(Times.exactly(2), Match.keyPrefix("photos", "2024/"));
        tp.verify(Times.exactly(4), Match.any());
    }

    @Test
    void bodiesFromTheClasspathAndFromAFileAreStreamed() throws Exception {
        ThirdParty tp = start();
        Path file = Files.write(dir.resolve("body.bin"), new byte[] {0, 1, 2, (byte) 255});
        tp.script(
                ThirdPartyScript.when(Match.get("photos", "cp"))
                        .respond(Reply.status(200).bodyFromClasspath("thirdparty/hello.txt")),
                ThirdPartyScript.when(Match.get("photos", "file"))
                        .respond(Reply.status(200).bodyFromFile(file)));
        assertEquals("from the classpath\n", get("cp"));
        assertArrayEquals(
                new byte[] {0, 1, 2, (byte) 255},
                s3.getObjectAsBytes(b -> b.bucket("photos").key("file")).asByteArray());
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> tp.script(ThirdPartyScript.when(Match.any())
                        .respond(Reply.status(200).bodyFromClasspath("no/such.txt"))));
        assertTrue(e.getMessage().contains("no/such.txt"), e.getMessage());
        assertEquals(2, tp.scripts().size(), "a refused script is not added");
    }

    @Test
    void aFailedVerificationShowsTheCountAndTheClosestCalls() {
        ThirdParty tp = start();
        tp.script(ThirdPartyScript.when(Match.bucket("photos")).respond(Reply.ok("x")));
        get("cat.jpg");
        get("dog.jpg");
        AssertionError e =
                assertThrows(AssertionError.class, () -> tp.verify(Times.once(), Match.get("photos", "cat.jpeg")));
        String m = e.getMessage();
        assertTrue(
                m.startsWith(
                        "expected 1 third-party call matching GET bucket=photos key=\"cat.jpeg\" but there were 0 (2 recorded in all)"),
                m);
        assertTrue(
                m.contains(
                        "closest other calls:\n  GET /photos/cat.jpg -> 200 (script script-1)  [differs in key \"cat.jpg\"]"),
                m);
        AssertionError twice =
                assertThrows(AssertionError.class, () -> tp.verify(Times.exactly(2), Match.get("photos", "cat.jpg")));
        assertTrue(twice.getMessage().contains("but there was 1"), twice.getMessage());
        assertTrue(twice.getMessage().contains("matching calls:\n  GET /photos/cat.jpg"), twice.getMessage());
        tp.verify(Times.atLeast(2), Match.bucket("photos"));
        tp.verify(Match.get("photos", "dog.jpg"));
        AssertionError range =
                assertThrows(AssertionError.class, () -> tp.verify(Times.atLeast(3), Match.bucket("photos")));
        assertTrue(
                range.getMessage()
                        .startsWith("expected at least 3 third-party calls matching any method bucket=photos"
                                + " but there were 2"),
                range.getMessage());
    }

    @Test
    void resetForgetsScriptsAndCalls() {
        ThirdParty tp = start();
        tp.script(ThirdPartyScript.when(Match.any()).respond(Reply.ok("x")));
        get("a");
        tp.resetCalls();
        assertTrue(tp.calls().isEmpty());
        assertEquals(1, tp.scripts().size());
        tp.reset();
        assertTrue(tp.scripts().isEmpty());
        assertThrows(NoSuchKeyException.class, () -> get("b"));
        assertTrue(tp.calls().isEmpty(), "with no scripts left, misses do not call the upstream");
    }

    @Test
    void scriptsFromAFileNamedInTheConfigurationArePlayedFromStart() throws Exception {
        Path file = Files.writeString(dir.resolve("scripts.json"), """
                [ { "match": { "bucket": "photos", "key_prefix": "docs/" },
                    "responses": [ { "status": 200, "headers": { "Content-Type": "text/markdown" }, "body_file": "readme.md" } ] } ]
                """);
        Files.writeString(dir.resolve("readme.md"), "# hi");
        ThirdParty tp = start(b -> b.setting("third_party.scripts", file.toString()));
        ResponseBytes<GetObjectResponse> got =
                s3.getObjectAsBytes(b -> b.bucket("photos").key("docs/readme.md"));
        assertEquals("# hi", got.asUtf8String());
        assertEquals("text/markdown", got.response().contentType());
        assertEquals(1, tp.scripts().size());
    }

    @Test
    void aBadScriptFileStopsStartUpNamingTheFileAndField() throws Exception {
        Path file = Files.writeString(dir.resolve("scripts.json"), "[{\"response\": {\"stauts\": 200}}]");
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> MockStorageServer.builder()
                        .dataDirectory(dir.resolve("d"))
                        .setting("third_party.scripts", file.toString())
                        .start());
        assertEquals(
                "third_party.scripts: " + file + ": [0].response.stauts: unknown field (known here: body, body_base64, "
                        + "body_classpath, body_file, delay_ms, fault, headers, status)",
                e.getMessage());
    }

    @Test
    void scriptingIsRefusedWhenARealUpstreamIsConfigured() {
        ThirdParty tp = start(b -> b.setting("third_party.url", "http://127.0.0.1:9/{bucket}/{key}"));
        IllegalStateException e = assertThrows(
                IllegalStateException.class,
                () -> tp.script(ThirdPartyScript.when(Match.any()).respond(Reply.ok("x"))));
        assertTrue(
                e.getMessage().startsWith("third_party.url is set (http://127.0.0.1:9/{bucket}/{key})"),
                e.getMessage());
    }

    // ---------------------------------------------------------------- admin API

    private HttpResponse<String> admin(String method, String path, String body) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(server.url() + path));
        r.method(
                method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HttpClient.newHttpClient().send(r.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    @Test
    void theAdminApiScriptsListsVerifiesAndResets() throws Exception {
        ThirdParty tp = start();
        HttpResponse<String> added = admin("POST", "/api/v1/third-party/scripts", """
                {"id": "greeting", "match": {"method": "GET", "bucket": "photos", "key": "hello.txt"},
                 "response": {"status": 200, "headers": {"Content-Type": "text/plain"}, "body": "hello over admin"}}
                """);
        assertEquals(201, added.statusCode(), added.body());
        assertEquals(
                "greeting",
                ThirdPartyJson.parseScripts(added.body(), null).get(0).id());
        assertEquals(
                List.of("greeting"),
                ThirdPartyJson.parseScripts(
                                admin("GET", "/api/v1/third-party/scripts", null)
                                        .body(),
                                null)
                        .stream()
                        .map(ThirdPartyScript::id)
                        .toList());

        assertEquals("hello over admin", get("hello.txt"));
        assertThrows(NoSuchKeyException.class, () -> get("other.txt"));

        List<UpstreamCall> calls = ThirdPartyJson.parseCalls(
                admin("GET", "/api/v1/third-party/calls", null).body());
        assertEquals(tp.calls(), calls);
        List<UpstreamCall> unmatched = ThirdPartyJson.parseCalls(
                admin("GET", "/api/v1/third-party/calls?unmatched=true", null).body());
        assertEquals(
                List.of("other.txt"), unmatched.stream().map(UpstreamCall::key).toList());

        HttpResponse<String> ok = admin(
                "POST",
                "/api/v1/third-party/verify",
                ThirdPartyJson.writeVerification(Times.once(), Match.get("photos", "hello.txt")));
        assertEquals(200, ok.statusCode(), ok.body());
        HttpResponse<String> range = admin(
                "POST", "/api/v1/third-party/verify", "{\"times\": {\"min\": 1}, \"match\": {\"key\": \"hello.txt\"}}");
        assertEquals(200, range.statusCode(), range.body());
        HttpResponse<String> failed = admin(
                "POST",
                "/api/v1/third-party/verify",
                "{\"times\": 2, \"match\": {\"bucket\": \"photos\", \"key\": \"hello.txt\"}}");
        assertEquals(409, failed.statusCode());
        assertTrue(failed.body().contains("\"error\" : \"VerificationFailed\""), failed.body());
        assertTrue(
                failed.body()
                        .contains(
                                "expected 2 third-party calls matching any method bucket=photos key=\\\"hello.txt\\\" but there was 1"),
                failed.body());

        assertEquals(204, admin("DELETE", "/api/v1/third-party/calls", null).statusCode());
        assertTrue(tp.calls().isEmpty());
        assertEquals(204, admin("DELETE", "/api/v1/third-party/scripts", null).statusCode());
        assertTrue(tp.scripts().isEmpty());
    }

    @Test
    void theAdminApiAnswersBadRequestsWithJsonErrorsNamingTheField() throws Exception {
        start();
        HttpResponse<String> bad =
                admin("POST", "/api/v1/third-party/scripts", "{\"match\": {\"key\": 3}, \"response\": {}}");
        assertEquals(400, bad.statusCode());
        assertTrue(bad.body().contains("\"error\" : \"InvalidArgument\""), bad.body());
        assertTrue(bad.body().contains("match.key: expected a string, got 3"), bad.body());
        HttpResponse<String> wrongMethod = admin("PUT", "/api/v1/third-party/calls", "");
        assertEquals(405, wrongMethod.statusCode());
        HttpResponse<String> unknown = admin("GET", "/api/v1/third-party/nope", null);
        assertEquals(404, unknown.statusCode());
        assertTrue(unknown.body().contains("available: GET /api/v1/third-party/scripts,"), unknown.body());
        assertTrue(unknown.body().contains("DELETE /api/v1/third-party/scripts/{id}"), unknown.body());
        assertTrue(unknown.body().contains("POST /api/v1/third-party/verify"), unknown.body());
        assertFalse(unknown.body().contains("/api/v1/stats"), "only the third party's routes: " + unknown.body());
    }
}
