package dev.mockstorage.internal.s3;

import dev.mockstorage.internal.http.HttpResponse;
import dev.mockstorage.internal.metadata.BucketRecord;
import dev.mockstorage.internal.service.BucketCreation;
import dev.mockstorage.internal.service.ObjectService;

/** ListBuckets, CreateBucket (with its ACL and object ownership), HeadBucket, DeleteBucket, GetBucketLocation. */
final class BucketOperations {
    private final ObjectService service;
    private final String region;
    private final Owner owner;

    BucketOperations(ObjectService service, String region, Owner owner) {
        this.service = service;
        this.region = region;
        this.owner = owner;
    }

    HttpResponse listBuckets(S3Request r) {
        Xml xml = Xml.document("ListAllMyBucketsResult")
                .start("Owner").element("ID", owner.id()).element("DisplayName", owner.displayName()).end()
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
        String ownership = r.http().header("x-amz-object-ownership");
        service.buckets().create(r.bucket(), new BucketCreation(AclXml.fromHeaders(r.http(), owner, true),
                ownership == null ? null : ownership.trim()));
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
