package dev.mockstorage.it;

import static dev.mockstorage.it.S3Assertions.assertS3Error;
import static dev.mockstorage.it.S3Assertions.assertSdkError;
import static dev.mockstorage.it.S3Assertions.text;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mockstorage.journal.RecordedRequest;
import dev.mockstorage.server.MockStorageServer;
import dev.mockstorage.testing.RawHttp;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * {@code auth.mode = strict}: the SDK (sync Apache client: signed aws-chunked with a signed trailer over
 * http; async Netty client: unsigned aws-chunked), the AWS CLI and curl's {@code --aws-sigv4} work with
 * the configured keys; a wrong secret, an unknown key, no signature, Signature V2, a skewed clock, a
 * tampered chunk and a body that does not match its signed hash are refused with S3's codes and store
 * nothing. The admin API is behind the same check ({@link StrictAdminApiTest}); {@code /health} is not.
 */
class StrictAuthTest {
    static final String BUCKET = "strict";
    static final Path AWS = AwsCli.AWS;
    static final Path CURL = Path.of("/usr/bin/curl");

    @TempDir
    static Path work;

    @StartStop
    static final TestServer server = TestServer.create(b -> b.strictAuth().credentials("AKIDSTRICT", "strict-secret"));

    @BeforeAll
    static void start() {
        server.createBucket(BUCKET);
    }

    static S3Client client(String accessKey, String secretKey) {
        return S3Client.builder()
                .endpointOverride(server.endpoint())
                .forcePathStyle(true)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
                .build();
    }

    static boolean exists(String key) {
        return server.s3().listObjectsV2(b -> b.bucket(BUCKET).prefix(key)).contents().stream()
                .anyMatch(o -> o.key().equals(key));
    }

    static String sentPayloadMode(String key) {
        return server.server().requests().all().stream()
                .filter(r -> key.equals(r.key()) && "PutObject".equals(r.operation()))
                .map(RecordedRequest::headers)
                .map(h -> h.get("x-amz-content-sha256"))
                .reduce((a, b) -> b)
                .orElseThrow();
    }

    @Test
    void theSyncClientsSignedChunksAndTrailerAreCheckedAndTheObjectRoundTrips() {
        byte[] body = TestData.pattern(3 * 1024 * 1024 + 17, 1);
        server.s3().putObject(b -> b.bucket(BUCKET).key("sync.bin"), RequestBody.fromBytes(body));
        assertEquals(
                "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER",
                sentPayloadMode("sync.bin"),
                "the sync client over http signs every chunk and the trailer");
        assertArrayEquals(
                body,
                server.s3()
                        .getObjectAsBytes(b -> b.bucket(BUCKET).key("sync.bin"))
                        .asByteArray());
        assertTrue(server.server().strictAuth());
    }

    @Test
    void theAsyncClientWorks() {
        byte[] body = TestData.pattern(300_000, 2);
        server.async()
                .putObject(b -> b.bucket(BUCKET).key("async.bin"), AsyncRequestBody.fromBytes(body))
                .join();
        assertArrayEquals(
                body,
                server.async()
                        .getObject(
                                b -> b.bucket(BUCKET).key("async.bin"),
                                software.amazon.awssdk.core.async.AsyncResponseTransformer.toBytes())
                        .join()
                        .asByteArray());
    }

    @Test
    void multipartTaggingAndDeleteObjectsWork() {
        String id = server.s3()
                .createMultipartUpload(b -> b.bucket(BUCKET).key("mp.bin"))
                .uploadId();
        byte[] part = TestData.pattern(5 * 1024 * 1024, 3);
        String etag = server.s3()
                .uploadPart(b -> b.bucket(BUCKET).key("mp.bin").uploadId(id).partNumber(1), RequestBody.fromBytes(part))
                .eTag();
        server.s3()
                .completeMultipartUpload(b -> b.bucket(BUCKET)
                        .key("mp.bin")
                        .uploadId(id)
                        .multipartUpload(m -> m.parts(
                                CompletedPart.builder().partNumber(1).eTag(etag).build())));
        server.s3()
                .putObjectTagging(b -> b.bucket(BUCKET)
                        .key("mp.bin")
                        .tagging(t -> t.tagSet(s -> s.key("k").value("v"))));
        assertEquals(
                "v",
                server.s3()
                        .getObjectTagging(b -> b.bucket(BUCKET).key("mp.bin"))
                        .tagSet()
                        .get(0)
                        .value());
        server.s3().deleteObjects(b -> b.bucket(BUCKET).delete(d -> d.objects(o -> o.key("mp.bin"))));
        assertTrue(!exists("mp.bin"));
    }

