package dev.mockstorage.it;

import static dev.mockstorage.it.S3Assertions.assertRequestId;
import static dev.mockstorage.it.S3Assertions.assertRequestIdHeader;
import static dev.mockstorage.it.S3Assertions.assertSdkError;
import static dev.mockstorage.it.TestData.etag;
import static dev.mockstorage.it.TestData.md5Base64;
import static dev.mockstorage.it.TestData.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mockstorage.testing.RawHttp;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.DeleteObjectResponse;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.DeletedObject;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Object calls through the SDK v2 sync client at default settings: put/get/head/delete, stored
 * headers and user metadata, ETag, Content-MD5, copy (COPY and REPLACE), batch delete, missing
 * buckets and {@code autoCreateBuckets}. One server for the class; each test uses its own bucket.
 */
class ObjectOperationsTest {

    @StartStop
    static final TestServer server = TestServer.create();

    static S3Client s3;

    @BeforeAll
    static void start() {
        s3 = server.s3();
    }

    @Test
    void putThenGetHeadAndDeleteAnObject() {
        String bucket = server.createBucket("crud");
        byte[] body = utf8("hello world\n");

        PutObjectResponse put = s3.putObject(b -> b.bucket(bucket).key("greeting.txt"), RequestBody.fromBytes(body));
        assertEquals(etag(body), put.eTag());
        assertRequestId(put);

        ResponseBytes<GetObjectResponse> got =
                s3.getObjectAsBytes(b -> b.bucket(bucket).key("greeting.txt"));
        assertArrayEquals(body, got.asByteArray());
        assertEquals(etag(body), got.response().eTag());
        assertEquals(body.length, got.response().contentLength());
        assertNotNull(got.response().lastModified());
        assertRequestId(got.response());

        HeadObjectResponse head = s3.headObject(b -> b.bucket(bucket).key("greeting.txt"));
        assertEquals(etag(body), head.eTag());
        assertEquals(body.length, head.contentLength());
        assertEquals(got.response().lastModified(), head.lastModified());
        assertRequestId(head);

        DeleteObjectResponse deleted = s3.deleteObject(b -> b.bucket(bucket).key("greeting.txt"));
        assertEquals(204, deleted.sdkHttpResponse().statusCode());
        assertRequestId(deleted);

        assertSdkError(
                404,
                "NoSuchKey",
                () -> s3.getObjectAsBytes(b -> b.bucket(bucket).key("greeting.txt")));
        assertTrue(
                assertSdkError(
                                404,
                                null,
                                () -> s3.headObject(b -> b.bucket(bucket).key("greeting.txt")))
                        instanceof NoSuchKeyException);
    }

    @Test
    void overwritingAKeyReplacesContentAndEtag() {
        String bucket = server.createBucket("overwrite");
        s3.putObject(b -> b.bucket(bucket).key("k"), RequestBody.fromString("first version"));
        s3.putObject(b -> b.bucket(bucket).key("k"), RequestBody.fromString("second"));

        ResponseBytes<GetObjectResponse> got =
                s3.getObjectAsBytes(b -> b.bucket(bucket).key("k"));

        assertEquals("second", got.asUtf8String());
        assertEquals(etag(utf8("second")), got.response().eTag());
        assertEquals(1, s3.listObjectsV2(b -> b.bucket(bucket)).keyCount());
    }

    @Test
    void deleteOfAMissingKeyIsIdempotent204() {
        String bucket = server.createBucket("idempotent-delete");
        DeleteObjectResponse first = s3.deleteObject(b -> b.bucket(bucket).key("never-existed"));
        DeleteObjectResponse second = s3.deleteObject(b -> b.bucket(bucket).key("never-existed"));
        assertEquals(204, first.sdkHttpResponse().statusCode());
        assertEquals(204, second.sdkHttpResponse().statusCode());
    }

    @Test
    void storedHeadersAndUserMetadataComeBackOnGetAndHead() throws IOException {
        String bucket = server.createBucket("headers");
        byte[] gzipped = gzip(utf8("compressed text"));
        Instant expires = Instant.now().plus(Duration.ofDays(1)).truncatedTo(ChronoUnit.SECONDS);
        Map<String, String> metadata = Map.of("color", "blue", "owner-id", "42", "note", "two words");

        s3.putObject(
                b -> b.bucket(bucket)
                        .key("doc.txt.gz")
                        .contentType("text/plain; charset=utf-8")
                        .contentDisposition("attachment; filename=\"doc.txt\"")
                        .contentEncoding("gzip")
                        .cacheControl("max-age=60, must-revalidate")
                        .expires(expires)
                        .metadata(metadata),
                RequestBody.fromBytes(gzipped));

        ResponseBytes<GetObjectResponse> got =
                s3.getObjectAsBytes(b -> b.bucket(bucket).key("doc.txt.gz"));
        assertArrayEquals(gzipped, got.asByteArray(), "stored bytes are returned as is, not decompressed");
        GetObjectResponse g = got.response();
        assertEquals("text/plain; charset=utf-8", g.contentType());
        assertEquals("attachment; filename=\"doc.txt\"", g.contentDisposition());
        assertEquals("gzip", g.contentEncoding(), "the SDK sends 'gzip' and 'aws-chunked'; only gzip is stored");
        assertEquals("max-age=60, must-revalidate", g.cacheControl());
        assertEquals(expires, g.expires());
        assertEquals(metadata, g.metadata());

        HeadObjectResponse h = s3.headObject(b -> b.bucket(bucket).key("doc.txt.gz"));
        assertEquals("text/plain; charset=utf-8", h.contentType());
        assertEquals("attachment; filename=\"doc.txt\"", h.contentDisposition());
        assertEquals("gzip", h.contentEncoding());
        assertEquals("max-age=60, must-revalidate", h.cacheControl());
        assertEquals(expires, h.expires());
        assertEquals(metadata, h.metadata());
        assertEquals(gzipped.length, h.contentLength());
    }

