package dev.mockstorage.it;

import static dev.mockstorage.it.S3Assertions.assertRequestId;
import static dev.mockstorage.it.S3Assertions.assertSdkError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.Bucket;
import software.amazon.awssdk.services.s3.model.CreateBucketResponse;
import software.amazon.awssdk.services.s3.model.DeleteBucketResponse;
import software.amazon.awssdk.services.s3.model.GetBucketLocationResponse;
import software.amazon.awssdk.services.s3.model.HeadBucketResponse;
import software.amazon.awssdk.services.s3.model.ListBucketsResponse;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;

/**
 * Bucket calls through the SDK v2 sync client: list, create (twice), head, delete (non-empty, then
 * emptied), location. Bucket-name rules are checked in {@link BadInputTest}: the SDK refuses
 * invalid names itself before sending anything.
 */
class BucketOperationsTest {

    @StartStop
    final TestServer server = TestServer.create();

    @Test
    void listBucketsOfAFreshServerIsEmpty() {
        ListBucketsResponse response = server.s3().listBuckets();
        assertEquals(List.of(), response.buckets());
        assertRequestId(response);
    }

    @Test
    void createdBucketsAreListedByNameWithCreationDate() {
        Instant before = Instant.now().minusSeconds(2);
        CreateBucketResponse created = server.s3().createBucket(b -> b.bucket("zeta-bucket"));
        assertEquals(200, created.sdkHttpResponse().statusCode());
        assertEquals("/zeta-bucket", created.location());
        server.createBucket("alpha.bucket");
        server.createBucket("mid-0-bucket");

        List<Bucket> buckets = server.s3().listBuckets().buckets();

        assertEquals(
                List.of("alpha.bucket", "mid-0-bucket", "zeta-bucket"),
                buckets.stream().map(Bucket::name).toList());
        for (Bucket bucket : buckets) {
            assertNotNull(bucket.creationDate(), bucket.name());
            assertTrue(
                    !bucket.creationDate().isBefore(before)
                            && bucket.creationDate().isBefore(Instant.now().plus(Duration.ofMinutes(1))),
                    bucket.toString());
        }
    }

    @Test
    void creatingAnExistingBucketIsBucketAlreadyOwnedByYou() {
        server.createBucket("twice");
        assertSdkError(409, "BucketAlreadyOwnedByYou", () -> server.s3().createBucket(b -> b.bucket("twice")));
        assertEquals(1, server.s3().listBuckets().buckets().size());
    }

    @Test
    void headBucketFindsExistingAndAnswers404ForMissing() {
        server.createBucket("present");
        HeadBucketResponse head = server.s3().headBucket(b -> b.bucket("present"));
        assertEquals(200, head.sdkHttpResponse().statusCode());
        assertRequestId(head);

        NoSuchBucketException missing = (NoSuchBucketException)
                assertSdkError(404, null, () -> server.s3().headBucket(b -> b.bucket("absent")));
        assertEquals(404, missing.statusCode());
    }

    @Test
    void deleteBucketRefusesWhileNotEmptyThenWorksOnceEmptied() {
        server.createBucket("full");
        server.s3().putObject(b -> b.bucket("full").key("a/b.txt"), RequestBody.fromString("x"));

        assertSdkError(409, "BucketNotEmpty", () -> server.s3().deleteBucket(b -> b.bucket("full")));
        assertEquals(
                200,
                server.s3().headBucket(b -> b.bucket("full")).sdkHttpResponse().statusCode());
        assertEquals(1, server.s3().listObjectsV2(b -> b.bucket("full")).keyCount());

        server.s3().deleteObject(b -> b.bucket("full").key("a/b.txt"));
        DeleteBucketResponse deleted = server.s3().deleteBucket(b -> b.bucket("full"));

        assertEquals(204, deleted.sdkHttpResponse().statusCode());
        assertSdkError(404, null, () -> server.s3().headBucket(b -> b.bucket("full")));
        assertEquals(List.of(), server.s3().listBuckets().buckets());
    }

    @Test
    void deleteMissingBucketIsNoSuchBucket() {
        assertSdkError(404, "NoSuchBucket", () -> server.s3().deleteBucket(b -> b.bucket("never-made")));
    }

    @Test
    void deletedBucketNameCanBeCreatedAgainEmpty() {
        server.createBucket("reborn");
        server.s3().putObject(b -> b.bucket("reborn").key("k"), RequestBody.fromString("v"));
        server.s3().deleteObject(b -> b.bucket("reborn").key("k"));
        server.s3().deleteBucket(b -> b.bucket("reborn"));

        server.createBucket("reborn");

        assertEquals(0, server.s3().listObjectsV2(b -> b.bucket("reborn")).keyCount());
    }

    @Test
    void locationOfABucketIsUsEast1WhichS3ReportsAsEmpty() {
        server.createBucket("located");
        GetBucketLocationResponse location = server.s3().getBucketLocation(b -> b.bucket("located"));
        String constraint = location.locationConstraintAsString();
        assertTrue(
                constraint == null || constraint.isEmpty(),
                "us-east-1 buckets have an empty <LocationConstraint/> in S3, was: " + constraint);
        assertSdkError(404, "NoSuchBucket", () -> server.s3().getBucketLocation(b -> b.bucket("nowhere")));
    }
}