    @Test
    void aWrongSecretKeyIsSignatureDoesNotMatchAndStoresNothing() {
        try (S3Client wrong = client("AKIDSTRICT", "not-the-secret")) {
            assertSdkError(
                    403,
                    "SignatureDoesNotMatch",
                    () -> wrong.putObject(b -> b.bucket(BUCKET).key("wrong-secret"), RequestBody.fromString("x")));
            assertSdkError(403, "SignatureDoesNotMatch", () -> wrong.listObjectsV2(b -> b.bucket(BUCKET)));
        }
        assertTrue(!exists("wrong-secret"));
    }

    @Test
    void anUnknownAccessKeyIsInvalidAccessKeyId() {
        try (S3Client unknown = client("AKIDUNKNOWN", "strict-secret")) {
            assertSdkError(
                    403,
                    "InvalidAccessKeyId",
                    () -> unknown.putObject(b -> b.bucket(BUCKET).key("unknown-key"), RequestBody.fromString("x")));
        }
        Document error = assertS3Error(
                SignedRequests.sign(
                                server.endpoint(),
                                "GET",
                                "/" + BUCKET,
                                Map.of(),
                                new byte[0],
                                "AKIDUNKNOWN",
                                "x",
                                Clock.systemUTC(),
                                SignedRequests.Payload.UNSIGNED)
                        .send(server.raw()),
                403,
                "InvalidAccessKeyId");
        assertEquals("AKIDUNKNOWN", text(error, "AWSAccessKeyId"));
    }

    @Test
    void signatureDoesNotMatchShowsTheStringToSignAndCanonicalRequest() {
        RawHttp.Response r = SignedRequests.sign(
                        server.endpoint(),
                        "GET",
                        "/" + BUCKET + "?list-type=2&prefix=a%20b",
                        Map.of(),
                        new byte[0],
                        "AKIDSTRICT",
                        "wrong",
                        Clock.systemUTC(),
                        SignedRequests.Payload.UNSIGNED)
                .send(server.raw());
        Document error = assertS3Error(r, 403, "SignatureDoesNotMatch");
        assertTrue(text(error, "StringToSign").startsWith("AWS4-HMAC-SHA256\n"), text(error, "StringToSign"));
        assertTrue(
                text(error, "CanonicalRequest").startsWith("GET\n/" + BUCKET + "\nlist-type=2&prefix=a%20b\nhost:"),
                text(error, "CanonicalRequest"));
        assertEquals("AKIDSTRICT", text(error, "AWSAccessKeyId"));
    }

    @Test
    void theSdkSignerIsAcceptedForHashedUnsignedAndChunkedPayloads() {
        for (SignedRequests.Payload p : SignedRequests.Payload.values()) {
            byte[] body = TestData.pattern(200_000, p.ordinal());
            RawHttp.Response r = sign("PUT", "/" + BUCKET + "/signer-" + p, body, p, Clock.systemUTC())
                    .send(server.raw());
            assertEquals(200, r.status(), () -> p + ": " + new String(r.body(), StandardCharsets.UTF_8));
            assertArrayEquals(
                    body,
                    server.s3()
                            .getObjectAsBytes(b -> b.bucket(BUCKET).key("signer-" + p))
                            .asByteArray());
        }
    }

    @Test
    void aTamperedChunkFailsTheUploadAndStoresNothing() {
        byte[] body = TestData.pattern(200_000, 7); // more than one 128 KiB chunk
        SignedRequests.Signed signed =
                sign("PUT", "/" + BUCKET + "/tampered-chunk", body, SignedRequests.Payload.CHUNKED, Clock.systemUTC());
        byte[] bytes = signed.body().clone();
        bytes[bytes.length - 500] ^= 1; // in the data of the second chunk
        Document error = assertS3Error(signed.withBody(bytes).send(server.raw()), 403, "SignatureDoesNotMatch");
        assertTrue(text(error, "Message").contains("chunk 2"), text(error, "Message"));
        assertTrue(!exists("tampered-chunk"));

        byte[] sig = signed.body().clone(); // first chunk's own signature changed
        int at = new String(sig, StandardCharsets.ISO_8859_1).indexOf("chunk-signature=") + "chunk-signature=".length();
        sig[at] = (byte) (sig[at] == 'a' ? 'b' : 'a');
        assertS3Error(signed.withBody(sig).send(server.raw()), 403, "SignatureDoesNotMatch");
        assertTrue(!exists("tampered-chunk"));
    }

