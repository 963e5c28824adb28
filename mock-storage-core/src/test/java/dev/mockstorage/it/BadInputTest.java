package dev.mockstorage.it;

import static dev.mockstorage.it.S3Assertions.assertS3Error;
import static dev.mockstorage.it.S3Assertions.assertS3ErrorAnyCode;
import static dev.mockstorage.it.S3Assertions.childTexts;
import static dev.mockstorage.it.S3Assertions.parseXml;
import static dev.mockstorage.it.S3Assertions.text;
import static dev.mockstorage.it.TestData.md5Base64;
import static dev.mockstorage.it.TestData.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import dev.mockstorage.testing.RawHttp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.w3c.dom.Document;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Input no well-behaved client sends, over raw sockets: invalid bucket names, digests that do not
 * match, broken aws-chunked framing, bodies shorter than announced, malformed XML, and request
 * paths that try to climb out of the data directory. Every error is S3 error XML with a code, a
 * non-empty message and a request id, and leaves nothing half-written behind.
 *
 * <p>The data directory sits five levels below the test's temp dir, so a path that escaped it with
 * {@code ..} would land inside the temp dir, where the test sees it.
 */
class BadInputTest {

    static final String BUCKET = "bkt";

    @StartStop
    final TestServer server = TestServer.create().withDataDirectory("l1/l2/l3/l4/data");

    Path root;
    Path dataDir;
    RawHttp raw;

    @BeforeEach
    void start() {
        root = server.directory();
        dataDir = server.dataDirectory();
        raw = server.raw();
        server.createBucket(BUCKET);
    }