    @Test
    void withoutAContentTypeTheDefaultIsBinary() {
        String bucket = server.createBucket("default-type");
        server.raw().put("/" + bucket + "/untyped", Map.of(), utf8("raw bytes"));
        assertEquals(
                "binary/octet-stream",
                s3.headObject(b -> b.bucket(bucket).key("untyped")).contentType());
    }

    @Test
    void correctContentMd5IsAcceptedWrongIsBadDigestMalformedIsInvalidDigest() {
        String bucket = server.createBucket("content-md5");
        byte[] body = utf8("checked body");

        s3.putObject(b -> b.bucket(bucket).key("ok").contentMD5(md5Base64(body)), RequestBody.fromBytes(body));
        assertEquals(
                "checked body",
                s3.getObjectAsBytes(b -> b.bucket(bucket).key("ok")).asUtf8String());

        assertSdkError(
                400,
                "BadDigest",
                () -> s3.putObject(
                        b -> b.bucket(bucket).key("wrong").contentMD5(md5Base64(utf8("other body"))),
                        RequestBody.fromBytes(body)));
        assertSdkError(
                400,
                "InvalidDigest",
                () -> s3.putObject(
                        b -> b.bucket(bucket).key("malformed").contentMD5("not-base64-md5!"),
                        RequestBody.fromBytes(body)));

        assertEquals(List.of("ok"), keys(bucket), "failed uploads leave nothing behind");
    }

    @Test
    void copyWithMetadataDirectiveCopyKeepsSourceMetadata() {
        String bucket = server.createBucket("copy-copy");
        String target = server.createBucket("copy-target");
        byte[] body = utf8("copy me");
        s3.putObject(
                b -> b.bucket(bucket)
                        .key("src dir/a+b.txt")
                        .contentType("text/x-source")
                        .metadata(Map.of("origin", "source")),
                RequestBody.fromBytes(body));

        CopyObjectResponse copied = s3.copyObject(b -> b.sourceBucket(bucket)
                .sourceKey("src dir/a+b.txt")
                .destinationBucket(target)
                .destinationKey("copies/a+b copy.txt")
                .metadataDirective(MetadataDirective.COPY));

        assertEquals(etag(body), copied.copyObjectResult().eTag());
        assertNotNull(copied.copyObjectResult().lastModified());
        ResponseBytes<GetObjectResponse> got =
                s3.getObjectAsBytes(b -> b.bucket(target).key("copies/a+b copy.txt"));
        assertArrayEquals(body, got.asByteArray());
        assertEquals("text/x-source", got.response().contentType());
        assertEquals(Map.of("origin", "source"), got.response().metadata());
        assertEquals(etag(body), got.response().eTag());
        assertArrayEquals(
                body,
                s3.getObjectAsBytes(b -> b.bucket(bucket).key("src dir/a+b.txt"))
                        .asByteArray(),
                "the source is untouched");
    }

    @Test
    void copyWithMetadataDirectiveReplaceUsesTheRequestMetadata() {
        String bucket = server.createBucket("copy-replace");
        s3.putObject(
                b -> b.bucket(bucket)
                        .key("src")
                        .contentType("text/plain")
                        .metadata(Map.of("origin", "source", "keep", "no")),
                RequestBody.fromString("payload"));

        s3.copyObject(b -> b.sourceBucket(bucket)
                .sourceKey("src")
                .destinationBucket(bucket)
                .destinationKey("dst")
                .metadataDirective(MetadataDirective.REPLACE)
                .contentType("application/json")
                .metadata(Map.of("origin", "replaced")));

        HeadObjectResponse head = s3.headObject(b -> b.bucket(bucket).key("dst"));
        assertEquals("application/json", head.contentType());
        assertEquals(Map.of("origin", "replaced"), head.metadata());
        assertEquals(etag(utf8("payload")), head.eTag());
        assertEquals(
                Map.of("origin", "source", "keep", "no"),
                s3.headObject(b -> b.bucket(bucket).key("src")).metadata());
    }

