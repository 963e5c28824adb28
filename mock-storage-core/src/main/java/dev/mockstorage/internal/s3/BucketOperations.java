package dev.mockstorage.internal.s3;

import dev.mockstorage.internal.http.HttpResponse;
import dev.mockstorage.internal.metadata.BucketRecord;
import dev.mockstorage.internal.service.ObjectService;

/** ListBuckets, CreateBucket, HeadBucket, DeleteBucket, GetBucketLocation. */
final class BucketOperations {
    static final String OWNER_ID = "75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a";
    static final String OWNER_NAME = "mock-storage";

    private final ObjectService service;
    private final String region;

    BucketOperations(ObjectService service, String region) {
        this.service = service;
        this.region = region;
    }

    HttpResponse listBuckets(S3Request r) {
        Xml xml = Xml.document("ListAllMyBucketsResult")
                .start("Owner").element("ID", OWNER_ID).element("DisplayName", OWNER_NAME).end()
                .start("Buckets");
        for (BucketRecord b : service.buckets().list()) {
            xml.start("Bucket").element("Name", b.name()).element("CreationDate", HttpDates.xml(b.createdAt()))
                    .element("BucketRegion", region).end();
        }
        xml.end();
        return S3Api.xml(200, xml);
    }

    HttpResponse createBucket(S3Request r) {
        if (r.http().declaredBodyLength() != 0 && hasBody(r)) {
            // CreateBucketConfiguration (LocationConstraint etc.): any region is accepted, but it must be well-formed
            Xml.parse(r.http().body(), "CreateBucketConfiguration");
        }
        service.buckets().create(r.bucket());
        return HttpResponse.status(200).header("Location", "/" + r.bucket());
    }

    private static boolean hasBody(S3Request r) {
        String length = r.http().header("content-length");
        return r.http().header("transfer-encoding") != null || (length != null && !length.trim().equals("0"));
    }

    HttpResponse headBucket(S3Request r) {
        service.buckets().require(r.bucket());
        return HttpResponse.status(200).header("x-amz-bucket-region", region).header("x-amz-access-point-alias", "false");
    }

    HttpResponse deleteBucket(S3Request r) {
        service.buckets().delete(r.bucket());
        return HttpResponse.status(204);
    }

    HttpResponse location(S3Request r) {
        service.buckets().require(r.bucket());
        // S3 answers an empty LocationConstraint for us-east-1
        Xml xml = Xml.document("LocationConstraint");
        return S3Api.xml(200, "us-east-1".equals(region) ? xml : xml.text(region));
    }
}
