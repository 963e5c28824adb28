package dev.mockstorage.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Stored headers come back exactly as the client sent them: {@code Content-Encoding} byte for byte with
 * only {@code aws-chunked} taken out, and user metadata with non-ASCII characters through the SDK v2
 * (whose HTTP client writes and reads header values as ISO-8859-1) and boto3 (which writes UTF-8 and
 * reads ISO-8859-1); characters beyond ISO-8859-1 come back RFC 2047-encoded, as S3 documents.
 */
class HeaderRoundTripTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path work;

    static TestServer server;
    static S3Client s3;

    @BeforeAll
    static void start() {
        server = TestServer.start(work.resolve("data"));
        s3 = server.s3();
        server.createBucket("headers");
    }

    @AfterAll
    static void stop() {
        TestServer.closeQuietly(server);
    }

    @Test
    void contentEncodingIsKeptByteForByteWithoutAwsChunked() throws Exception {
        JsonNode out = JSON.readTree(Boto3.run(server, work, """
                seen = {}
                for sent in ["gzip", "deflate, gzip", "gzip, aws-chunked", "aws-chunked, gzip", "deflate,  aws-chunked ,gzip",
                             "aws-chunked", "aws-chunked, aws-chunked"]:
                    s3.put_object(Bucket="headers", Key="encoded", Body=b"x", ContentEncoding=sent)
                    seen[sent] = s3.head_object(Bucket="headers", Key="encoded").get("ContentEncoding")
                print(json.dumps(seen))
                """));
        assertEquals("gzip", out.get("gzip").asText());
        assertEquals("deflate, gzip", out.get("deflate, gzip").asText());
        assertEquals("gzip", out.get("gzip, aws-chunked").asText());
        assertEquals("gzip", out.get("aws-chunked, gzip").asText());
        assertEquals("deflate,gzip", out.get("deflate,  aws-chunked ,gzip").asText());
        assertEquals(true, out.get("aws-chunked").isNull(), out::toString);
        assertEquals(true, out.get("aws-chunked, aws-chunked").isNull(), out::toString);

        // the SDK streams with aws-chunked and adds it to the object's own encodings
        s3.putObject(
                b -> b.bucket("headers").key("sdk-encoded").contentEncoding("deflate, gzip"),
                RequestBody.fromString("x"));
        assertEquals(
                "deflate, gzip",
                s3.headObject(b -> b.bucket("headers").key("sdk-encoded")).contentEncoding());
        s3.putObject(b -> b.bucket("headers").key("sdk-plain"), RequestBody.fromString("x"));
        assertNull(s3.headObject(b -> b.bucket("headers").key("sdk-plain")).contentEncoding());
    }

    @Test
    void nonAsciiUserMetadataRoundTripsThroughTheSdk() {
        Map<String, String> metadata = Map.of("meta1", "Hello Worldé", "city", "Zürich ÿ");
        s3.putObject(b -> b.bucket("headers").key("sdk-meta").metadata(metadata), RequestBody.fromString("x"));
        assertEquals(
                metadata,
                s3.headObject(b -> b.bucket("headers").key("sdk-meta")).metadata());
        assertEquals(
                metadata,
                s3.getObjectAsBytes(b -> b.bucket("headers").key("sdk-meta"))
                        .response()
                        .metadata());
    }

    /** As ceph's s3-tests do it: botocore refuses non-ASCII metadata, so the header is set on the request itself. */
    @Test
    void nonAsciiUserMetadataRoundTripsThroughBoto3AndBeyondLatin1ComesBackRfc2047Encoded() throws Exception {
        JsonNode out = JSON.readTree(Boto3.run(server, work, """
                from email.header import decode_header
                def meta(value):
                    def set_header(**kwargs):
                        kwargs["params"]["headers"]["x-amz-meta-meta1"] = value
                    return set_header
                s3.meta.events.register("before-call.s3.PutObject", meta("Hello World\\u00e9"), unique_id="latin1")
                s3.put_object(Bucket="headers", Key="boto-meta", Body=b"x")
                latin1 = s3.get_object(Bucket="headers", Key="boto-meta")["Metadata"]["meta1"]
                s3.meta.events.unregister("before-call.s3.PutObject", unique_id="latin1")
                s3.meta.events.register("before-call.s3.PutObject", meta("price \\u20ac 5"), unique_id="euro")
                s3.put_object(Bucket="headers", Key="boto-euro", Body=b"x")
                encoded = s3.head_object(Bucket="headers", Key="boto-euro")["Metadata"]["meta1"]
                word, charset = decode_header(encoded)[0]
                print(json.dumps({"latin1": latin1, "encoded": encoded, "decoded": word.decode(charset)}))
                """));
        assertEquals("Hello Worldé", out.get("latin1").asText());
        assertEquals("=?UTF-8?B?cHJpY2Ug4oKsIDU=?=", out.get("encoded").asText());
        assertEquals("price € 5", out.get("decoded").asText());
        // the SDK reads the same stored value
        assertEquals(
                "Hello Worldé",
                s3.headObject(b -> b.bucket("headers").key("boto-meta"))
                        .metadata()
                        .get("meta1"));
    }

    @Test
    void nonAsciiUserMetadataIsSignedAndCheckedInStrictMode(@TempDir Path dir) {
        try (TestServer strict = TestServer.start(dir, b -> b.strictAuth().setting("storage.buckets", "signed"))) {
            strict.s3()
                    .putObject(
                            b -> b.bucket("signed").key("k").metadata(Map.of("name", "café")),
                            RequestBody.fromString("x"));
            assertEquals(
                    "café",
                    strict.s3()
                            .headObject(b -> b.bucket("signed").key("k"))
                            .metadata()
                            .get("name"));
        }
    }
}
