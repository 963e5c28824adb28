package dev.mockstorage.it;

import static dev.mockstorage.it.S3Assertions.assertS3Error;
import static dev.mockstorage.it.S3Assertions.parseXml;
import static dev.mockstorage.it.S3Assertions.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mockstorage.testing.RawHttp;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.s3.presigner.model.PresignedPutObjectRequest;

/**
 * Presigned URLs made by the SDK's {@code S3Presigner} and by {@code aws s3 presign}, used with plain
 * {@code java.net.http} and curl: GET and PUT (with a signed Content-Type) in the default open mode and in
 * strict mode; in strict mode an expired, tampered or wrongly used URL is refused as S3 refuses it.
 */
class PresignedUrlTest {
    static final String BUCKET = "presigned";
    static final String KEY = "dir/a b+ü.txt"; // needs percent-encoding in the path
    static final Path AWS = AwsCli.AWS;
    static final Path CURL = Path.of("/usr/bin/curl");
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path work;

    @StartStop
    static final TestServer open = TestServer.create();

    @StartStop
    static final TestServer strict = TestServer.create(b -> b.strictAuth());

    @BeforeAll
    static void start() {
        for (TestServer s : List.of(open, strict)) {
            s.createBucket(BUCKET);
            s.s3().putObject(
                            b -> b.bucket(BUCKET).key(KEY).contentType("text/plain"),
                            RequestBody.fromString("presigned body"));
        }
    }