    // ---- bucket names ---------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(
            strings = {
                "AB",
                "a",
                "ab",
                "-abc",
                "abc-",
                "a..b",
                "abc_def",
                "Upper-Case",
                "192.168.1.1",
                "a234567890123456789012345678901234567890123456789012345678901234"
            })
    void invalidBucketNameIsRejected(String name) {
        assertS3Error(raw.put("/" + name, Map.of(), new byte[0]), 400, "InvalidBucketName");
        assertEquals(List.of(BUCKET), bucketNames(), "no bucket was created");
    }

    @Test
    void sixtyThreeCharacterBucketNameIsValid() {
        String name = "a".repeat(63);
        assertEquals(200, raw.put("/" + name, Map.of(), new byte[0]).status());
        assertEquals(List.of(name, BUCKET), bucketNames());
    }

    // ---- missing things -------------------------------------------------------------------------

    @Test
    void getFromAMissingBucketIsNoSuchBucket() {
        Document error = assertS3Error(raw.get("/no-such-bucket/some/key"), 404, "NoSuchBucket");
        assertEquals("no-such-bucket", text(error, "BucketName"));
    }

    @Test
    void getOfAMissingKeyIsNoSuchKeyNamingTheKey() {
        Document error = assertS3Error(raw.get("/" + BUCKET + "/missing/key%20one.txt"), 404, "NoSuchKey");
        assertEquals("missing/key one.txt", text(error, "Key"));
    }

    @Test
    void headOfAMissingKeyIs404WithoutBody() {
        RawHttp.Response response = raw.send("HEAD", "/" + BUCKET + "/missing");
        assertEquals(404, response.status());
        assertEquals(0, response.body().length);
        S3Assertions.assertRequestIdHeader(response);
    }

    // ---- digests --------------------------------------------------------------------------------

    @Test
    void wrongContentMd5IsBadDigestAndNothingIsStored() {
        RawHttp.Response response = raw.put(
                "/" + BUCKET + "/md5", Map.of("Content-MD5", md5Base64(utf8("something else"))), utf8("the body"));
        assertS3Error(response, 400, "BadDigest");
        assertNoKeys();
    }

    @ParameterizedTest
    @ValueSource(strings = {"not base64!", "AAAA", "dGhpcyBpcyBub3QgYW4gbWQ1IGRpZ2VzdCBhdCBhbGw="})
    void malformedContentMd5IsInvalidDigest(String contentMd5) {
        RawHttp.Response response = raw.put("/" + BUCKET + "/md5", Map.of("Content-MD5", contentMd5), utf8("the body"));
        assertS3Error(response, 400, "InvalidDigest");
        assertNoKeys();
    }

    @Test
    void wrongChecksumHeaderIsBadDigest() {
        RawHttp.Response response = raw.put(
                "/" + BUCKET + "/crc",
                Map.of("x-amz-checksum-crc32c", TestData.crc32cBase64(utf8("something else"))),
                utf8("the body"));
        assertS3Error(response, 400, "BadDigest");
        assertNoKeys();
    }

    // ---- broken bodies --------------------------------------------------------------------------

    static Map<String, String> awsChunkedHeaders(String contentSha256, int decodedLength) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Encoding", "aws-chunked");
        headers.put("x-amz-content-sha256", contentSha256);
        headers.put("x-amz-decoded-content-length", Integer.toString(decodedLength));
        return headers;
    }

    @Test
    void malformedSignedAwsChunkedFramingIs400() {
        String sig = "0".repeat(64);
        String body = "zz;chunk-signature=" + sig + "\r\nhello\r\n0;chunk-signature=" + sig + "\r\n\r\n";
        RawHttp.Response response = raw.put(
                "/" + BUCKET + "/framing", awsChunkedHeaders("STREAMING-AWS4-HMAC-SHA256-PAYLOAD", 5), utf8(body));
        assertS3ErrorAnyCode(response, 400);
        assertNoKeys();
    }

    @Test
    void malformedUnsignedAwsChunkedFramingIs400() {
        Map<String, String> headers = awsChunkedHeaders("STREAMING-UNSIGNED-PAYLOAD-TRAILER", 5);
        headers.put("x-amz-trailer", "x-amz-checksum-crc32");
        String body = "zz\r\nhello\r\n0\r\nx-amz-checksum-crc32:" + TestData.crc32Base64(utf8("hello")) + "\r\n\r\n";
        assertS3ErrorAnyCode(raw.put("/" + BUCKET + "/framing", headers, utf8(body)), 400);
        assertNoKeys();
    }

    @Test
    void awsChunkedBodyShorterThanItsDecodedLengthIs400() {
        String body = "5\r\nhello\r\n0\r\n\r\n";
        RawHttp.Response response = raw.put(
                "/" + BUCKET + "/short", awsChunkedHeaders("STREAMING-UNSIGNED-PAYLOAD-TRAILER", 10), utf8(body));
        assertS3ErrorAnyCode(response, 400);
        assertNoKeys();
    }

    @Test
    void chunkLongerThanItsDeclaredSizeIs400() {
        String body = "3\r\nhello\r\n0\r\n\r\n";
        RawHttp.Response response = raw.put(
                "/" + BUCKET + "/long-chunk", awsChunkedHeaders("STREAMING-UNSIGNED-PAYLOAD-TRAILER", 3), utf8(body));
        assertS3ErrorAnyCode(response, 400);
        assertNoKeys();
    }

    @Test
    void bodyShorterThanContentLengthThenHalfCloseIsIncompleteBody() {
        s3Put("truncated", "version one");
        String head = "PUT /" + BUCKET + "/truncated HTTP/1.1\r\nHost: "
                + server.endpoint().getAuthority() + "\r\nContent-Length: 100\r\nConnection: close\r\n\r\n";
        byte[] bytes = utf8(head + "x".repeat(50));

        RawHttp.Response response = raw.exchange(bytes, true, false);

        assertS3Error(response, 400, "IncompleteBody");
        assertEquals(
                "version one",
                server.s3()
                        .getObjectAsBytes(b -> b.bucket(BUCKET).key("truncated"))
                        .asUtf8String(),
                "the previous version stays");
        assertEquals(List.of("truncated"), keys());
    }

    @Test
    void chunkedTransferEndingEarlyIsIncompleteBody() {
        String head = "PUT /" + BUCKET + "/chunked-cut HTTP/1.1\r\nHost: "
                + server.endpoint().getAuthority() + "\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n";
        byte[] bytes = utf8(head + "a\r\n12345");

        RawHttp.Response response = raw.exchange(bytes, true, false);

        assertS3ErrorAnyCode(response, 400);
        assertNoKeys();
    }

    // ---- XML --------------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(
            strings = {
                "<Delete><Object><Key>keep</Key></Object>",
                "not xml at all",
                "<Delete><Object><Key>keep</Key></Wrong></Delete>"
            })
    void malformedDeleteObjectsXmlIsMalformedXml(String xml) {
        s3Put("keep", "still here");
        byte[] body = utf8(xml);
        RawHttp.Response response = raw.send(
                "POST",
                "/" + BUCKET + "?delete",
                Map.of("Content-MD5", md5Base64(body), "Content-Type", "application/xml"),
                body);
        assertS3Error(response, 400, "MalformedXML");
        assertEquals(List.of("keep"), keys());
    }

    @Test
    void externalEntitiesInXmlAreNeverResolved() throws IOException {
        Path secret = Files.writeString(root.resolve("secret.txt"), "TOP-SECRET-CONTENT");
        s3Put("keep", "still here");
        String xml = "<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY x SYSTEM \"" + secret.toUri() + "\">]>"
                + "<Delete><Object><Key>&x;</Key></Object></Delete>";
        byte[] body = utf8(xml);
        RawHttp.Response response = raw.send(
                "POST",
                "/" + BUCKET + "?delete",
                Map.of("Content-MD5", md5Base64(body), "Content-Type", "application/xml"),
                body);
        assertFalse(response.bodyText().contains("TOP-SECRET"), response::toString);
        if (response.status() != 200) {
            assertS3Error(response, 400, "MalformedXML");
        }
        assertEquals(List.of("keep"), keys());
    }

    // ---- path traversal ---------------------------------------------------------------------------

    @ParameterizedTest(name = "{0} -> key {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "/bkt/../../etc/passwd | ../../etc/passwd",
                "/bkt/%2e%2e/%2e%2e/etc/passwd | ../../etc/passwd",
                "/bkt/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd | ../../etc/passwd",
                "/bkt/a/../../b | a/../../b",
                "/bkt/../../../../../../x | ../../../../../../x",
                "/bkt/..%5c..%5cwin | ..\\..\\win"
            })
    void pathsWithDotDotAreLiteralKeysOrRejectedButNeverLeaveTheDataDirectory(String target, String literalKey)
            throws IOException {
        Map<Path, Long> outsideBefore = snapshotOutsideDataDir();
        byte[] body = utf8("traversal attempt " + target);

        RawHttp.Response put = raw.put(target, Map.of(), body);

        if (put.status() == 200) {
            RawHttp.Response get = raw.get(target);
            assertEquals(200, get.status(), get::toString);
            assertArrayEquals(body, get.body(), "the same raw path reads the same object");
            assertEquals(List.of(literalKey), keys(), "stored under the exact literal key");
            assertArrayEquals(
                    body,
                    server.s3()
                            .getObjectAsBytes(b -> b.bucket(BUCKET).key(literalKey))
                            .asByteArray());
        } else {
            assertS3ErrorAnyCode(put, 400);
            assertNoKeys();
        }
        assertEquals(outsideBefore, snapshotOutsideDataDir(), "no file appeared or changed outside the data directory");
        assertDataDirHoldsNoKeyNamedFiles();
        assertFalse(Files.exists(root.getParent().resolve("etc/passwd")), "nothing written beside the temp dir");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "/bkt/../../../../../../../../etc/passwd",
                "/bkt/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd"
            })
    void getWithDotDotNeverServesAFileOutsideTheStore(String target) {
        RawHttp.Response response = raw.get(target);
        assertFalse(response.bodyText().contains("root:"), response::toString);
        if (response.status() == 404) {
            assertS3Error(response, 404, "NoSuchKey");
        } else {
            assertS3ErrorAnyCode(response, 400);
        }
    }

    // ---- helpers --------------------------------------------------------------------------------

    private void s3Put(String key, String content) {
        server.s3().putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromString(content));
    }

    private List<String> keys() {
        return server.s3().listObjectsV2(b -> b.bucket(BUCKET)).contents().stream()
                .map(S3Object::key)
                .toList();
    }

    private void assertNoKeys() {
        assertEquals(List.of(), keys(), "nothing half-written is listed");
    }

    private List<String> bucketNames() {
        Document doc = parseXml(raw.get("/").body());
        return childTexts(doc, "Bucket", "Name");
    }

    /** Every regular file below the temp dir but outside the data dir, with its size. */
    private Map<Path, Long> snapshotOutsideDataDir() {
        try (Stream<Path> files = Files.walk(root)) {
            Map<Path, Long> out = new TreeMap<>();
            files.filter(p -> !p.startsWith(dataDir))
                    .filter(Files::isRegularFile)
                    .forEach(p -> out.put(root.relativize(p), size(p)));
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Blobs are stored by id, so no path segment of a request ever names a file in the data dir. */
    private void assertDataDirHoldsNoKeyNamedFiles() throws IOException {
        Path real = dataDir.toRealPath();
        try (Stream<Path> files = Files.walk(dataDir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                String name = p.getFileName().toString();
                if (Set.of("passwd", "etc", "win", "..\\..\\win").contains(name)) {
                    fail("a request path reached the file system: " + p);
                }
                if (!p.toRealPath().startsWith(real)) {
                    fail("a path in the data dir resolves outside it: " + p + " -> " + p.toRealPath());
                }
            }
        }
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
