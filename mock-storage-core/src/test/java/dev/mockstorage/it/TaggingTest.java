package dev.mockstorage.it;

import static dev.mockstorage.it.S3Assertions.assertSdkError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.Tag;
import software.amazon.awssdk.services.s3.model.TaggingDirective;

/** Object and bucket tagging through the AWS SDK v2 at its defaults. */
class TaggingTest {
    @StartStop
    static final TestServer server = TestServer.create();

    static S3Client s3;
    static String bucket;

    @BeforeAll
    static void start() {
        s3 = server.s3();
        bucket = server.createBucket("tags");
    }

    private static Map<String, String> tags(String key) {
        Map<String, String> tags = new LinkedHashMap<>();
        s3.getObjectTagging(b -> b.bucket(bucket).key(key)).tagSet().forEach(t -> tags.put(t.key(), t.value()));
        return tags;
    }

    private static List<Tag> tagList(int n) {
        List<Tag> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            list.add(Tag.builder().key("k" + i).value("v" + i).build());
        }
        return list;
    }

    @Test
    void tagsSentOnCreateMultipartUploadAreTheCompletedObjectsTags() {
        String up = s3.createMultipartUpload(
                        b -> b.bucket(bucket).key("mp/tagged").tagging("team=data&stage=raw%20input"))
                .uploadId();
        String etag = s3.uploadPart(
                        b -> b.bucket(bucket).key("mp/tagged").uploadId(up).partNumber(1),
                        RequestBody.fromString("only part"))
                .eTag();
        s3.completeMultipartUpload(b -> b.bucket(bucket)
                .key("mp/tagged")
                .uploadId(up)
                .multipartUpload(m -> m.parts(p -> p.partNumber(1).eTag(etag))));

        assertEquals(Map.of("team", "data", "stage", "raw input"), tags("mp/tagged"));
        assertEquals(
                2,
                s3.headObject(b -> b.bucket(bucket).key("mp/tagged"))
                        .sdkHttpResponse()
                        .firstMatchingHeader("x-amz-tagging-count")
                        .map(Integer::parseInt)
                        .orElse(0));
        // S3's tag rules apply when the upload starts, not only when it completes
        assertSdkError(
                400,
                "InvalidTag",
                () -> s3.createMultipartUpload(
                        b -> b.bucket(bucket).key("mp/bad").tagging("aws:x=1")));
    }

    @Test
    void putWithTaggingHeaderThenGetReplaceAndDelete() {
        s3.putObject(
                b -> b.bucket(bucket).key("doc").tagging("project=blue sky&owner=a+b%2Fc&empty="),
                RequestBody.fromString("x"));
        assertEquals(Map.of("project", "blue sky", "owner", "a b/c", "empty", ""), tags("doc"));
        assertEquals(3, s3.headObject(b -> b.bucket(bucket).key("doc")).tagCount());
        assertEquals(
                3,
                s3.getObjectAsBytes(b -> b.bucket(bucket).key("doc")).response().tagCount());

        s3.putObjectTagging(b -> b.bucket(bucket)
                .key("doc")
                .tagging(t -> t.tagSet(Tag.builder().key("only").value("one").build())));
        assertEquals(Map.of("only", "one"), tags("doc"));
        assertEquals(1, s3.headObject(b -> b.bucket(bucket).key("doc")).tagCount());
        assertEquals(
                "x", s3.getObjectAsBytes(b -> b.bucket(bucket).key("doc")).asUtf8String(), "the content is untouched");

        s3.deleteObjectTagging(b -> b.bucket(bucket).key("doc"));
        assertEquals(Map.of(), tags("doc"));
        assertNull(s3.headObject(b -> b.bucket(bucket).key("doc")).tagCount(), "no x-amz-tagging-count without tags");

        // overwriting an object drops its tags, like S3
        s3.putObject(b -> b.bucket(bucket).key("over").tagging("a=1"), RequestBody.fromString("1"));
        s3.putObject(b -> b.bucket(bucket).key("over"), RequestBody.fromString("2"));
        assertEquals(Map.of(), tags("over"));
    }

    @Test
    void taggingAMissingObjectIsNoSuchKey() {
        assertSdkError(
                404,
                "NoSuchKey",
                () -> s3.getObjectTagging(b -> b.bucket(bucket).key("absent")));
        assertSdkError(
                404,
                "NoSuchKey",
                () -> s3.putObjectTagging(b -> b.bucket(bucket).key("absent").tagging(t -> t.tagSet(tagList(1)))));
        assertSdkError(
                404,
                "NoSuchBucket",
                () -> s3.getObjectTagging(b -> b.bucket("no-such-bucket-here").key("k")));
    }

    @Test
    void copyKeepsTagsWithCopyAndTakesNewOnesWithReplace() {
        s3.putObject(b -> b.bucket(bucket).key("src").tagging("color=red&size=L"), RequestBody.fromString("src"));
        s3.copyObject(b -> b.sourceBucket(bucket)
                .sourceKey("src")
                .destinationBucket(bucket)
                .destinationKey("copied"));
        assertEquals(Map.of("color", "red", "size", "L"), tags("copied"));

        s3.copyObject(b -> b.sourceBucket(bucket)
                .sourceKey("src")
                .destinationBucket(bucket)
                .destinationKey("copied2")
                .taggingDirective(TaggingDirective.COPY)
                .tagging("ignored=yes"));
        assertEquals(Map.of("color", "red", "size", "L"), tags("copied2"));

        s3.copyObject(b -> b.sourceBucket(bucket)
                .sourceKey("src")
                .destinationBucket(bucket)
                .destinationKey("replaced")
                .taggingDirective(TaggingDirective.REPLACE)
                .tagging("color=green"));
        assertEquals(Map.of("color", "green"), tags("replaced"));
        assertEquals(1, s3.headObject(b -> b.bucket(bucket).key("replaced")).tagCount());

        s3.copyObject(b -> b.sourceBucket(bucket)
                .sourceKey("src")
                .destinationBucket(bucket)
                .destinationKey("untagged")
                .taggingDirective(TaggingDirective.REPLACE));
        assertEquals(Map.of(), tags("untagged"));
        assertEquals(Map.of("color", "red", "size", "L"), tags("src"), "the source keeps its tags");
    }

    @Test
    void invalidTagsAreRejectedWithInvalidTag() {
        s3.putObject(b -> b.bucket(bucket).key("target"), RequestBody.fromString("t"));
        S3Exception tooMany = assertSdkError(
                400,
                "InvalidTag",
                () -> s3.putObjectTagging(b -> b.bucket(bucket).key("target").tagging(t -> t.tagSet(tagList(11)))));
        assertTrue(
                tooMany.awsErrorDetails().errorMessage().contains("10"),
                tooMany.awsErrorDetails().errorMessage());
        s3.putObjectTagging(b -> b.bucket(bucket).key("target").tagging(t -> t.tagSet(tagList(10))));
        assertEquals(10, tags("target").size(), "ten tags are allowed");

        S3Exception longKey = assertSdkError(
                400,
                "InvalidTag",
                () -> s3.putObjectTagging(b -> b.bucket(bucket)
                        .key("target")
                        .tagging(t -> t.tagSet(
                                Tag.builder().key("k".repeat(129)).value("v").build()))));
        assertTrue(
                longKey.awsErrorDetails().errorMessage().contains("TagKey"),
                longKey.awsErrorDetails().errorMessage());
        S3Exception longValue = assertSdkError(
                400,
                "InvalidTag",
                () -> s3.putObjectTagging(b -> b.bucket(bucket)
                        .key("target")
                        .tagging(t -> t.tagSet(
                                Tag.builder().key("k").value("v".repeat(257)).build()))));
        assertTrue(
                longValue.awsErrorDetails().errorMessage().contains("TagValue"),
                longValue.awsErrorDetails().errorMessage());
        S3Exception duplicate = assertSdkError(
                400,
                "InvalidTag",
                () -> s3.putObjectTagging(b -> b.bucket(bucket)
                        .key("target")
                        .tagging(t -> t.tagSet(
                                Tag.builder().key("k").value("1").build(),
                                Tag.builder().key("k").value("2").build()))));
        assertTrue(
                duplicate.awsErrorDetails().errorMessage().contains("same key"),
                duplicate.awsErrorDetails().errorMessage());
        s3.putObjectTagging(b -> b.bucket(bucket)
                .key("target")
                .tagging(t -> t.tagSet(Tag.builder()
                        .key("k".repeat(128))
                        .value("v".repeat(256))
                        .build())));
        assertEquals(Map.of("k".repeat(128), "v".repeat(256)), tags("target"), "the limits themselves are allowed");

        assertSdkError(
                400,
                "InvalidTag",
                () -> s3.putObject(
                        b -> b.bucket(bucket).key("bad-put").tagging("a=1&a=2"), RequestBody.fromString("x")));
        assertSdkError(
                404, "NoSuchKey", () -> s3.headObject(b -> b.bucket(bucket).key("bad-put")));
    }

    @Test
    void bucketTaggingRoundTripAndNoSuchTagSet() {
        String b2 = server.createBucket("bucket-tags");
        assertSdkError(404, "NoSuchTagSet", () -> s3.getBucketTagging(b -> b.bucket(b2)));
        s3.putBucketTagging(b -> b.bucket(b2)
                .tagging(t -> t.tagSet(
                        Tag.builder().key("team").value("storage").build(),
                        Tag.builder().key("env").value("test").build())));
        Map<String, String> got = new LinkedHashMap<>();
        s3.getBucketTagging(b -> b.bucket(b2)).tagSet().forEach(t -> got.put(t.key(), t.value()));
        assertEquals(Map.of("team", "storage", "env", "test"), got);

        s3.deleteBucketTagging(b -> b.bucket(b2));
        assertSdkError(404, "NoSuchTagSet", () -> s3.getBucketTagging(b -> b.bucket(b2)));
        assertSdkError(404, "NoSuchBucket", () -> s3.getBucketTagging(b -> b.bucket("no-such-bucket-here")));

        // the tag set goes with the bucket
        s3.putBucketTagging(b -> b.bucket(b2)
                .tagging(t -> t.tagSet(Tag.builder().key("a").value("b").build())));
        s3.deleteBucket(b -> b.bucket(b2));
        s3.createBucket(b -> b.bucket(b2));
        assertSdkError(404, "NoSuchTagSet", () -> s3.getBucketTagging(b -> b.bucket(b2)));
    }
}
