package dev.mockstorage.it;

import static dev.mockstorage.it.S3Assertions.assertS3Error;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mockstorage.testing.RawHttp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Hostile and broken input over raw sockets against the whole server, for the cases
 * {@link BadInputTest} (bucket names, traversal, XML, aws-chunked basics) and the http package's
 * {@code HttpServerTest} do not already cover end to end: every request is answered with the right
 * 4xx S3 error (never a 500, never a dropped connection), nothing is stored (the bucket holds only the
 * {@value #VICTIM} object written before, each node only its blob), nothing changes outside the data
 * directory, and afterwards the server answers {@code /health} on a new connection.
 */
class HostileInputTest {

    static final String BUCKET = "bkt";
    static final String VICTIM = "victim";
    static final byte[] VICTIM_BODY = "the victim's original bytes".getBytes(StandardCharsets.UTF_8);

    @StartStop
    static final TestServer server = TestServer.create().withDataDirectory("a/b/c/data");

    static Path root;
    static Path dataDir;
    Map<Path, Long> outsideBefore;

    @BeforeAll
    static void start() {
        root = server.directory();
        dataDir = server.dataDirectory();
        server.createBucket(BUCKET);
        server.s3().putObject(b -> b.bucket(BUCKET).key(VICTIM), RequestBody.fromBytes(VICTIM_BODY));
    }

    @BeforeEach
    void snapshot() {
        outsideBefore = snapshotOutsideDataDir();
    }

    /** After every case: the server is healthy, the store holds only the victim, nothing changed outside it. */
    @AfterEach
    void nothingStoredAndHealthyAfterwards() throws IOException {
        RawHttp.Response health = server.raw().get("/health");
        assertEquals(200, health.status(), health::toString);
        List<String> keys = server.s3().listObjectsV2(b -> b.bucket(BUCKET)).contents().stream()
                .map(S3Object::key)
                .toList();
        assertEquals(List.of(VICTIM), keys, "nothing stored, nothing deleted");
        assertArrayEquals(
                VICTIM_BODY,
                server.s3().getObjectAsBytes(b -> b.bucket(BUCKET).key(VICTIM)).asByteArray());
        assertEquals(
                List.of("bkt"),
                server.s3().listBuckets().buckets().stream().map(b -> b.name()).toList(),
                "no bucket created");
        server.server().awaitIdle(java.time.Duration.ofSeconds(10));
        try (Stream<Path> files = Files.walk(dataDir)) {
            List<Path> blobsOrTemps = files.filter(Files::isRegularFile)
                    .filter(p -> dataDir.relativize(p).getNameCount() > 2)
                    .filter(p -> Set.of("blobs", "tmp")
                            .contains(dataDir.relativize(p).getName(1).toString()))
                    .toList();
            assertEquals(
                    3, blobsOrTemps.size(), () -> "one blob per node (the victim's), no temp file: " + blobsOrTemps);
        }
        assertEquals(outsideBefore, snapshotOutsideDataDir(), "nothing written outside the data directory");
    }

    // ---- one request, one 4xx answer -----------------------------------------------------------------------------

    static Stream<Arguments> rejectedRequests() {
        String longHeader = "X-Pad: " + "p".repeat(9000) + "\r\n";
        String manyHeaders = "X-Pad: 0123456789012345678901234567890123456789\r\n".repeat(200);
        return Stream.of(
                // invalid percent escapes, in path and query, on a write (nothing may be stored)
                rejected(
                        "bad escape %zz in key",
                        "PUT /bkt/a%zz HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc", 400, "InvalidURI"),
                rejected(
                        "truncated escape at end of key",
                        "PUT /bkt/a% HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc",
                        400,
                        "InvalidURI"),
                rejected(
                        "one-digit escape in key",
                        "PUT /bkt/a%4 HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc",
                        400,
                        "InvalidURI"),
                rejected(
                        "bad escape in bucket",
                        "PUT /b%zzkt/k HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc",
                        400,
                        "InvalidURI"),
                rejected(
                        "invalid UTF-8 escape in key",
                        "PUT /bkt/%c3%28 HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc",
                        400,
                        "InvalidURI"),
                rejected(
                        "bad escape in query of a delete",
                        "DELETE /bkt/victim?x=%g0 HTTP/1.1\r\n\r\n",
                        400,
                        "InvalidURI"),
                // header blocks over 8 KiB
                rejected(
                        "one header line over 8 KiB",
                        "PUT /bkt/big HTTP/1.1\r\n" + longHeader + "Content-Length: 3\r\n\r\nabc",
                        431,
                        "RequestHeaderSectionTooLarge"),
                rejected(
                        "header block over 8 KiB in many lines",
                        "PUT /bkt/big HTTP/1.1\r\n" + manyHeaders + "Content-Length: 3\r\n\r\nabc",
                        431,
                        "RequestHeaderSectionTooLarge"),
                // negative or absurd Content-Length
                rejected(
                        "negative Content-Length",
                        "PUT /bkt/k HTTP/1.1\r\nContent-Length: -1\r\n\r\nabc",
                        400,
                        "InvalidArgument"),
                rejected(
                        "20-digit Content-Length",
                        "PUT /bkt/k HTTP/1.1\r\nContent-Length: 99999999999999999999\r\n\r\nabc",
                        400,
                        "InvalidArgument"),
                rejected(
                        "hex Content-Length",
                        "PUT /bkt/k HTTP/1.1\r\nContent-Length: 0x3\r\n\r\nabc",
                        400,
                        "InvalidArgument"),
                rejected(
                        "conflicting Content-Lengths",
                        "PUT /bkt/k HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd",
                        400,
                        "InvalidArgument"),
                rejected(
                        "Content-Length beyond 5 GiB",
                        "PUT /bkt/k HTTP/1.1\r\nContent-Length: 999999999999999\r\n\r\nabc",
                        400,
                        "EntityTooLarge"),
                rejected(
                        "unsupported Transfer-Encoding",
                        "PUT /bkt/k HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
                        501,
                        "NotImplemented"),
                // lying aws-chunked framing
                rejected(
                        "aws-chunked: more data than x-amz-decoded-content-length",
                        awsChunked(2, "5\r\nhello\r\n0\r\n\r\n"),
                        400,
                        "InvalidRequest"),
                rejected(
                        "aws-chunked: chunk size overflows a long",
                        awsChunked(5, "ffffffffffffffffff\r\nhello\r\n0\r\n\r\n"),
                        400,
                        "InvalidRequest"),
                rejected(
                        "aws-chunked: negative chunk size",
                        awsChunked(5, "-5\r\nhello\r\n0\r\n\r\n"),
                        400,
                        "InvalidRequest"),
                rejected(
                        "aws-chunked: chunk of 5 GiB + 1",
                        awsChunked(5, "140000001\r\nhello\r\n0\r\n\r\n"),
                        400,
                        "InvalidRequest"),
                rejected(
                        "aws-chunked: bytes after the final chunk",
                        awsChunked(5, "5\r\nhello\r\n0\r\n\r\nGET / HTTP/1.1\r\n\r\n"),
                        400,
                        "InvalidRequest"),
                rejected("aws-chunked: LF-only framing", awsChunked(5, "5\nhello\n0\n\n"), 400, "InvalidRequest"),
                rejected(
                        "aws-chunked: negative decoded length",
                        "PUT /bkt/k HTTP/1.1\r\nContent-Encoding: aws-chunked\r\n"
                                + "x-amz-decoded-content-length: -5\r\nContent-Length: 15\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
                        400,
                        "InvalidArgument"),
                // unknown methods and odd request lines
                rejected("unknown method on an object", "FOO /bkt/victim HTTP/1.1\r\n\r\n", 405, "MethodNotAllowed"),
                rejected(
                        "PATCH on an object",
                        "PATCH /bkt/victim HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc",
                        405,
                        "MethodNotAllowed"),
                rejected("TRACE on the service", "TRACE / HTTP/1.1\r\n\r\n", 405, "MethodNotAllowed"),
                rejected("lower-case delete", "delete /bkt/victim HTTP/1.1\r\n\r\n", 405, "MethodNotAllowed"),
                rejected(
                        "CONNECT authority form",
                        "CONNECT 127.0.0.1:443 HTTP/1.1\r\n\r\n",
                        400,
                        Set.of("InvalidURI", "MethodNotAllowed")),
                rejected("HTTP/2.0 request line", "DELETE /bkt/victim HTTP/2.0\r\n\r\n", 400, "InvalidRequest"),
                rejected("two spaces in request line", "DELETE  /bkt/victim HTTP/1.1\r\n\r\n", 400, "InvalidRequest"),
                rejected(
                        "NUL byte in header value",
                        "DELETE /bkt/victim HTTP/1.1\r\nX-A: a\0b\r\n\r\n",
                        400,
                        "InvalidRequest"),
                rejected(
                        "header without colon",
                        "DELETE /bkt/victim HTTP/1.1\r\nno colon here\r\n\r\n",
                        400,
                        "InvalidRequest"),
                // invalid bucket names in forms BadInputTest does not send
                rejected(
                        "object in bucket '..'",
                        "PUT /../k HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc",
                        404,
                        "NoSuchBucket"),
                rejected("bucket '..'", "PUT /.. HTTP/1.1\r\nContent-Length: 0\r\n\r\n", 400, "InvalidBucketName"),
                rejected(
                        "encoded slash in bucket",
                        "PUT /bkt%2Fx HTTP/1.1\r\nContent-Length: 0\r\n\r\n",
                        400,
                        "InvalidBucketName"),
                rejected(
                        "bucket name with escaped NUL",
                        "PUT /bk%00t HTTP/1.1\r\nContent-Length: 0\r\n\r\n",
                        400,
                        Set.of("InvalidBucketName", "InvalidURI")),
                rejected(
                        "bucket name of 300 letters",
                        "PUT /" + "b".repeat(300) + " HTTP/1.1\r\nContent-Length: 0\r\n\r\n",
                        400,
                        "InvalidBucketName"),
                // XML bombs on the one XML-reading write besides DeleteObjects
                rejected(
                        "entity expansion bomb in CreateBucketConfiguration",
                        "PUT /newbucket HTTP/1.1\r\nContent-Length: " + LAUGHS.length() + "\r\n\r\n" + LAUGHS,
                        400,
                        "MalformedXML"),
                rejected(
                        "entity expansion bomb in DeleteObjects",
                        "POST /bkt?delete HTTP/1.1\r\nContent-Length: " + LAUGHS.length() + "\r\n\r\n" + LAUGHS,
                        400,
                        "MalformedXML"));
    }

    private static final String LAUGHS = """
            <?xml version="1.0"?>
            <!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
            <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
            <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>
            <Delete><Object><Key>&lol4;</Key></Object></Delete>""";

    private static String awsChunked(int decodedLength, String body) {
        return "PUT /bkt/k HTTP/1.1\r\nContent-Encoding: aws-chunked\r\nx-amz-content-sha256: STREAMING-UNSIGNED-PAYLOAD-TRAILER\r\n"
                + "x-amz-decoded-content-length: " + decodedLength + "\r\nContent-Length: " + body.length() + "\r\n\r\n"
                + body;
    }

    private static Arguments rejected(String name, String request, int status, String code) {
        return rejected(name, request, status, Set.of(code));
    }

    private static Arguments rejected(String name, String request, int status, Set<String> codes) {
        return Arguments.of(name, request, status, codes);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejectedRequests")
    void hostileRequestIsAnsweredWithItsFourHundredAndStoresNothing(
            String name, String request, int status, Set<String> codes) {
        RawHttp.Response response = exchange(request.getBytes(StandardCharsets.ISO_8859_1), true);
        assertS3Error(response, status, codes);
    }

    // ---- requests hidden where they must never run ---------------------------------------------------------------

    @Test
    void aRequestHiddenInTheBodyOfARejectedPutNeverRuns() throws IOException {
        String hidden = "DELETE /bkt/victim HTTP/1.1\r\nHost: x\r\n\r\n";
        String put = "PUT /nosuchbucket/k HTTP/1.1\r\nContent-Length: " + hidden.length() + "\r\n\r\n" + hidden;
        try (RawHttp.Connection c = server.raw().open()) {
            c.send(put);
            assertS3Error(c.readResponse(), 404, "NoSuchBucket");
            c.sendIfOpen("GET /health HTTP/1.1\r\n\r\n");
            assertHealthOrClosed(c.readUntilClosed());
        }
    }

    @Test
    void aRequestHiddenInTheBodyOfAGetNeverRuns() throws IOException {
        String hidden = "DELETE /bkt/victim HTTP/1.1\r\nHost: x\r\n\r\n";
        String get = "GET /bkt/victim HTTP/1.1\r\nContent-Length: " + hidden.length() + "\r\n\r\n" + hidden;
        try (RawHttp.Connection c = server.raw().open()) {
            c.send(get);
            RawHttp.Response response = c.readResponse();
            assertEquals(200, response.status(), response::toString);
            assertArrayEquals(VICTIM_BODY, response.body());
            c.sendIfOpen("GET /health HTTP/1.1\r\n\r\n");
            assertHealthOrClosed(c.readUntilClosed());
        }
    }

    @Test
    void contentLengthPlusChunkedSmugglingNeverRunsTheSmuggledRequest() throws IOException {
        // CL.TE: a front end trusting Content-Length would see one request; chunked ends at "0", and the rest
        // would become a DELETE. The server refuses the ambiguous framing, stores nothing and closes.
        String smuggled = "DELETE /bkt/victim HTTP/1.1\r\nHost: x\r\n\r\n";
        String body = "0\r\n\r\n" + smuggled;
        String request = "PUT /bkt/k HTTP/1.1\r\nContent-Length: " + body.length()
                + "\r\nTransfer-Encoding: chunked\r\n\r\n" + body;
        try (RawHttp.Connection c = server.raw().open()) {
            c.send(request);
            assertS3Error(c.readResponse(), 400, "InvalidRequest");
            c.sendIfOpen("GET /health HTTP/1.1\r\n\r\n");
            assertClosed(c.readUntilClosed());
        }
    }

    @Test
    void aTruncatedBodyFollowedByAHalfCloseIsIncompleteBodyAndStoresNothing() {
        byte[] request = "PUT /bkt/k HTTP/1.1\r\nContent-Length: 100000\r\n\r\nonly a few bytes"
                .getBytes(StandardCharsets.US_ASCII);
        RawHttp.Response response = new RawHttp(server.endpoint()).exchange(request, true, false);
        assertS3Error(response, 400, "IncompleteBody");
    }

    @Test
    void aTruncatedAwsChunkedBodyInTheMiddleOfAChunkIsIncompleteBody() {
        byte[] request = ("PUT /bkt/k HTTP/1.1\r\nContent-Encoding: aws-chunked\r\nx-amz-decoded-content-length: 10\r\n"
                        + "Transfer-Encoding: chunked\r\n\r\n10\r\na\r\n5\r\nhel")
                .getBytes(StandardCharsets.US_ASCII);
        RawHttp.Response response = new RawHttp(server.endpoint()).exchange(request, true, false);
        assertS3Error(response, 400, "IncompleteBody");
    }

    // ---- helpers ---------------------------------------------------------------------------------------------------

    /** Sends the bytes on a fresh connection (closing the output side after them when asked) and reads the answer. */
    private RawHttp.Response exchange(byte[] request, boolean halfClose) {
        return new RawHttp(server.endpoint()).exchange(request, halfClose, false);
    }

    /** What a connection answered after the test's last request: /health's 200, or nothing (the server closed it). */
    private static void assertHealthOrClosed(byte[] rest) {
        if (rest.length == 0) {
            return;
        }
        String text = new String(rest, StandardCharsets.ISO_8859_1);
        assertTrue(text.startsWith("HTTP/1.1 200"), () -> "expected /health's answer or a close, got: " + text);
    }

    /** Nothing more was answered on this connection. */
    private static void assertClosed(byte[] rest) {
        assertEquals(
                "",
                new String(rest, StandardCharsets.ISO_8859_1),
                "no further answer on a connection with broken framing");
    }

    /** Every regular file below the temp dir but outside the data dir, with its size. */
    private static Map<Path, Long> snapshotOutsideDataDir() {
        try (Stream<Path> files = Files.walk(root)) {
            Map<Path, Long> out = new TreeMap<>();
            files.filter(p -> !p.startsWith(dataDir))
                    .filter(Files::isRegularFile)
                    .forEach(p -> {
                        try {
                            out.put(root.relativize(p), Files.size(p));
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    });
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
