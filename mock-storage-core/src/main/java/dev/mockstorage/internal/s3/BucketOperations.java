package dev.mockstorage.internal.s3;

import dev.mockstorage.internal.error.ErrorCode;
import dev.mockstorage.internal.error.StorageException;
import dev.mockstorage.internal.http.HttpRequest;
import dev.mockstorage.internal.http.HttpResponse;
import dev.mockstorage.internal.metadata.BucketRecord;
import dev.mockstorage.internal.service.BucketCreation;
import dev.mockstorage.internal.service.Buckets;
import dev.mockstorage.internal.service.ObjectService;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/** ListBuckets, CreateBucket (with its ACL and object ownership), HeadBucket, DeleteBucket, GetBucketLocation. */
final class BucketOperations {
    /** The most buckets one ListBuckets page holds. */
    private static final int MAX_BUCKETS = 10_000;

    private final ObjectService service;
    private final String region;
    private final Owner owner;

    BucketOperations(ObjectService service, String region, Owner owner) {
        this.service = service;
        this.region = region;
        this.owner = owner;
    }

    /**
     * ListBuckets, in pages as S3 serves them: {@code max-buckets} (1 to 10000; without it, every bucket),
     * {@code continuation-token} (the {@code ContinuationToken} of the page before), {@code prefix} and
     * {@code bucket-region} (every bucket is in the server's one region; another names none).
     */
    HttpResponse listBuckets(S3Request r) {
        HttpRequest http = r.http();
        String maxBuckets = http.queryParameter("max-buckets");
        int max = maxBuckets == null ? Integer.MAX_VALUE - 1 : maxBuckets(maxBuckets);
        String token = http.queryParameter("continuation-token");
        String after = token == null ? null : decodeToken(token);
        String prefix = http.queryParameter("prefix");
        String bucketRegion = http.queryParameter("bucket-region");
        Buckets.BucketPage page = bucketRegion != null && !bucketRegion.equals(region)
                ? new Buckets.BucketPage(List.of(), false)
                : service.buckets().page(prefix == null ? "" : prefix, after, max);
        Xml xml = Xml.document("ListAllMyBucketsResult")
                .start("Owner")
                .element("ID", owner.id())
                .element("DisplayName", owner.displayName())
                .end()
                .start("Buckets");
        for (BucketRecord b : page.buckets()) {
            xml.start("Bucket")
                    .element("Name", b.name())
                    .element("CreationDate", HttpDates.xml(b.createdAt()))
                    .element("BucketRegion", region)
                    .end();
        }
        xml.end();
        if (page.truncated()) {
            String last = page.buckets().get(page.buckets().size() - 1).name();
            xml.element(
                    "ContinuationToken",
                    Base64.getUrlEncoder().withoutPadding().encodeToString(last.getBytes(StandardCharsets.UTF_8)));
        }
        xml.element("Prefix", prefix);
        return Xml.response(200, xml);
    }

    private static int maxBuckets(String value) {
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 1 && n <= MAX_BUCKETS) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new StorageException(
                        ErrorCode.InvalidArgument,
                        "Argument max-buckets must be an integer between 1 and " + MAX_BUCKETS + ": '" + value + "'")
                .with("ArgumentName", "max-buckets")
                .with("ArgumentValue", value);
    }

    /** The bucket a {@code ContinuationToken} names: the last of the page before. */
    private static String decodeToken(String token) {
        try {
            String name = new String(Base64.getUrlDecoder().decode(token.trim()), StandardCharsets.UTF_8);
            if (!name.isEmpty() && name.length() <= 255) {
                return name;
            }
        } catch (IllegalArgumentException e) {
            // answered below
        }
        throw new StorageException(
                        ErrorCode.InvalidArgument, "The continuation token provided is incorrect: '" + token + "'")
                .with("ArgumentName", "continuation-token")
                .with("ArgumentValue", token);
    }

    HttpResponse createBucket(S3Request r) {
        if (r.http().declaredBodyLength() != 0 && hasBody(r)) {
            // CreateBucketConfiguration (LocationConstraint etc.): any region is accepted, but it must be well-formed
            Xml.parse(r.http().body(), "CreateBucketConfiguration");
        }
        String lock = r.http().header("x-amz-bucket-object-lock-enabled");
        String ownership = r.http().header("x-amz-object-ownership");
        service.buckets()
                .create(
                        r.bucket(),
                        new BucketCreation(
                                AclXml.fromHeaders(r.http(), owner, true),
                                ownership == null ? null : ownership.trim(),
                                lock != null && lock.trim().equalsIgnoreCase("true")));
        return HttpResponse.status(200).header("Location", "/" + r.bucket());
    }

    private static boolean hasBody(S3Request r) {
        String length = r.http().header("content-length");
        return r.http().header("transfer-encoding") != null
                || (length != null && !length.trim().equals("0"));
    }

    HttpResponse headBucket(S3Request r) {
        service.buckets().require(r.bucket());
        return HttpResponse.status(200)
                .header("x-amz-bucket-region", region)
                .header("x-amz-access-point-alias", "false");
    }

    HttpResponse deleteBucket(S3Request r) {
        service.buckets().delete(r.bucket());
        return HttpResponse.status(204);
    }

    HttpResponse location(S3Request r) {
        service.buckets().require(r.bucket());
        // S3 answers an empty LocationConstraint for us-east-1
        Xml xml = Xml.document("LocationConstraint");
        return Xml.response(200, "us-east-1".equals(region) ? xml : xml.text(region));
    }
}
