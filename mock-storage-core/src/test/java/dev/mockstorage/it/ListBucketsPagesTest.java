package dev.mockstorage.it;

import static dev.mockstorage.it.S3Assertions.assertS3Error;
import static dev.mockstorage.it.S3Assertions.assertSdkError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mockstorage.MockStorageRuntime;
import dev.mockstorage.testing.RawHttp;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Bucket;
import software.amazon.awssdk.services.s3.model.ListBucketsResponse;

/**
 * ListBuckets in pages through the SDK v2 at its defaults (its paginator included): {@code max-buckets},
 * {@code continuation-token}, {@code prefix} and {@code bucket-region}; values S3 refuses, over a raw socket
 * because the SDK sends only what its model allows.
 */
class ListBucketsPagesTest {
    private static final List<String> NAMES = List.of("alpha-1", "alpha-2", "alpha-3", "beta-1", "beta-2", "gamma");

    @StartStop
    static final TestServer server = TestServer.create();

    static S3Client s3;

    @BeforeAll
    static void start() {
        s3 = server.s3();
        NAMES.forEach(server::createBucket);
    }

    private static List<String> names(ListBucketsResponse page) {
        return page.buckets().stream().map(Bucket::name).toList();
    }

    @Test
    void maxBucketsPagesInNameOrderAndTheTokenOfEachPageLeadsToTheNext() {
        ListBucketsResponse first = s3.listBuckets(b -> b.maxBuckets(4));
        assertEquals(NAMES.subList(0, 4), names(first));
        assertTrue(first.continuationToken() != null, "a truncated page carries a token");
        ListBucketsResponse second = s3.listBuckets(b -> b.maxBuckets(4).continuationToken(first.continuationToken()));
        assertEquals(NAMES.subList(4, 6), names(second));
        assertNull(second.continuationToken(), "the last page has none");

        List<String> paged = new ArrayList<>();
        s3.listBucketsPaginator(b -> b.maxBuckets(1)).buckets().forEach(bucket -> paged.add(bucket.name()));
        assertEquals(NAMES, paged, "the SDK's paginator walks every bucket, one per page");
        assertEquals(NAMES, names(s3.listBuckets()), "without max-buckets, one page of all");
        assertNull(s3.listBuckets().continuationToken());
    }

    @Test
    void prefixSelectsAndIsEchoedAndPagesWithinIt() {
        ListBucketsResponse alpha = s3.listBuckets(b -> b.prefix("alpha-").maxBuckets(2));
        assertEquals(List.of("alpha-1", "alpha-2"), names(alpha));
        assertEquals("alpha-", alpha.prefix());
        ListBucketsResponse rest =
                s3.listBuckets(b -> b.prefix("alpha-").maxBuckets(2).continuationToken(alpha.continuationToken()));
        assertEquals(List.of("alpha-3"), names(rest));
        assertNull(rest.continuationToken(), "no alpha- bucket follows, though other buckets do");
        assertEquals(List.of(), names(s3.listBuckets(b -> b.prefix("delta"))));
    }

    @Test
    void bucketRegionSelectsTheServersRegionOnly() {
        ListBucketsResponse here = s3.listBuckets(b -> b.bucketRegion(MockStorageRuntime.DEFAULT_REGION));
        assertEquals(NAMES, names(here));
        here.buckets().forEach(b -> assertEquals(MockStorageRuntime.DEFAULT_REGION, b.bucketRegion()));
        assertEquals(List.of(), names(s3.listBuckets(b -> b.bucketRegion("eu-west-3"))));
    }

    @Test
    void valuesS3RefusesAreInvalidArgument() {
        RawHttp raw = server.raw();
        assertS3Error(raw.get("/?max-buckets=0"), 400, "InvalidArgument");
        assertS3Error(raw.get("/?max-buckets=10001"), 400, "InvalidArgument");
        assertS3Error(raw.get("/?max-buckets=ten"), 400, "InvalidArgument");
        assertS3Error(raw.get("/?continuation-token=!!"), 400, "InvalidArgument");
        assertSdkError(400, "InvalidArgument", () -> s3.listBuckets(b -> b.maxBuckets(0)));
        String page = raw.get("/?max-buckets=10000&prefix=beta").bodyText();
        assertTrue(
                page.contains("<Name>beta-1</Name><CreationDate>")
                        && page.contains("<Prefix>beta</Prefix>")
                        && !page.contains("ContinuationToken"),
                page);
    }
}
