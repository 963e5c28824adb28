package dev.mockstorage.it;

import static dev.mockstorage.it.S3Assertions.assertS3Error;
import static dev.mockstorage.it.S3Assertions.assertSdkError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mockstorage.testing.RawHttp;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Conditional writes through the SDK v2 at its defaults: {@code If-None-Match: *} and {@code If-Match} on
 * PutObject, CopyObject (the destination) and CompleteMultipartUpload answer 412 PreconditionFailed and store
 * nothing; a write whose condition held when it started and no longer does when it commits answers 409
 * ConditionalRequestConflict; of many concurrent {@code If-None-Match: *} writers of one key exactly one
 * succeeds. The 409 of a lost race is forced with a raw socket, the only client that can hold a request
 * between its check and its body.
 */
class ConditionalWriteTest {
    private static final int WRITERS = 24;

    @StartStop
    static final TestServer server = TestServer.create();

    static S3Client s3;
    static String bucket;

    @BeforeAll
    static void start() {
        s3 = server.s3();
        bucket = server.createBucket("conditional");
    }

    private static String read(String key) {
        return s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asUtf8String();
    }

    private static String put(String key, String body) {
        return s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString(body))
                .eTag();
    }

    @Test
    void putObjectIfNoneMatchStarCreatesOnlyAnAbsentKey() {
        String etag = s3.putObject(
                        b -> b.bucket(bucket).key("create-once").ifNoneMatch("*"), RequestBody.fromString("first"))
                .eTag();
        S3Exception refused = assertSdkError(
                412,
                "PreconditionFailed",
                () -> s3.putObject(
                        b -> b.bucket(bucket).key("create-once").ifNoneMatch("*"), RequestBody.fromString("second")));
        assertTrue(refused.getMessage().contains("If-None-Match"), refused.getMessage());
        assertEquals("first", read("create-once"));
        assertEquals(
                etag, s3.headObject(b -> b.bucket(bucket).key("create-once")).eTag());

        // S3 takes If-None-Match: * only on a write
        assertSdkError(
                501,
                "NotImplemented",
                () -> s3.putObject(
                        b -> b.bucket(bucket).key("create-once").ifNoneMatch(etag), RequestBody.fromString("third")));
        assertEquals("first", read("create-once"));
    }

    @Test
    void putObjectIfMatchReplacesOnlyTheVersionTheWriterRead() {
        String etag = put("swap", "v1");
        String next = s3.putObject(b -> b.bucket(bucket).key("swap").ifMatch(etag), RequestBody.fromString("v2"))
                .eTag();
        assertEquals("v2", read("swap"));
        assertSdkError(
                412,
                "PreconditionFailed",
                () -> s3.putObject(b -> b.bucket(bucket).key("swap").ifMatch(etag), RequestBody.fromString("stale")));
        assertEquals("v2", read("swap"));
        s3.putObject(b -> b.bucket(bucket).key("swap").ifMatch(next.replace("\"", "")), RequestBody.fromString("v3"));
        assertEquals("v3", read("swap"));
        assertSdkError(
                404,
                "NoSuchKey",
                () -> s3.putObject(
                        b -> b.bucket(bucket).key("never-written").ifMatch(etag), RequestBody.fromString("x")));
        assertSdkError(
                404, "NoSuchKey", () -> s3.headObject(b -> b.bucket(bucket).key("never-written")));
    }

    @Test
    void copyObjectConditionsApplyToTheDestination() {
        put("copy/source", "source bytes");
        String destination = put("copy/destination", "destination bytes");
        assertSdkError(
                412,
                "PreconditionFailed",
                () -> s3.copyObject(b -> b.sourceBucket(bucket)
                        .sourceKey("copy/source")
                        .destinationBucket(bucket)
                        .destinationKey("copy/destination")
                        .ifNoneMatch("*")));
        assertSdkError(
                412,
                "PreconditionFailed",
                () -> s3.copyObject(b -> b.sourceBucket(bucket)
                        .sourceKey("copy/source")
                        .destinationBucket(bucket)
                        .destinationKey("copy/destination")
                        .ifMatch("\"0123456789abcdef0123456789abcdef\"")));
        assertEquals("destination bytes", read("copy/destination"));

        s3.copyObject(b -> b.sourceBucket(bucket)
                .sourceKey("copy/source")
                .destinationBucket(bucket)
                .destinationKey("copy/destination")
                .ifMatch(destination));
        assertEquals("source bytes", read("copy/destination"));
        s3.copyObject(b -> b.sourceBucket(bucket)
                .sourceKey("copy/source")
                .destinationBucket(bucket)
                .destinationKey("copy/new")
                .ifNoneMatch("*"));
        assertEquals("source bytes", read("copy/new"));
    }

    @Test
    void completeMultipartUploadWithAFailedConditionLeavesTheUploadToCompleteLater() {
        String existing = put("multi", "already here");
        String uploadId =
                s3.createMultipartUpload(b -> b.bucket(bucket).key("multi")).uploadId();
        String part = s3.uploadPart(
                        b -> b.bucket(bucket).key("multi").uploadId(uploadId).partNumber(1),
                        RequestBody.fromString("assembled"))
                .eTag();
        CompletedPart completed =
                CompletedPart.builder().partNumber(1).eTag(part).build();

        assertSdkError(
                412,
                "PreconditionFailed",
                () -> s3.completeMultipartUpload(b -> b.bucket(bucket)
                        .key("multi")
                        .uploadId(uploadId)
                        .ifNoneMatch("*")
                        .multipartUpload(m -> m.parts(completed))));
        assertEquals("already here", read("multi"));
        assertEquals(
                1,
                s3.listParts(b -> b.bucket(bucket).key("multi").uploadId(uploadId))
                        .parts()
                        .size(),
                "the upload is still open");

        s3.completeMultipartUpload(b -> b.bucket(bucket)
                .key("multi")
                .uploadId(uploadId)
                .ifMatch(existing)
                .multipartUpload(m -> m.parts(completed)));
        assertEquals("assembled", read("multi"));
    }

    @Test
    void aDeleteMarkerIsNoObjectForIfNoneMatch() {
        String versioned = server.createBucket("conditional-versions");
        s3.putBucketVersioning(b -> b.bucket(versioned).versioningConfiguration(v -> v.status("Enabled")));
        s3.putObject(b -> b.bucket(versioned).key("k"), RequestBody.fromString("old"));
        assertSdkError(
                412,
                "PreconditionFailed",
                () -> s3.putObject(
                        b -> b.bucket(versioned).key("k").ifNoneMatch("*"), RequestBody.fromString("refused")));
        s3.deleteObject(b -> b.bucket(versioned).key("k"));
        s3.putObject(b -> b.bucket(versioned).key("k").ifNoneMatch("*"), RequestBody.fromString("new"));
        assertEquals(
                "new", s3.getObjectAsBytes(b -> b.bucket(versioned).key("k")).asUtf8String());
        assertEquals(
                2,
                s3.listObjectVersions(b -> b.bucket(versioned)).versions().size(),
                "old and new: the refused write left no version");
    }

    @Test
    void ofManyConcurrentIfNoneMatchWritersOfOneKeyExactlyOneSucceeds() throws Exception {
        for (int round = 0; round < 3; round++) {
            String key = "race/" + round;
            List<Integer> statuses = race(i -> () -> {
                s3.putObject(b -> b.bucket(bucket).key(key).ifNoneMatch("*"), RequestBody.fromString("writer " + i));
                return i;
            });
            assertExactlyOneWon(statuses, key);
        }
    }

    @Test
    void ofManyConcurrentIfMatchWritersOfOneVersionExactlyOneSucceeds() throws Exception {
        String etag = put("cas", "start");
        List<Integer> statuses = race(i -> () -> {
            s3.putObject(b -> b.bucket(bucket).key("cas").ifMatch(etag), RequestBody.fromString("writer " + i));
            return i;
        });
        assertExactlyOneWon(statuses, "cas");
    }

    @Test
    void ofConcurrentConditionalCompletesOfOneKeyExactlyOneSucceeds() throws Exception {
        List<String> uploads = new ArrayList<>();
        List<CompletedPart> parts = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            int n = i;
            String uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key("race/multi"))
                    .uploadId();
            uploads.add(uploadId);
            parts.add(CompletedPart.builder()
                    .partNumber(1)
                    .eTag(s3.uploadPart(
                                    b -> b.bucket(bucket)
                                            .key("race/multi")
                                            .uploadId(uploadId)
                                            .partNumber(1),
                                    RequestBody.fromString("writer " + n))
                            .eTag())
                    .build());
        }
        List<Integer> statuses = race(uploads.size(), i -> () -> {
            s3.completeMultipartUpload(b -> b.bucket(bucket)
                    .key("race/multi")
                    .uploadId(uploads.get(i))
                    .ifNoneMatch("*")
                    .multipartUpload(m -> m.parts(parts.get(i))));
            return i;
        });
        assertExactlyOneWon(statuses, "race/multi");
        assertEquals(
                uploads.size() - 1,
                s3.listMultipartUploads(b -> b.bucket(bucket).prefix("race/multi"))
                        .uploads()
                        .size(),
                "each refused Complete left its upload open");
    }

    @Test
    void aWriteWhoseConditionHeldWhenItStartedAndLostTheRaceIsAConflict() throws Exception {
        byte[] body = "slow writer".getBytes(StandardCharsets.UTF_8);
        try (RawHttp.Connection slow = server.raw().open()) {
            slow.send("PUT /" + bucket + "/conflict HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: " + body.length
                    + "\r\nIf-None-Match: *\r\nExpect: 100-continue\r\n\r\n");
            // the server asks for the body only once the condition held: the key is absent
            assertEquals(100, slow.readResponse().status());
            put("conflict", "fast writer");
            slow.send(body);
            assertS3Error(slow.readResponse(), 409, "ConditionalRequestConflict");
        }
        assertEquals("fast writer", read("conflict"));
        assertS3Error(
                server.raw().send("PUT", "/" + bucket + "/conflict", Map.of("If-None-Match", "*"), body),
                412,
                "PreconditionFailed");
    }

    private interface Writer {
        Callable<Integer> of(int writer);
    }

    private static List<Integer> race(Writer writer) throws Exception {
        return race(WRITERS, writer);
    }

    /** Runs {@code n} writers at once; each answers its index on success, or the status it failed with, negated. */
    private static List<Integer> race(int n, Writer writer) throws Exception {
        CyclicBarrier start = new CyclicBarrier(n);
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Callable<Integer> call = writer.of(i);
                results.add(pool.submit(() -> {
                    start.await();
                    try {
                        return call.call();
                    } catch (S3Exception e) {
                        return -e.statusCode();
                    }
                }));
            }
            List<Integer> outcomes = new ArrayList<>();
            for (Future<Integer> f : results) {
                outcomes.add(f.get());
            }
            return outcomes;
        } finally {
            pool.shutdownNow();
        }
    }

    private static void assertExactlyOneWon(List<Integer> outcomes, String key) {
        List<Integer> winners = outcomes.stream().filter(o -> o >= 0).toList();
        assertEquals(1, winners.size(), "exactly one writer succeeds: " + outcomes);
        assertTrue(
                outcomes.stream().filter(o -> o < 0).allMatch(o -> o == -412 || o == -409),
                "the others are refused with 412 or 409: " + outcomes);
        assertEquals("writer " + winners.get(0), read(key), "the key holds the winner's body");
    }
}
