package dev.mockstorage.internal.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mockstorage.internal.error.ErrorCode;
import dev.mockstorage.internal.error.StorageException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The chunk decoders on exact byte sequences, including the SDK's (notes §2). */
class ChunkedBodyTest {
    private static final String SIG = "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9";

    private static InputStream bytes(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static String readAll(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }

    @Test
    void signedWithTrailer() throws IOException {
        AwsChunkedInputStream in = new AwsChunkedInputStream(
                bytes("c;chunk-signature=" + SIG
                        + "\r\nhello world\n\r\n0;chunk-signature=" + SIG + "\r\nx-amz-checksum-crc32:rwg7LQ==\r\n"
                        + "x-amz-trailer-signature:" + SIG + "\r\n\r\n"),
                12);
        assertEquals("hello world\n", readAll(in));
        assertEquals(Map.of("x-amz-checksum-crc32", "rwg7LQ==", "x-amz-trailer-signature", SIG), in.trailers());
    }

    @Test
    void signedUploadPartWithTrailer() throws IOException {
        AwsChunkedInputStream in = new AwsChunkedInputStream(
                bytes("6;chunk-signature=" + SIG
                        + "\r\npart1-\r\n0;chunk-signature=" + SIG + "\r\nx-amz-checksum-crc32:D/4Bww==\r\n"
                        + "x-amz-trailer-signature:" + SIG + "\r\n\r\n"),
                6);
        assertEquals("part1-", readAll(in));
        assertEquals("D/4Bww==", in.trailers().get("x-amz-checksum-crc32"));
    }

    @Test
    void signedWithoutTrailer() throws IOException {
        String body = "c;chunk-signature=" + SIG + "\r\nhello world\n\r\n0;chunk-signature=" + SIG + "\r\n\r\n";
        assertEquals(184, body.length(), "the SDK's Content-Length for WHEN_REQUIRED");
        AwsChunkedInputStream in = new AwsChunkedInputStream(bytes(body), 12);
        assertEquals("hello world\n", readAll(in));
        assertTrue(in.trailers().isEmpty());
    }

    @Test
    void unsignedWithTrailer() throws IOException {
        AwsChunkedInputStream in =
                new AwsChunkedInputStream(bytes("b\r\nasync hello\r\n0\r\nx-amz-checksum-crc32:MwIDXQ==\r\n\r\n"), -1);
        assertEquals("async hello", readAll(in));
        assertEquals(Map.of("x-amz-checksum-crc32", "MwIDXQ=="), in.trailers());
    }

    @Test
    void manyLargeChunksStreamInSmallReads() throws IOException {
        StringBuilder body = new StringBuilder();
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            String data = String.valueOf((char) ('a' + i)).repeat(0x20000);
            body.append("20000;chunk-signature=")
                    .append(SIG)
                    .append("\r\n")
                    .append(data)
                    .append("\r\n");
            expected.append(data);
        }
        body.append("0;chunk-signature=").append(SIG).append("\r\n\r\n");
        AwsChunkedInputStream in = new AwsChunkedInputStream(bytes(body.toString()), 5 * 0x20000);
        StringBuilder got = new StringBuilder();
        byte[] buf = new byte[1000];
        int n;
        while ((n = in.read(buf)) >= 0) {
            got.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
        }
        assertEquals(expected.toString(), got.toString());
    }

    @Test
    void malformedFramingIsInvalidRequest() {
        String[][] cases = {
            {"zz;chunk-signature=" + SIG + "\r\nhello\r\n0\r\n\r\n", "chunk size 'zz' is not a hexadecimal number"},
            {"5\r\nhelloXX0\r\n\r\n", "not followed by CRLF"},
            {"5\nhello\r\n0\r\n\r\n", "LF instead of CRLF"},
            {"3\r\nhello\r\n0\r\n\r\n", "not followed by CRLF"},
            {"ffffffffff\r\nhello", "larger than"},
            {"11111111111111111\r\n", "not a hexadecimal number"},
            {"\r\nhello\r\n", "chunk size '' is not"},
            {"5\r\nhello\r\n0\r\nno colon here\r\n\r\n", "is not 'name:value'"},
        };
        for (String[] c : cases) {
            StorageException e = assertThrows(
                    StorageException.class, () -> readAll(new AwsChunkedInputStream(bytes(c[0]), -1)), c[0]);
            assertEquals(ErrorCode.InvalidRequest, e.code(), c[0]);
            assertTrue(
                    e.getMessage().startsWith("Malformed aws-chunked request body: ")
                            && e.getMessage().contains(c[1]),
                    e.getMessage());
        }
    }

    @Test
    void aChunkBeyondTheDecodedLengthIsRejectedBeforeItsData() {
        StorageException e = assertThrows(
                StorageException.class,
                () -> readAll(new AwsChunkedInputStream(bytes("c\r\nhello world\n\r\n0\r\n\r\n"), 5)));
        assertEquals(ErrorCode.InvalidRequest, e.code());
        assertTrue(e.getMessage().contains("beyond x-amz-decoded-content-length 5"), e.getMessage());
    }

    @Test
    void bytesAfterTheFinalChunkAreRejected() {
        StorageException e = assertThrows(
                StorageException.class,
                () -> readAll(new AwsChunkedInputStream(bytes("5\r\nhello\r\n0\r\n\r\nGET / HTTP/1.1"), 5)));
        assertTrue(e.getMessage().contains("unexpected bytes after the final chunk"), e.getMessage());
    }

    @Test
    void truncatedBodiesAreIncompleteBody() {
        String[][] cases = {
            {"c;chunk-signature=" + SIG + "\r\nhello", "ended in the middle of a chunk (7 bytes missing)"},
            {"5\r\nhello", "ended after a chunk's data"},
            {"5\r\nhello\r\n", "ended in the middle of a chunk header line"},
            {"5\r\nhello\r\n0;chunk-sig", "ended in the middle of a chunk header line"},
            {"5\r\nhello\r\n0\r\nx-amz-checksum-crc32:abc\r\n", "ended in its trailer section"},
            {"5\r\nhello\r\n0\r\n\r\n", "ended after 5 decoded bytes, but x-amz-decoded-content-length is 12"},
        };
        for (String[] c : cases) {
            StorageException e = assertThrows(
                    StorageException.class, () -> readAll(new AwsChunkedInputStream(bytes(c[0]), 12)), c[0]);
            assertEquals(ErrorCode.IncompleteBody, e.code(), c[0]);
            assertTrue(e.getMessage().contains(c[1]), e.getMessage());
        }
    }

    @Test
    void chunkedTransferEncodingLeavesTheNextRequestUnread() throws IOException {
        InputStream connection = bytes("5\r\nhello\r\n0\r\n\r\nGET /next HTTP/1.1\r\n\r\n");
        ChunkedInputStream in = new ChunkedInputStream(connection, "chunked");
        assertEquals("hello", readAll(in));
        assertEquals("GET /next HTTP/1.1\r\n\r\n", readAll(connection));
    }

    @Test
    void contentLengthBodiesStopAtTheirLength() throws IOException {
        InputStream connection = bytes("helloGET");
        assertEquals("hello", readAll(new BoundedInputStream(connection, 5)));
        assertEquals("GET", readAll(connection));
        StorageException e =
                assertThrows(StorageException.class, () -> readAll(new BoundedInputStream(bytes("abc"), 5)));
        assertEquals(ErrorCode.IncompleteBody, e.code());
    }
}
