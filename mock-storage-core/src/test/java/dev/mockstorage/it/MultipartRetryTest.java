package dev.mockstorage.it;

import static dev.mockstorage.it.S3Assertions.assertSdkError;
import static dev.mockstorage.it.S3Assertions.parseXml;
import static dev.mockstorage.it.S3Assertions.text;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.mockstorage.testing.RawHttp;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListPartsResponse;

/**
 * What clients that retry rely on, as S3 does it: a CompleteMultipartUpload retried after one that succeeded
 * (its answer lost on the way) answers the same result while the object it made is the key's current one; of
 * two uploads of one part number the one started later is kept, whichever finishes last. The SDK drives
 * everything; the slow first upload of a part is a raw request that waits for its {@code 100 Continue} (the
 * server has started it) before sending its body, so the race runs the same way every time.
 */
class MultipartRetryTest {
    static final int MIB = 1024 * 1024;

    @StartStop
    static final TestServer server = TestServer.create();

    static S3Client s3;

    @BeforeAll
    static void start() {
        s3 = server.s3();
        server.createBucket("retry");
    }

    private static String create(String bucket, String key) {
        return s3.createMultipartUpload(b -> b.bucket(bucket).key(key)).uploadId();
    }

    private static CompletedPart part(String bucket, String key, String uploadId, int n, byte[] data) {
        String etag = s3.uploadPart(
                        b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(n), RequestBody.fromBytes(data))
                .eTag();
        return CompletedPart.builder().partNumber(n).eTag(etag).build();
    }

    private static CompleteMultipartUploadResponse complete(
            String bucket, String key, String uploadId, List<CompletedPart> parts) {
        return s3.completeMultipartUpload(
                b -> b.bucket(bucket).key(key).uploadId(uploadId).multipartUpload(m -> m.parts(parts)));
    }

    @Test
    void aRetriedCompleteAnswersTheSameResultUntilTheObjectIsOverwritten() {
        String id = create("retry", "done.bin");
        List<CompletedPart> parts = List.of(
                part("retry", "done.bin", id, 1, TestData.pattern(5 * MIB, 1)),
                part("retry", "done.bin", id, 2, TestData.pattern(1000, 2)));
        CompleteMultipartUploadResponse first = complete("retry", "done.bin", id, parts);
        HeadObjectResponse stored = s3.headObject(b -> b.bucket("retry").key("done.bin"));

        CompleteMultipartUploadResponse again = complete("retry", "done.bin", id, parts);
        assertEquals(first.eTag(), again.eTag());
        assertEquals(first.location(), again.location());
        assertEquals(first.bucket(), again.bucket());
        assertEquals(first.key(), again.key());
        assertEquals(first.checksumCRC64NVME(), again.checksumCRC64NVME());
        assertNotNull(first.checksumCRC64NVME());
        HeadObjectResponse after = s3.headObject(b -> b.bucket("retry").key("done.bin"));
        assertEquals(stored.lastModified(), after.lastModified(), "nothing was stored again");
        assertEquals(stored.eTag(), after.eTag());

        s3.putObject(b -> b.bucket("retry").key("done.bin"), RequestBody.fromString("overwritten"));
        assertSdkError(404, "NoSuchUpload", () -> complete("retry", "done.bin", id, parts));
        assertSdkError(404, "NoSuchUpload", () -> complete("retry", "other-key.bin", id, parts));
    }

    @Test
    void aRetriedCompleteGetsTheSameXmlAndVersionIdInAVersionedBucket() {
        server.createBucket("retry-versions");
        s3.putBucketVersioning(b -> b.bucket("retry-versions").versioningConfiguration(v -> v.status("Enabled")));
        String id = create("retry-versions", "v.bin");
        CompletedPart p = part("retry-versions", "v.bin", id, 1, TestData.pattern(2000, 3));
        String body = "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>" + p.eTag()
                + "</ETag></Part></CompleteMultipartUpload>";
        String target = "/retry-versions/v.bin?uploadId=" + id;
        RawHttp.Response first = server.raw().send("POST", target, Map.of(), body.getBytes(StandardCharsets.UTF_8));
        assertEquals(200, first.status(), first.bodyText());
        RawHttp.Response again = server.raw().send("POST", target, Map.of(), body.getBytes(StandardCharsets.UTF_8));
        assertEquals(200, again.status(), again.bodyText());
        assertEquals(first.bodyText(), again.bodyText());
        assertNotNull(first.header("x-amz-version-id"));
        assertEquals(first.header("x-amz-version-id"), again.header("x-amz-version-id"));
        assertEquals(
                1,
                s3.listObjectVersions(b -> b.bucket("retry-versions").prefix("v.bin"))
                        .versions()
                        .size(),
                "one version, not two");
        assertEquals(
                "\"" + text(parseXml(first.body()), "ETag").replace("\"", "") + "\"",
                s3.headObject(b -> b.bucket("retry-versions").key("v.bin")).eTag());
    }