    @Test
    void aBodyThatDoesNotMatchItsSignedHashIsRefusedAndStoresNothing() {
        byte[] body = "the signed body".getBytes(StandardCharsets.UTF_8);
        SignedRequests.Signed signed =
                sign("PUT", "/" + BUCKET + "/bad-hash", body, SignedRequests.Payload.HASHED, Clock.systemUTC());
        Document error = assertS3Error(
                signed.withBody("the other body!".getBytes(StandardCharsets.UTF_8))
                        .send(server.raw()),
                400,
                "XAmzContentSHA256Mismatch");
        assertEquals(signed.headers().get("x-amz-content-sha256"), text(error, "ClientComputedContentSHA256"));
        assertTrue(!exists("bad-hash"));

        server.s3().putObject(b -> b.bucket(BUCKET).key("tag-me"), RequestBody.fromString("x"));
        byte[] xml = "<Tagging><TagSet><Tag><Key>a</Key><Value>b</Value></Tag></TagSet></Tagging>"
                .getBytes(StandardCharsets.UTF_8);
        SignedRequests.Signed tagging =
                sign("PUT", "/" + BUCKET + "/tag-me?tagging", xml, SignedRequests.Payload.HASHED, Clock.systemUTC());
        byte[] other = xml.clone();
        other[other.length - 30] = 'c';
        assertS3Error(tagging.withBody(other).send(server.raw()), 400, "XAmzContentSHA256Mismatch");
        assertTrue(server.s3()
                .getObjectTagging(b -> b.bucket(BUCKET).key("tag-me"))
                .tagSet()
                .isEmpty());
    }