    static S3Presigner presigner(TestServer server) {
        return S3Presigner.builder()
                .endpointOverride(server.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(TestServer.credentials(server.server()))
                .serviceConfiguration(
                        S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .build();
    }

    static URL presignGet(TestServer server, String key) {
        try (S3Presigner p = presigner(server)) {
            return p.presignGetObject(r -> r.signatureDuration(Duration.ofMinutes(5))
                            .getObjectRequest(g -> g.bucket(BUCKET).key(key)))
                    .url();
        }
    }

    static PresignedPutObjectRequest presignPut(TestServer server, String key, String contentType) {
        try (S3Presigner p = presigner(server)) {
            return p.presignPutObject(r -> r.signatureDuration(Duration.ofMinutes(5))
                    .putObjectRequest(b -> b.bucket(BUCKET).key(key).contentType(contentType)));
        }
    }

    static HttpResponse<byte[]> get(URL url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(url.toURI()).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    static HttpResponse<byte[]> put(URL url, String contentType, byte[] body) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(url.toURI())
                        .header("Content-Type", contentType)
                        .PUT(HttpRequest.BodyPublishers.ofByteArray(body))
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    @Test
    void presignedGetAndPutWorkWithJavaNetHttpInBothModes() throws Exception {
        for (TestServer server : List.of(open, strict)) {
            HttpResponse<byte[]> got = get(presignGet(server, KEY));
            assertEquals(200, got.statusCode(), () -> utf8(got.body()));
            assertEquals("presigned body", utf8(got.body()));

            PresignedPutObjectRequest put = presignPut(server, "uploaded/by url.json", "application/json");
            assertTrue(put.signedHeaders().containsKey("content-type"), put.signedHeaders()::toString);
            HttpResponse<byte[]> stored =
                    put(put.url(), "application/json", "{\"a\":1}".getBytes(StandardCharsets.UTF_8));
            assertEquals(200, stored.statusCode(), () -> utf8(stored.body()));
            var object = server.s3().getObjectAsBytes(b -> b.bucket(BUCKET).key("uploaded/by url.json"));
            assertEquals("{\"a\":1}", object.asUtf8String());
            assertEquals("application/json", object.response().contentType());
        }
    }

    @Test
    void presignedGetAndPutWorkWithCurlInBothModes() throws Exception {
        ExternalProcess.requireExecutable(CURL, "apt-get install curl");
        Path file = Files.writeString(work.resolve("curl-upload.txt"), "uploaded by curl\n");
        for (TestServer server : List.of(open, strict)) {
            assertEquals(
                    "presigned body",
                    curl(presignGet(server, KEY).toString()).assertSuccess().stdout());
            PresignedPutObjectRequest put = presignPut(server, "curl/upload.txt", "text/plain");
            curl(
                            "-T",
                            file.toString(),
                            "-H",
                            "Content-Type: text/plain",
                            put.url().toString())
                    .assertSuccess();
            GetObjectResponse head = server.s3()
                    .getObject(b -> b.bucket(BUCKET).key("curl/upload.txt"))
                    .response();
            assertEquals("text/plain", head.contentType());
            assertEquals(
                    "uploaded by curl\n",
                    server.s3()
                            .getObjectAsBytes(b -> b.bucket(BUCKET).key("curl/upload.txt"))
                            .asUtf8String());
        }
    }

    @Test
    void anAwsCliPresignedUrlWorksWithCurlInBothModes() throws Exception {
        ExternalProcess.requireExecutable(AWS, "apt-get install awscli");
        ExternalProcess.requireExecutable(CURL, "apt-get install curl");
        for (TestServer server : List.of(open, strict)) {
            String url = aws(server, "s3", "presign", "s3://" + BUCKET + "/" + KEY, "--expires-in", "300")
                    .assertSuccess()
                    .stdout()
                    .strip();
            assertTrue(url.contains("X-Amz-Signature="), url);
            assertEquals("presigned body", curl(url).assertSuccess().stdout());
        }
    }

    @Test
    void anExpiredUrlIsAccessDeniedWithItsExpiryInStrictModeOnly() {
        Instant signedAt = Instant.now().minus(Duration.ofHours(2));
        SignedRequests.Signed expired = SignedRequests.sign(
                strict.endpoint(),
                "GET",
                "/" + BUCKET + "/dir/a%20b%2B%C3%BC.txt",
                Map.of(),
                new byte[0],
                strict.server().accessKey(),
                strict.server().secretKey(),
                Clock.fixed(signedAt, java.time.ZoneOffset.UTC),
                SignedRequests.Payload.UNSIGNED,
                Duration.ofSeconds(60));
        Document error = assertS3Error(expired.send(strict.raw()), 403, "AccessDenied");
        assertEquals("Request has expired", text(error, "Message"));
        assertEquals("60", text(error, "X-Amz-Expires"));
        assertEquals(
                signedAt.plusSeconds(60)
                        .truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                        .toString(),
                text(error, "Expires"));
        assertTrue(Instant.parse(text(error, "ServerTime")).isAfter(signedAt.plusSeconds(60)));

        SignedRequests.Signed fresh = SignedRequests.sign(
                strict.endpoint(),
                "GET",
                "/" + BUCKET + "/dir/a%20b%2B%C3%BC.txt",
                Map.of(),
                new byte[0],
                strict.server().accessKey(),
                strict.server().secretKey(),
                Clock.systemUTC(),
                SignedRequests.Payload.UNSIGNED,
                Duration.ofSeconds(60));
        RawHttp.Response ok = fresh.send(strict.raw());
        assertEquals(200, ok.status(), () -> utf8(ok.body()));
        assertEquals(200, expired.send(open.raw()).status(), "open mode checks nothing, not even expiry");
    }

    /**
     * {@code aws s3 presign} signs any lifetime (the SDKs refuse one outside 1 s to a week before sending); S3 refuses a
     * lifetime of 0, below 0 or above a week with 403, where its other query-parameter errors are 400.
     */
    @Test
    void aLifetimeOfZeroNegativeOrAboveAWeekIsRefusedWith403InStrictMode() throws Exception {
        ExternalProcess.requireExecutable(AWS, "apt-get install awscli");
        ExternalProcess.requireExecutable(CURL, "apt-get install curl");
        for (String seconds : List.of("0", "-7", "609901")) {
            String url = aws(strict, "s3", "presign", "s3://" + BUCKET + "/" + KEY, "--expires-in", seconds)
                    .assertSuccess()
                    .stdout()
                    .strip();
            assertTrue(url.contains("X-Amz-Expires=" + seconds + "&"), url);
            String out = curl("-w", "%{http_code}", url).stdout(); // the error body, then its status
            assertEquals("403", out.substring(out.length() - 3), out);
            Document error = parseXml(out.substring(0, out.length() - 3).getBytes(StandardCharsets.UTF_8));
            assertEquals("AuthorizationQueryParametersError", text(error, "Code"), seconds);
            assertEquals(seconds, text(error, "X-Amz-Expires"));
        }
        String week = aws(strict, "s3", "presign", "s3://" + BUCKET + "/" + KEY, "--expires-in", "604800")
                .assertSuccess()
                .stdout()
                .strip();
        assertEquals("presigned body", curl(week).assertSuccess().stdout(), "a week exactly is allowed");
    }

    @Test
    void aTamperedUrlIsSignatureDoesNotMatchInStrictMode() throws Exception {
        strict.s3().putObject(b -> b.bucket(BUCKET).key("other.txt"), RequestBody.fromString("other"));
        String url = presignGet(strict, KEY).toString();
        String otherKey = url.replace("/dir/", "/").replaceFirst("/a%20b[^?]*\\?", "/other.txt?");
        HttpResponse<byte[]> tampered = get(URI.create(otherKey).toURL());
        assertEquals(403, tampered.statusCode(), otherKey);
        Document error = parseXml(tampered.body());
        assertEquals("SignatureDoesNotMatch", text(error, "Code"));
        assertTrue(
                text(error, "CanonicalRequest").startsWith("GET\n/" + BUCKET + "/other.txt\n"),
                text(error, "CanonicalRequest"));

        HttpResponse<byte[]> longer = get(URI.create(url.replace("X-Amz-Expires=300", "X-Amz-Expires=3000"))
                .toURL());
        assertEquals("SignatureDoesNotMatch", text(parseXml(longer.body()), "Code"));
    }

    @Test
    void aPresignedPutWithAnotherContentTypeOrAnotherKeyStoresNothingInStrictMode() throws Exception {
        PresignedPutObjectRequest put = presignPut(strict, "typed.json", "application/json");
        HttpResponse<byte[]> wrongType = put(put.url(), "text/plain", "{}".getBytes(StandardCharsets.UTF_8));
        assertEquals(403, wrongType.statusCode());
        assertEquals("SignatureDoesNotMatch", text(parseXml(wrongType.body()), "Code"));
        assertTrue(strict.s3()
                .listObjectsV2(b -> b.bucket(BUCKET).prefix("typed.json"))
                .contents()
                .isEmpty());

        try (S3Presigner unknown = S3Presigner.builder()
                .endpointOverride(strict.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(
                        () -> software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("AKIDNOBODY", "x"))
                .serviceConfiguration(
                        S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .build()) {
            URL url = unknown.presignPutObject(r -> r.signatureDuration(Duration.ofMinutes(1))
                            .putObjectRequest(b -> b.bucket(BUCKET).key("nobody.txt")))
                    .url();
            HttpResponse<byte[]> refused = HTTP.send(
                    HttpRequest.newBuilder(url.toURI())
                            .PUT(HttpRequest.BodyPublishers.ofString("x"))
                            .build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(403, refused.statusCode());
            assertEquals("InvalidAccessKeyId", text(parseXml(refused.body()), "Code"));
        }
        assertTrue(strict.s3()
                .listObjectsV2(b -> b.bucket(BUCKET).prefix("nobody.txt"))
                .contents()
                .isEmpty());
    }

    static ExternalProcess.Result curl(String... args) {
        List<String> command = new ArrayList<>(List.of(CURL.toString(), "-sS", "--fail-with-body"));
        command.addAll(List.of(args));
        return ExternalProcess.run(command, work, Map.of(), null, null, ExternalProcess.DEFAULT_TIMEOUT);
    }

    static ExternalProcess.Result aws(TestServer server, String... args) {
        return AwsCli.run(server, work, args);
    }
}
