package dev.mockstorage.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mockstorage.internal.remote.HttpAdminClient;
import dev.mockstorage.testing.RawHttp;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code auth.mode = strict} guards the admin API as it guards S3: every call but {@code /health} and
 * {@code /metrics} must be signed with Signature Version 4 by the configured keys (header or presigned URL),
 * else it is refused with S3's code in the admin API's JSON error and does nothing. The remote handle
 * ({@code HttpAdminClient}, what {@code MockStorageContainer} hands out) signs every call; the in-process
 * runtime needs no signature; curl {@code --aws-sigv4} reaches the admin API with the keys. Open mode checks nothing.
 */
class StrictAdminApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final Path CURL = Path.of("/usr/bin/curl");

    @TempDir
    static Path work;

    @StartStop
    static final TestServer server = TestServer.create(b -> b.strictAuth().credentials("AKIDADMIN", "admin-secret"));

    static JsonNode jsonError(RawHttp.Response r, int status, String code) throws IOException {
        assertEquals(status, r.status(), r.bodyText());
        assertTrue(r.header("content-type").startsWith("application/json"), r.header("content-type"));
        JsonNode error = JSON.readTree(r.body());
        assertEquals(code, error.get("error").asText(), r.bodyText());
        return error;
    }

    @Test
    void anUnsignedAdminCallIs403AccessDeniedAsJsonAndDoesNothing() throws IOException {
        server.s3().createBucket(b -> b.bucket("kept"));
        JsonNode error = jsonError(server.raw().get("/api/v1/stats"), 403, "AccessDenied");
        assertTrue(error.get("message").asText().contains("auth.mode=strict"), error.toString());

        jsonError(server.raw().send("POST", "/api/v1/reset"), 403, "AccessDenied");
        jsonError(server.raw().send("DELETE", "/api/v1/buckets/kept"), 403, "AccessDenied");
        server.s3().headBucket(b -> b.bucket("kept")); // neither reset nor deleted
        jsonError(
                server.raw()
                        .send(
                                "POST",
                                "/api/v1/objects?bucket=kept&key=k",
                                Map.of(),
                                "x".getBytes(StandardCharsets.UTF_8)),
                403,
                "AccessDenied");
        assertTrue(server.s3().listObjectsV2(b -> b.bucket("kept")).contents().isEmpty());
        jsonError(
                server.raw().get("/api/v1/no-such-route"),
                403,
                "AccessDenied"); // the routes are not listed to strangers

        assertEquals(200, server.raw().get("/health").status(), "probes need no keys");
        assertEquals(200, server.raw().get("/metrics").status(), "scrapers need no keys");
    }

    @Test
    void theRemoteHandleSignsEveryCallWithItsKeys() {
        HttpAdminClient remote = new HttpAdminClient(server.endpoint(), "AKIDADMIN", "admin-secret");
        remote.createBucket("remote");
        remote.putObject("remote", "dir/a b+ü.txt", "signed body".getBytes(StandardCharsets.UTF_8), "text/plain");
        remote.awaitIdle(Duration.ofSeconds(10));
        assertEquals(
                "signed body",
                server.s3()
                        .getObjectAsBytes(b -> b.bucket("remote").key("dir/a b+ü.txt"))
                        .asUtf8String());
        assertTrue(remote.stats().objects().count() >= 1);
        assertTrue(remote.requests().all().stream().anyMatch(r -> "remote".equals(r.bucket())));
        assertEquals(3, remote.nodes().list().size());

        IllegalArgumentException wrongSecret = assertThrows(
                IllegalArgumentException.class,
                () -> new HttpAdminClient(server.endpoint(), "AKIDADMIN", "not-the-secret").stats());
        assertTrue(wrongSecret.getMessage().contains("SignatureDoesNotMatch"), wrongSecret.getMessage());
        IllegalArgumentException unknownKey = assertThrows(
                IllegalArgumentException.class,
                () -> new HttpAdminClient(server.endpoint()).createBucket("by-default-keys"));
        assertTrue(unknownKey.getMessage().contains("InvalidAccessKeyId"), unknownKey.getMessage());
    }

    @Test
    void theRemoteHandleStillSignsItsCallsAfterItMovedTheServersClockAMonthAhead(@TempDir Path dir) {
        try (TestServer own = TestServer.start(dir, b -> b.strictAuth())) {
            HttpAdminClient remote = new HttpAdminClient(
                    own.endpoint(), own.server().accessKey(), own.server().secretKey());
            remote.clock().advance(Duration.ofDays(31));
            assertEquals(Duration.ofDays(31), remote.clock().offset(), "signed with the real time, checked against it");
            remote.createBucket("after-a-month");
            own.s3().headBucket(b -> b.bucket("after-a-month"));
        }
    }

    @Test
    void theInProcessRuntimeNeedsNoSignature(@TempDir Path dir) {
        try (TestServer own = TestServer.start(dir, b -> b.strictAuth())) {
            own.server().createBucket("in-process");
            own.server().putObject("in-process", "k", "v".getBytes(StandardCharsets.UTF_8), "text/plain");
            own.server().awaitIdle(Duration.ofSeconds(10));
            assertEquals(1, own.server().stats().objects().count());
            own.server().reset();
            assertEquals(0, own.server().stats().objects().count());
        }
    }

    @Test
    void curlAwsSigv4AndAPresignedUrlReachTheAdminApi() throws IOException {
        ExternalProcess.requireExecutable(CURL, "apt-get install curl");
        ExternalProcess.Result created = curl("admin-secret", "-X", "PUT", server.url() + "/api/v1/buckets/by-curl");
        assertEquals("204", created.assertSuccess().stdout(), "created");
        String listed = curl("admin-secret", server.url() + "/api/v1/buckets")
                .assertSuccess()
                .stdout();
        assertTrue(listed.contains("\"by-curl\""), listed);
        String wrong = curl("wrong", server.url() + "/api/v1/buckets").stdout();
        assertTrue(wrong.endsWith("403"), wrong);
        assertEquals(
                "SignatureDoesNotMatch",
                JSON.readTree(wrong.substring(0, wrong.length() - 3))
                        .get("error")
                        .asText());

        SignedRequests.Signed presigned = SignedRequests.sign(
                server.endpoint(),
                "GET",
                "/api/v1/buckets",
                Map.of(),
                new byte[0],
                "AKIDADMIN",
                "admin-secret",
                Clock.systemUTC(),
                SignedRequests.Payload.UNSIGNED,
                Duration.ofMinutes(5));
        assertTrue(presigned.target().contains("X-Amz-Signature="), presigned.target());
        RawHttp.Response r = presigned.send(server.raw());
        assertEquals(200, r.status(), r.bodyText());
        assertTrue(r.bodyText().contains("\"by-curl\""), r.bodyText());
    }

    @Test
    void openModeChecksNothingAndIgnoresSignatures(@TempDir Path dir) throws IOException {
        try (TestServer open = TestServer.start(dir)) {
            assertEquals(200, open.raw().get("/api/v1/stats").status());
            HttpAdminClient anyKeys = new HttpAdminClient(open.endpoint(), "whoever", "whatever");
            anyKeys.createBucket("open");
            assertEquals(0, anyKeys.stats().objects().count());
        }
    }

    static ExternalProcess.Result curl(String secret, String... args) {
        // curl 7.x does not send x-amz-content-sha256 itself; given as a header, curl signs with it. -w: the status
        // last
        List<String> command = new ArrayList<>(List.of(
                CURL.toString(),
                "-sS",
                "-w",
                "%{http_code}",
                "--aws-sigv4",
                "aws:amz:us-east-1:s3",
                "--user",
                "AKIDADMIN:" + secret,
                "-H",
                "x-amz-content-sha256: UNSIGNED-PAYLOAD"));
        command.addAll(List.of(args));
        return ExternalProcess.run(command, work, Map.of(), null, null, ExternalProcess.DEFAULT_TIMEOUT);
    }
}
