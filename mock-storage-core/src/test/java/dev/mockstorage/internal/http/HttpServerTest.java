package dev.mockstorage.internal.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mockstorage.internal.error.StorageException;
import dev.mockstorage.testing.RawHttp;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpServerTest {
    private static final String SIG = "ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648";
    private static final long BIG = 50L * 1024 * 1024;

    private final List<String> seen = new CopyOnWriteArrayList<>();
    private HttpServer server;
    private int port;

    @BeforeEach
    void start() throws IOException {
        server = new HttpServer("127.0.0.1", 0, this::handle);
        server.start();
        port = server.port();
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    /** A tiny handler: echoes what it got, rejects, throws, or streams, depending on the path. */
    private HttpResponse handle(HttpRequest r) throws IOException {
        seen.add(r.method() + " " + r.rawPath());
        if (r.problem() != null) {
            return error(r.problem());
        }
        if (!Set.of("GET", "PUT", "POST", "HEAD", "DELETE").contains(r.method())) {
            return HttpResponse.status(501).body("unsupported method " + r.method(), "text/plain");
        }
        String path = r.rawPath();
        if (path.startsWith("/reject")) {
            return HttpResponse.status(403).body("rejected", "text/plain");
        }
        if (path.startsWith("/boom")) {
            throw new IllegalStateException("handler bug");
        }
        if (path.startsWith("/status/")) {
            return HttpResponse.status(Integer.parseInt(path.substring(8))).header("ETag", "\"abc\"");
        }
        if (path.startsWith("/head")) {
            return HttpResponse.status(200).header("Content-Type", "text/plain").contentLengthOnly(12);
        }
        if (path.startsWith("/big")) {
            return HttpResponse.status(200).body(new PatternStream(BIG), BIG);
        }
        if (path.startsWith("/unknown-length")) {
            return HttpResponse.status(200)
                    .body(new ByteArrayInputStream("streamed without length".getBytes(StandardCharsets.UTF_8)), -1);
        }
        if (path.startsWith("/value-of-x-v")) {
            return HttpResponse.status(200).body("[" + r.header("x-v") + "]", "text/plain; charset=utf-8");
        }
        if (path.startsWith("/meta")) {
            return HttpResponse.status(200)
                    .header("x-amz-meta-name", "café 日本")
                    .header("B-Second", "2")
                    .header("A-Third", "3")
                    .body("ok", "text/plain; charset=bogus");
        }
        try {
            if (path.startsWith("/decode")) {
                PercentCodec.decode(path);
            }
            byte[] body = r.body().readAllBytes();
            String text = "method=" + r.method() + "\npath=" + r.rawPath() + "\nquery=" + r.rawQuery()
                    + "\nparams=" + r.queryParameters() + "\ndeclared=" + r.declaredBodyLength()
                    + "\ntrailers=" + r.trailers() + "\nremote=" + r.remoteAddress()
                    + "\nheaders=" + r.headers().keySet()
                    + "\nbody=" + new String(body, StandardCharsets.UTF_8);
            return HttpResponse.status(200).body(text, "text/plain");
        } catch (StorageException e) {
            return error(e);
        }
    }

    private static HttpResponse error(StorageException e) {
        return HttpResponse.status(e.code().status()).body(e.code() + ": " + e.getMessage(), "text/plain");
    }

    // ---- Expect: 100-continue -------------------------------------------------------------------

    @Test
    void continueIsSentWhenTheBodyIsReadAndTheBodyThenArrives() throws IOException {
        try (RawHttp.Connection c = connect()) {
            c.send("PUT /echo/k HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n");
            assertEquals("HTTP/1.1 100 Continue", c.readLine());
            assertEquals("", c.readLine());
            c.send("hello");
            RawHttp.Response r = c.readResponse();
            assertEquals(200, r.status());
            assertTrue(r.bodyText().endsWith("body=hello"), r.bodyText());
            assertNull(r.header("connection"));
        }
    }

    @Test
    void rejectionBeforeReadingSendsNoContinueAndClosesInsteadOfReading() throws IOException {
        try (RawHttp.Connection c = connect()) {
            c.send("PUT /reject/k HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n");
            RawHttp.Response r = c.readResponse();
            assertEquals("HTTP/1.1 403 Forbidden", r.statusLine());
            assertEquals("close", r.header("connection"));
            assertTrue(c.closedByPeer());
        }
    }

    @Test
    void javaHttpClientWithExpectContinueUploads() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        java.net.http.HttpResponse<String> r = client.send(
                java.net.http.HttpRequest.newBuilder(uri("/echo/x"))
                        .expectContinue(true)
                        .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("payload"))
                        .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        assertTrue(r.body().endsWith("body=payload"), r.body());
    }

    // ---- request smuggling and keep-alive --------------------------------------------------------

    @Test
    void aRequestHiddenInAnUnreadBodyIsNeverExecuted() throws IOException {
        String hidden = "GET /evil HTTP/1.1\r\nHost: x\r\n\r\n";
        try (RawHttp.Connection c = connect()) {
            c.send("POST /reject HTTP/1.1\r\nHost: x\r\nContent-Length: " + hidden.length() + "\r\n\r\n" + hidden);
            RawHttp.Response rejected = c.readResponse();
            assertEquals(403, rejected.status());
            assertNull(rejected.header("connection"), "a small unread body is drained, the connection kept");
            c.send("GET /echo/after HTTP/1.1\r\nHost: x\r\n\r\n");
            RawHttp.Response after = c.readResponse();
            assertTrue(after.bodyText().contains("path=/echo/after"), after.bodyText());
        }
        assertEquals(List.of("POST /reject", "GET /echo/after"), seen);
    }

    @Test
    void aLargeUnreadBodyClosesTheConnection() throws IOException {
        byte[] big = new byte[200 * 1024];
        try (RawHttp.Connection c = connect()) {
            c.send("PUT /reject HTTP/1.1\r\nHost: x\r\nContent-Length: " + big.length + "\r\n\r\n");
            c.send(big);
            RawHttp.Response r = c.readResponse();
            assertEquals(403, r.status());
            assertEquals("close", r.header("connection"));
            assertTrue(c.closedByPeer());
        }
    }

    @Test
    void keepAliveServesSeveralRequestsWithFreshQueries() throws IOException {
        try (RawHttp.Connection c = connect()) {
            c.send("POST /bkt/mpu?uploadId=abc HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nxyz");
            assertTrue(c.readResponse().bodyText().contains("params=[uploadId=abc]"));
            c.send("GET /bkt/mpu HTTP/1.1\r\nHost: x\r\n\r\n");
            RawHttp.Response plain = c.readResponse();
            assertTrue(plain.bodyText().contains("query=null\nparams=[]"), plain.bodyText());
            c.send("POST /bkt?delete HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n");
            assertTrue(c.readResponse().bodyText().contains("query=delete\nparams=[delete=]"));
            c.send("DELETE /bkt/small.txt HTTP/1.1\r\nHost: x\r\n\r\n");
            RawHttp.Response last = c.readResponse();
            assertTrue(
                    last.bodyText().contains("method=DELETE\npath=/bkt/small.txt\nquery=null\nparams=[]"),
                    last.bodyText());
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws IOException {
        try (RawHttp.Connection c = connect()) {
            c.send("PUT /echo/1 HTTP/1.1\r\nContent-Length: 3\r\n\r\none"
                    + "GET /echo/2 HTTP/1.1\r\n\r\n"
                    + "PUT /echo/3 HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nthree\r\n0\r\n\r\n");
            assertTrue(c.readResponse().bodyText().endsWith("body=one"));
            assertTrue(c.readResponse().bodyText().contains("path=/echo/2"));
            assertTrue(c.readResponse().bodyText().endsWith("body=three"));
        }
    }

    // ---- raw request line --------------------------------------------------------------------------

    @Test
    void theRawPathReachesTheHandlerUndecoded() throws IOException {
        String path = "/bkt/a%2Fb+c%252Fd//e/double/%2Fslash/unicod%C3%A9/%E6%97%A5.txt";
        try (RawHttp.Connection c = connect()) {
            c.send("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n");
            assertTrue(c.readResponse().bodyText().contains("path=" + path + "\n"));
            c.send("GET /bkt/日本 HTTP/1.1\r\n\r\n");
            assertTrue(c.readResponse().bodyText().contains("path=/bkt/日本\n"));
        }
    }

    @Test
    void queryParametersAreSplitAndDecodedStrictlyInOrder() throws IOException {
        try (RawHttp.Connection c = connect()) {
            c.send("GET /bkt?list-type=2&prefix=&delimiter=%2F&x&plus=a+b&enc=%2B&k%C3%A9=v=w HTTP/1.1\r\n\r\n");
            RawHttp.Response r = c.readResponse();
            assertTrue(
                    r.bodyText().contains("params=[list-type=2, prefix=, delimiter=/, x=, plus=a+b, enc=+, ké=v=w]"),
                    r.bodyText());
        }
    }

    @Test
    void aBadEscapeInTheQueryIsAnInvalidUriProblem() throws IOException {
        try (RawHttp.Connection c = connect()) {
            c.send("GET /bkt?prefix=%zz HTTP/1.1\r\n\r\n");
            RawHttp.Response r = c.readResponse();
            assertEquals(400, r.status());
            assertTrue(r.bodyText().startsWith("InvalidURI: ") && r.bodyText().contains("'%zz'"), r.bodyText());
        }
    }

    @Test
    void aBadEscapeInThePathStillGetsAnAnswer() throws IOException {
        try (RawHttp.Connection c = connect()) {
            c.send("GET /decode/%zz HTTP/1.1\r\nHost: x\r\n\r\n");
            RawHttp.Response r = c.readResponse();
            assertEquals(400, r.status());
            assertTrue(r.bodyText().startsWith("InvalidURI: Invalid percent-encoding '%zz'"), r.bodyText());
            c.send("GET /echo/next HTTP/1.1\r\n\r\n");
            assertEquals(200, c.readResponse().status(), "the connection stays usable");
        }
        assertEquals("GET /decode/%zz", seen.get(0));
    }

    @Test
    void anUnknownMethodReachesTheHandler() throws IOException {
        try (RawHttp.Connection c = connect()) {
            c.send("FOO /x HTTP/1.1\r\nHost: x\r\n\r\n");
            RawHttp.Response r = c.readResponse();
            assertEquals(501, r.status());
            assertEquals("unsupported method FOO", r.bodyText());
        }
    }

    @Test
    void aMalformedRequestLineIsAProblemAndCloses() throws IOException {
        try (RawHttp.Connection c = connect()) {
            c.send("GARBAGE\r\nHost: x\r\n\r\n");
            RawHttp.Response r = c.readResponse();
            assertEquals(400, r.status());
            assertTrue(r.bodyText().startsWith("InvalidRequest: Malformed request line"), r.bodyText());
            assertEquals("close", r.header("connection"));
            assertTrue(c.closedByPeer());
        }
    }

    @Test
    void anOversizedHeaderBlockIsAProblemAndClosesAfterTheAnswer() throws IOException {
        try (RawHttp.Connection c = connect()) {
            c.send("GET /echo/h HTTP/1.1\r\nX-Big: " + "a".repeat(9000) + "\r\n\r\n");
            RawHttp.Response r = c.readResponse();
            assertEquals(431, r.status());
            assertTrue(r.bodyText().startsWith("RequestHeaderSectionTooLarge"), r.bodyText());
            assertEquals("close", r.header("connection"));
            assertTrue(c.closedByPeer());
        }
        assertEquals(List.of("GET /echo/h"), seen, "the rest of the header is never parsed as a request");
    }

    @Test
    void anInvalidContentLengthIsAProblemAndCloses() throws IOException {
        for (String cl : List.of("-1", "abc", "5, 6")) {
            try (RawHttp.Connection c = connect()) {
                c.send("PUT /echo/x HTTP/1.1\r\nContent-Length: " + cl + "\r\n\r\nhello");
                RawHttp.Response r = c.readResponse();
                assertEquals(400, r.status(), cl);
                assertTrue(r.bodyText().startsWith("InvalidArgument: Invalid Content-Length"), r.bodyText());
                assertEquals("close", r.header("connection"));
            }
        }
    }

    @Test
    void transferEncodingTogetherWithContentLengthIsAProblemAndCloses() throws IOException {
        // CL.TE request smuggling: framed by Content-Length, the body hides a second request after "0\r\n\r\n"
        String hidden = "GET /echo/hidden HTTP/1.1\r\n\r\n";
        String body = "0\r\n\r\n" + hidden;
        try (RawHttp.Connection c = connect()) {
            c.send("PUT /echo/x HTTP/1.1\r\nContent-Length: " + body.length() + "\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + body);
            RawHttp.Response r = c.readResponse();
            assertEquals(400, r.status());
            assertTrue(r.bodyText().startsWith("InvalidRequest: A request may not carry both"), r.bodyText());
            assertEquals("close", r.header("connection"));
        }
    }

    @Test
    void headersAreLowerCaseWithoutNanoHttpdInjections() throws IOException {
        try (RawHttp.Connection c = connect()) {
            c.send("GET /echo/h HTTP/1.1\r\nHost: x\r\nX-Amz-Date: 1\r\n\r\n");
            String text = c.readResponse().bodyText();
            assertTrue(text.contains("headers=[host, x-amz-date]"), text);
            assertTrue(text.contains("remote=127.0.0.1"), text);
        }
    }

    @Test
    void headerValuesAreUtf8WhenValidElseLatin1AndBlankLinesBeforeTheRequestAreSkipped() throws IOException {
        try (RawHttp.Connection c = connect()) {
            c.send("\r\n\r\nGET /value-of-x-v HTTP/1.1\r\nHost: x\r\nX-V:  caf\u00e9 \u65e5\u672c \r\n\r\n");
            assertEquals("[caf\u00e9 \u65e5\u672c]", c.readResponse().bodyText());
            c.send("GET /value-of-x-v HTTP/1.1\r\nHost: x\r\nX-V: caf".getBytes(StandardCharsets.US_ASCII));
            c.send(new byte[] {(byte) 0xe9}); // a lone Latin-1 byte: not UTF-8
            c.send("\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertEquals("[caf\u00e9]", c.readResponse().bodyText());
        }
    }

    // ---- request bodies ----------------------------------------------------------------------------

    @Test
    void aChunkedTransferEncodingBodyIsDecoded() throws IOException {
        try (RawHttp.Connection c = connect()) {
            c.send("PUT /echo/c HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\nx-trailer: t\r\n\r\n");
            String text = c.readResponse().bodyText();
            assertTrue(text.contains("declared=-1\ntrailers={x-trailer=t}"), text);
            assertTrue(text.endsWith("body=hello world"), text);
        }
    }

    @Test
    void javaHttpClientStreamsABodyOfUnknownLength() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        java.net.http.HttpResponse<String> r = client.send(
                java.net.http.HttpRequest.newBuilder(uri("/echo/s"))
                        .PUT(java.net.http.HttpRequest.BodyPublishers.ofInputStream(
                                () -> new ByteArrayInputStream("no length".getBytes(StandardCharsets.UTF_8))))
                        .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertTrue(r.body().endsWith("body=no length"), r.body());
    }

    @Test
    void aSignedAwsChunkedBodyWithTrailerIsDecoded() throws IOException {
        String body = "c;chunk-signature=" + SIG + "\r\nhello world\n\r\n0;chunk-signature=" + SIG + "\r\n"
                + "x-amz-checksum-crc32:rwg7LQ==\r\nx-amz-trailer-signature:" + SIG + "\r\n\r\n";
        assertEquals(305, body.length(), "the SDK's Content-Length for this body");
        try (RawHttp.Connection c = connect()) {
            c.send("PUT /echo/aws HTTP/1.1\r\ncontent-encoding: aws-chunked\r\ncontent-length: 305\r\n"
                    + "x-amz-content-sha256: STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER\r\n"
                    + "x-amz-decoded-content-length: 12\r\nx-amz-sdk-checksum-algorithm: CRC32\r\n"
                    + "x-amz-trailer: x-amz-checksum-crc32\r\n\r\n" + body);
            String text = c.readResponse().bodyText();
            assertTrue(
                    text.contains("declared=12\ntrailers={x-amz-checksum-crc32=rwg7LQ==, " + "x-amz-trailer-signature="
                            + SIG + "}"),
                    text);
            assertTrue(text.endsWith("body=hello world\n"), text);
            c.send("GET /echo/again HTTP/1.1\r\n\r\n");
            assertEquals(200, c.readResponse().status(), "nothing of the body was left behind");
        }
    }

    @Test
    void anUnsignedAwsChunkedBodyWithTrailerIsDecoded() throws IOException {
        String body = "b\r\nasync hello\r\n0\r\nx-amz-checksum-crc32:MwIDXQ==\r\n\r\n";
        try (RawHttp.Connection c = connect()) {
            c.send("PUT /echo/aws HTTP/1.1\r\nx-amz-content-sha256: STREAMING-UNSIGNED-PAYLOAD-TRAILER\r\n"
                    + "content-encoding: aws-chunked\r\nx-amz-trailer: x-amz-checksum-crc32\r\n"
                    + "x-amz-decoded-content-length: 11\r\ncontent-length: " + body.length() + "\r\n\r\n" + body);
            String text = c.readResponse().bodyText();
            assertTrue(text.contains("declared=11\ntrailers={x-amz-checksum-crc32=MwIDXQ==}"), text);
            assertTrue(text.endsWith("body=async hello"), text);
        }
    }

    @Test
    void awsChunkedOverChunkedTransferEncodingIsDecoded() throws IOException {
        String aws = "b\r\nasync hello\r\n0\r\nx-amz-checksum-crc32:MwIDXQ==\r\n\r\n";
        String te = Integer.toHexString(10) + "\r\n" + aws.substring(0, 10) + "\r\n"
                + Integer.toHexString(aws.length() - 10) + "\r\n" + aws.substring(10) + "\r\n0\r\n\r\n";
        try (RawHttp.Connection c = connect()) {
            c.send("PUT /echo/aws HTTP/1.1\r\nx-amz-content-sha256: STREAMING-UNSIGNED-PAYLOAD-TRAILER\r\n"
                    + "content-encoding: aws-chunked\r\ntransfer-encoding: chunked\r\n\r\n" + te);
            String text = c.readResponse().bodyText();
            assertTrue(text.contains("declared=-1\ntrailers={x-amz-checksum-crc32=MwIDXQ==}"), text);
            assertTrue(text.endsWith("body=async hello"), text);
        }
    }

    @Test
    void malformedAwsChunkedFramingIsInvalidRequestAndCloses() throws IOException {
        String body = "zz;chunk-signature=" + SIG + "\r\nhello\r\n0\r\n\r\n";
        try (RawHttp.Connection c = connect()) {
            c.send("PUT /echo/aws HTTP/1.1\r\ncontent-encoding: aws-chunked\r\ncontent-length: " + body.length()
                    + "\r\nx-amz-content-sha256: STREAMING-AWS4-HMAC-SHA256-PAYLOAD\r\n\r\n" + body);
            RawHttp.Response r = c.readResponse();
            assertEquals(400, r.status());
            assertTrue(
                    r.bodyText().startsWith("InvalidRequest: Malformed aws-chunked request body: chunk size 'zz'"),
                    r.bodyText());
            assertEquals("close", r.header("connection"));
        }
    }

    @Test
    void aContentEncodingNamingAwsChunkedAloneLeavesAPlainBodyPlain() throws IOException {
        // boto3 passes ContentEncoding='gzip, aws-chunked' through on a plain body; the framing is announced by
        // x-amz-content-sha256: STREAMING-... or x-amz-decoded-content-length, which it does not send
        try (RawHttp.Connection c = connect()) {
            c.send("PUT /echo/aws HTTP/1.1\r\ncontent-encoding: gzip, aws-chunked\r\ncontent-length: 5\r\n"
                    + "x-amz-content-sha256: UNSIGNED-PAYLOAD\r\n\r\nhello");
            RawHttp.Response r = c.readResponse();
            assertEquals(200, r.status(), r.bodyText());
            assertTrue(r.bodyText().endsWith("body=hello"), r.bodyText());
        }
    }

    @Test
    void aTruncatedAwsChunkedBodyIsIncompleteBody() throws IOException {
        String body = "c;chunk-signature=" + SIG + "\r\nhello";
        try (RawHttp.Connection c = connect()) {
            c.send("PUT /echo/aws HTTP/1.1\r\ncontent-encoding: aws-chunked\r\nx-amz-decoded-content-length: 12\r\n"
                    + "content-length: " + body.length() + "\r\n\r\n" + body);
            RawHttp.Response r = c.readResponse();
            assertEquals(400, r.status());
            assertTrue(
                    r.bodyText().startsWith("IncompleteBody: The aws-chunked request body ended in the middle"),
                    r.bodyText());
        }
    }

    @Test
    void aBodyShorterThanContentLengthIsIncompleteBody() throws IOException {
        try (RawHttp.Connection c = connect()) {
            c.send("PUT /echo/short HTTP/1.1\r\nContent-Length: 10\r\n\r\nhello");
            c.halfClose();
            RawHttp.Response r = c.readResponse();
            assertEquals(400, r.status());
            assertEquals(
                    "IncompleteBody: The request body ended after 5 of the 10 bytes announced by Content-Length",
                    r.bodyText());
        }
    }

    // ---- responses ---------------------------------------------------------------------------------

    @Test
    void headAnnouncesTheLengthButWritesNoBody() throws IOException {
        try (RawHttp.Connection c = connect()) {
            c.send("HEAD /head HTTP/1.1\r\n\r\n");
            RawHttp.Response r = c.readResponse(true);
            assertEquals("12", r.header("content-length"));
            c.send("GET /echo/next HTTP/1.1\r\n\r\n");
            RawHttp.Response next = c.readResponse();
            assertEquals("HTTP/1.1 200 OK", next.statusLine(), "no stray body bytes before the next response");
        }
    }

    @Test
    void noContentAndNotModifiedHaveNoContentLength() throws IOException {
        try (RawHttp.Connection c = connect()) {
            for (int code : new int[] {204, 304}) {
                c.send("GET /status/" + code + " HTTP/1.1\r\n\r\n");
                RawHttp.Response r = c.readResponse();
                assertEquals(code, r.status());
                assertNull(r.header("content-length"), r.rawHead());
                assertNull(r.header("transfer-encoding"), r.rawHead());
            }
            c.send("GET /echo/next HTTP/1.1\r\n\r\n");
            assertEquals("HTTP/1.1 200 OK", c.readResponse().statusLine());
        }
    }

    @Test
    void theResponseHeadIsWrittenExactly() throws IOException {
        try (RawHttp.Connection c = connect()) {
            c.send("GET /meta HTTP/1.1\r\n\r\n");
            RawHttp.Response r = c.readResponse();
            assertTrue(
                    r.rawHead()
                            .matches("HTTP/1\\.1 200 OK\r\nx-amz-meta-name: café 日本\r\nB-Second: 2\r\n"
                                    + "A-Third: 3\r\nContent-Type: text/plain; charset=bogus\r\n"
                                    + "Date: [A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT\r\n"
                                    + "Content-Length: 2\r\n"),
                    r.rawHead());
            assertEquals("ok", r.bodyText());
        }
    }

    @Test
    void aLargeStreamedResponseArrivesComplete() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        java.net.http.HttpResponse<InputStream> r = client.send(
                java.net.http.HttpRequest.newBuilder(uri("/big")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(
                String.valueOf(BIG), r.headers().firstValue("content-length").orElseThrow());
        long count = 0;
        boolean pattern = true;
        try (InputStream in = r.body()) {
            byte[] buf = new byte[64 * 1024];
            int n;
            while ((n = in.read(buf)) > 0) {
                for (int i = 0; i < n; i += 4099) {
                    pattern &= buf[i] == PatternStream.byteAt(count + i);
                }
                count += n;
            }
        }
        assertEquals(BIG, count);
        assertTrue(pattern, "bytes arrive in order");
    }

    @Test
    void aBodyOfUnknownLengthIsSentChunked() throws IOException {
        try (RawHttp.Connection c = connect()) {
            c.send("GET /unknown-length HTTP/1.1\r\n\r\n");
            RawHttp.Response r = c.readResponse();
            assertEquals("chunked", r.header("transfer-encoding"));
            assertEquals("streamed without length", r.bodyText());
        }
    }

    @Test
    void aHandlerExceptionBecomesABare500AndCloses() throws IOException {
        try (RawHttp.Connection c = connect()) {
            c.send("GET /boom HTTP/1.1\r\n\r\n");
            RawHttp.Response r = c.readResponse();
            assertEquals("HTTP/1.1 500 Internal Server Error", r.statusLine());
            assertEquals("0", r.header("content-length"));
            assertEquals("close", r.header("connection"));
            assertTrue(c.closedByPeer());
        }
    }

    @Test
    void connectionCloseAndHttp10AreHonoured() throws IOException {
        try (RawHttp.Connection c = connect()) {
            c.send("GET /echo/a HTTP/1.1\r\nConnection: close\r\n\r\n");
            assertEquals("close", c.readResponse().header("connection"));
            assertTrue(c.closedByPeer());
        }
        try (RawHttp.Connection c = connect()) {
            c.send("GET /echo/b HTTP/1.0\r\n\r\n");
            assertEquals("close", c.readResponse().header("connection"));
            assertTrue(c.closedByPeer());
        }
    }

    // ---- lifecycle ---------------------------------------------------------------------------------

    @Test
    void stopClosesOpenConnectionsAndIsIdempotent() throws IOException {
        assertTrue(port > 0);
        try (RawHttp.Connection c = connect()) {
            c.send("GET /echo/a HTTP/1.1\r\n\r\n");
            assertEquals(200, c.readResponse().status());
            server.stop();
            assertTrue(c.closedByPeer());
            server.stop();
        }
        assertFalse(isListening(port));
    }

    @Test
    void portIsUnknownBeforeStartAndStopBeforeStartIsHarmless() {
        HttpServer idle = new HttpServer("127.0.0.1", 0, r -> HttpResponse.status(200));
        assertEquals(-1, idle.port());
        idle.stop();
        idle.stop();
    }

    private static boolean isListening(int port) {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
            return s.isConnected();
        } catch (IOException e) {
            return false;
        }
    }

    /** A raw connection; a read waits 5 s, so a connection the server wrongly keeps open is noticed. */
    private RawHttp.Connection connect() throws IOException {
        return new RawHttp("127.0.0.1", port).open(Duration.ofSeconds(5));
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** A generated stream of known bytes, never held in memory. */
    static final class PatternStream extends InputStream {
        private final long length;
        private long pos;

        PatternStream(long length) {
            this.length = length;
        }

        static byte byteAt(long i) {
            return (byte) (i * 31 + (i >>> 13));
        }

        @Override
        public int read() {
            return pos < length ? byteAt(pos++) & 0xFF : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (pos >= length) {
                return -1;
            }
            int n = (int) Math.min(len, length - pos);
            for (int i = 0; i < n; i++) {
                b[off + i] = byteAt(pos++);
            }
            return n;
        }
    }
}