    @Test
    void aClockMoreThanFifteenMinutesOffIsRequestTimeTooSkewed() {
        Clock past = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-20));
        Document error = assertS3Error(
                sign("GET", "/" + BUCKET, new byte[0], SignedRequests.Payload.UNSIGNED, past)
                        .send(server.raw()),
                403,
                "RequestTimeTooSkewed");
        assertEquals("900000", text(error, "MaxAllowedSkewMilliseconds"));
        Clock nearly = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-10));
        assertEquals(
                200,
                sign("GET", "/" + BUCKET, new byte[0], SignedRequests.Payload.UNSIGNED, nearly)
                        .send(server.raw())
                        .status());
    }

    @Test
    void unsignedAndSignatureV2RequestsAreRefusedButHealthIsOpen() {
        Document anonymous = assertS3Error(server.raw().get("/" + BUCKET), 403, "AccessDenied");
        assertTrue(text(anonymous, "Message").contains("auth.mode=strict"), text(anonymous, "Message"));
        assertS3Error(
                server.raw().send("PUT", "/" + BUCKET + "/anon", Map.of(), "x".getBytes(StandardCharsets.UTF_8)),
                403,
                "AccessDenied");
        assertTrue(!exists("anon"));
        Document v2 = assertS3Error(
                server.raw()
                        .send(
                                "GET",
                                "/" + BUCKET,
                                Map.of(
                                        "Authorization",
                                        "AWS AKIDSTRICT:c2lnbmF0dXJl",
                                        "Date",
                                        "Mon, 01 Jan 2024 00:00:00 GMT"),
                                new byte[0]),
                400,
                "InvalidRequest");
        assertTrue(text(v2, "Message").contains("AWS4-HMAC-SHA256"), text(v2, "Message"));
        assertS3Error(
                server.raw().get("/" + BUCKET + "/k?AWSAccessKeyId=AKIDSTRICT&Expires=1&Signature=x"),
                400,
                "InvalidRequest");
        assertEquals(200, server.raw().get("/health").status());
    }

    @Test
    void theAwsCliWorksWithTheKeysAndFailsWithAWrongOne() throws Exception {
        ExternalProcess.requireExecutable(AWS, "apt-get install awscli");
        Path file = Files.write(work.resolve("cli.txt"), "from the cli\n".getBytes(StandardCharsets.UTF_8));
        aws("strict-secret", "s3", "cp", file.toString(), "s3://" + BUCKET + "/cli.txt")
                .assertSuccess();
        assertEquals(
                "from the cli\n",
                server.s3()
                        .getObjectAsBytes(b -> b.bucket(BUCKET).key("cli.txt"))
                        .asUtf8String());
        assertTrue(aws("strict-secret", "s3", "ls", "s3://" + BUCKET + "/")
                .assertSuccess()
                .stdout()
                .contains("cli.txt"));
        ExternalProcess.Result wrong =
                aws("wrong-secret", "s3", "cp", file.toString(), "s3://" + BUCKET + "/cli-wrong.txt");
        assertNotEquals(0, wrong.exitCode());
        assertTrue(wrong.stderr().contains("SignatureDoesNotMatch"), wrong::describe);
        assertTrue(!exists("cli-wrong.txt"));
    }

    @Test
    void curlAwsSigv4Works() throws Exception {
        ExternalProcess.requireExecutable(CURL, "apt-get install curl");
        Path file = Files.write(work.resolve("curl.txt"), "from curl\n".getBytes(StandardCharsets.UTF_8));
        String url = server.url() + "/" + BUCKET + "/curl.txt";
        assertEquals(
                "",
                curl("strict-secret", "-T", file.toString(), url)
                        .assertSuccess()
                        .stdout());
        assertEquals("from curl\n", curl("strict-secret", url).assertSuccess().stdout());
        ExternalProcess.Result wrong = curl("wrong", url);
        assertTrue(wrong.stdout().contains("<Code>SignatureDoesNotMatch</Code>"), wrong::describe);
    }

    @Test
    void aBadAuthModeStopsStartUpNamingTheSetting() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> MockStorageServer.builder()
                        .dataDirectory(work.resolve("bad-mode"))
                        .setting("auth.mode", "sometimes")
                        .start()
                        .close());
        assertTrue(e.getMessage().contains("auth.mode"), e.getMessage());
    }

    @Test
    void configJsonTurnsStrictModeOnWithItsKeys() throws Exception {
        Path config = Files.writeString(
                work.resolve("auth-config.json"),
                "{\"server\": {\"port\": 0}, \"auth\": "
                        + "{\"mode\": \"strict\", \"access_key\": \"AKIDFILE\", \"secret_key\": \"file-secret\"}}");
        try (MockStorageServer s = MockStorageServer.builder()
                .configFile(config)
                .dataDirectory(work.resolve("from-file"))
                .start()) {
            assertTrue(s.strictAuth());
            assertEquals("AKIDFILE", s.accessKey());
            assertEquals("file-secret", s.secretKey());
        }
        try (MockStorageServer s = MockStorageServer.builder()
                .dataDirectory(work.resolve("defaults"))
                .start()) {
            assertTrue(!s.strictAuth());
            assertEquals(MockStorageServer.DEFAULT_ACCESS_KEY, s.accessKey());
        }
    }

    static SignedRequests.Signed sign(
            String method, String target, byte[] body, SignedRequests.Payload payload, Clock clock) {
        return SignedRequests.sign(
                server.endpoint(), method, target, Map.of(), body, "AKIDSTRICT", "strict-secret", clock, payload);
    }

    static ExternalProcess.Result aws(String secret, String... args) {
        return AwsCli.run(server.url(), "AKIDSTRICT", secret, AwsCli.pathStyleConfig(work), work, args);
    }

    static ExternalProcess.Result curl(String secret, String... args) {
        // curl 7.x does not send x-amz-content-sha256 itself (S3 requires it); given as a header, curl signs with it
        List<String> command = new ArrayList<>(List.of(
                CURL.toString(),
                "-sS",
                "--aws-sigv4",
                "aws:amz:us-east-1:s3",
                "--user",
                "AKIDSTRICT:" + secret,
                "-H",
                "x-amz-content-sha256: UNSIGNED-PAYLOAD"));
        command.addAll(List.of(args));
        return ExternalProcess.run(command, work, Map.of(), null, null, ExternalProcess.DEFAULT_TIMEOUT);
    }
}