    @Test
    void aPartUploadStartedFirstAndFinishedLastDoesNotReplaceTheOneStartedAfterIt() throws Exception {
        String id = create("retry", "race.bin");
        byte[] slow = TestData.pattern(5 * MIB, 4);
        byte[] fast = TestData.pattern(5 * MIB, 5);
        try (RawHttp.Connection first = server.raw().open()) {
            first.send("PUT /retry/race.bin?partNumber=1&uploadId=" + id + " HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Length: " + slow.length + "\r\nExpect: 100-continue\r\n\r\n");
            assertEquals(100, first.readResponse().status(), "the server started the first upload");
            CompletedPart later = part("retry", "race.bin", id, 1, fast); // started and finished while the first waits
            first.send(slow);
            RawHttp.Response answered = first.readResponse();
            assertEquals(200, answered.status(), answered.bodyText());
            String lostEtag = answered.header("etag");

            ListPartsResponse parts =
                    s3.listParts(b -> b.bucket("retry").key("race.bin").uploadId(id));
            assertEquals(
                    List.of(later.eTag()),
                    parts.parts().stream().map(p -> p.eTag()).toList(),
                    "the upload started later is kept, though the first finished last");
            CompletedPart lost =
                    CompletedPart.builder().partNumber(1).eTag(lostEtag).build();
            assertSdkError(400, "InvalidPart", () -> complete("retry", "race.bin", id, List.of(lost)));
            CompletedPart tail = part("retry", "race.bin", id, 2, TestData.pattern(10, 6));
            complete("retry", "race.bin", id, List.of(later, tail));
        }
        byte[] got = s3.getObjectAsBytes(b -> b.bucket("retry").key("race.bin")).asByteArray();
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.write(fast);
        expected.write(TestData.pattern(10, 6));
        assertArrayEquals(expected.toByteArray(), got);
    }

    @Test
    void aPartRetriedWithTheSameBytesWhileTheFirstStillRunsCompletes() throws Exception {
        String id = create("retry", "same.bin");
        byte[] bytes = TestData.pattern(5 * MIB, 7);
        try (RawHttp.Connection first = server.raw().open()) {
            first.send("PUT /retry/same.bin?partNumber=1&uploadId=" + id + " HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Length: " + bytes.length + "\r\nExpect: 100-continue\r\n\r\n");
            assertEquals(100, first.readResponse().status());
            CompletedPart retried = part("retry", "same.bin", id, 1, bytes);
            first.send(bytes);
            assertEquals(retried.eTag(), first.readResponse().header("etag"));
            complete("retry", "same.bin", id, List.of(retried));
        }
        assertArrayEquals(
                bytes,
                s3.getObjectAsBytes(b -> b.bucket("retry").key("same.bin")).asByteArray());
    }

    @Test
    void aPartUploadedAfterARestartReplacesTheOneUploadedBefore(@TempDir Path dir) {
        String id;
        try (TestServer before = TestServer.start(dir)) {
            before.createBucket("restart");
            id = before.s3()
                    .createMultipartUpload(b -> b.bucket("restart").key("k"))
                    .uploadId();
            before.s3()
                    .uploadPart(
                            b -> b.bucket("restart").key("k").uploadId(id).partNumber(1),
                            RequestBody.fromString("before"));
        }
        try (TestServer after = TestServer.start(dir)) {
            String etag = after.s3()
                    .uploadPart(
                            b -> b.bucket("restart").key("k").uploadId(id).partNumber(1),
                            RequestBody.fromString("after"))
                    .eTag();
            assertEquals(
                    List.of(etag),
                    after.s3().listParts(b -> b.bucket("restart").key("k").uploadId(id)).parts().stream()
                            .map(p -> p.eTag())
                            .toList());
            after.s3()
                    .completeMultipartUpload(b -> b.bucket("restart")
                            .key("k")
                            .uploadId(id)
                            .multipartUpload(m -> m.parts(CompletedPart.builder()
                                    .partNumber(1)
                                    .eTag(etag)
                                    .build())));
            assertEquals(
                    "after",
                    after.s3()
                            .getObjectAsBytes(b -> b.bucket("restart").key("k"))
                            .asUtf8String());
            after.server().awaitIdle(Duration.ofSeconds(10));
        }
    }
}