    @Test
    void copyFromAMissingKeyIsNoSuchKey() {
        String bucket = server.createBucket("copy-missing");
        assertSdkError(
                404,
                "NoSuchKey",
                () -> s3.copyObject(b -> b.sourceBucket(bucket)
                        .sourceKey("nope")
                        .destinationBucket(bucket)
                        .destinationKey("dst")));
        assertEquals(List.of(), keys(bucket));
    }

    @Test
    void deleteObjectsReportsEveryKeyIncludingMissingOnes() {
        String bucket = server.createBucket("batch-delete");
        for (String key : List.of("a", "b/c", "keep")) {
            s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString(key));
        }

        DeleteObjectsResponse response = s3.deleteObjects(b -> b.bucket(bucket)
                .delete(d -> d.objects(
                        ObjectIdentifier.builder().key("a").build(),
                        ObjectIdentifier.builder().key("b/c").build(),
                        ObjectIdentifier.builder().key("missing").build())));

        assertEquals(
                List.of("a", "b/c", "missing"),
                response.deleted().stream().map(DeletedObject::key).sorted().toList());
        assertEquals(List.of(), response.errors());
        assertEquals(List.of("keep"), keys(bucket));
    }

    @Test
    void quietDeleteObjectsReturnsNoDeletedEntries() {
        String bucket = server.createBucket("quiet-delete");
        for (String key : List.of("x", "y")) {
            s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString(key));
        }

        DeleteObjectsResponse response = s3.deleteObjects(b -> b.bucket(bucket)
                .delete(d -> d.quiet(true)
                        .objects(
                                ObjectIdentifier.builder().key("x").build(),
                                ObjectIdentifier.builder().key("y").build(),
                                ObjectIdentifier.builder().key("absent").build())));

        assertEquals(List.of(), response.deleted());
        assertEquals(List.of(), response.errors());
        assertEquals(List.of(), keys(bucket));
    }

    @Test
    void putIntoAMissingBucketIsNoSuchBucket() {
        assertSdkError(
                404,
                "NoSuchBucket",
                () -> s3.putObject(b -> b.bucket("no-such-bucket").key("k"), RequestBody.fromString("lost")));
        assertSdkError(
                404,
                "NoSuchBucket",
                () -> s3.getObjectAsBytes(b -> b.bucket("no-such-bucket").key("k")));
        assertSdkError(404, "NoSuchBucket", () -> s3.listObjectsV2(b -> b.bucket("no-such-bucket")));
        assertTrue(s3.listBuckets().buckets().stream().noneMatch(bk -> bk.name().equals("no-such-bucket")));
    }

    @Test
    void putIntoAMissingBucketCreatesItWhenAutoCreateIsOn(@TempDir Path otherDataDir) {
        try (TestServer auto = TestServer.start(otherDataDir, b -> b.autoCreateBuckets(true))) {
            auto.s3().putObject(b -> b.bucket("auto-made").key("dir/file.txt"), RequestBody.fromString("auto"));

            assertEquals(
                    "auto",
                    auto.s3()
                            .getObjectAsBytes(b -> b.bucket("auto-made").key("dir/file.txt"))
                            .asUtf8String());
            assertEquals(
                    200,
                    auto.s3()
                            .headBucket(b -> b.bucket("auto-made"))
                            .sdkHttpResponse()
                            .statusCode());
            assertEquals(
                    List.of("auto-made"),
                    auto.s3().listBuckets().buckets().stream()
                            .map(bk -> bk.name())
                            .toList());
            assertSdkError(
                    404,
                    "NoSuchKey",
                    () -> auto.s3().getObjectAsBytes(b -> b.bucket("auto-made").key("other")));
        }
    }

    @Test
    void everyResponseCarriesARequestIdSuccessOrError() {
        String bucket = server.createBucket("request-ids");
        RawHttp raw = server.raw();
        assertRequestIdHeader(raw.put("/" + bucket + "/k", Map.of(), utf8("v")));
        assertRequestIdHeader(raw.get("/" + bucket + "/k"));
        assertRequestIdHeader(raw.send("HEAD", "/" + bucket + "/k"));
        assertRequestIdHeader(raw.get("/" + bucket + "/missing"));
        assertRequestIdHeader(raw.send("HEAD", "/" + bucket + "/missing"));
        assertRequestIdHeader(raw.get("/"));
        assertRequestIdHeader(raw.get("/no-such-bucket-here"));
        assertRequestIdHeader(raw.send("DELETE", "/" + bucket + "/k"));
        assertNull(s3.listObjectsV2(b -> b.bucket(bucket)).contents().stream()
                .findAny()
                .orElse(null));
    }

    private static List<String> keys(String bucket) {
        return s3.listObjectsV2Paginator(b -> b.bucket(bucket)).contents().stream()
                .map(S3Object::key)
                .toList();
    }

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }
}
