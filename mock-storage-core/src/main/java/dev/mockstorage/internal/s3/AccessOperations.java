package dev.mockstorage.internal.s3;

import dev.mockstorage.internal.error.ErrorCode;
import dev.mockstorage.internal.error.StorageException;
import dev.mockstorage.internal.http.HttpResponse;
import dev.mockstorage.internal.metadata.Grant;
import dev.mockstorage.internal.metadata.PublicAccessBlock;
import dev.mockstorage.internal.service.AccessControls;
import dev.mockstorage.internal.service.ObjectService;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import org.w3c.dom.Element;

/**
 * Get/Put Object and Bucket ACL, Get/Put/Delete BucketPolicy, GetBucketPolicyStatus, Get/Put/Delete
 * PublicAccessBlock and BucketOwnershipControls: stored and answered as S3 does (see {@link AccessControls}).
 */
final class AccessOperations {
    private final ObjectService service;
    private final Owner owner;

    AccessOperations(ObjectService service, Owner owner) {
        this.service = service;
        this.owner = owner;
    }

    // ---------------------------------------------------------------- ACLs

    HttpResponse getObjectAcl(S3Request r) {
        return Xml.response(
                200, AclXml.toXml(owner, ObjectOperations.target(service, r).grants()));
    }

    HttpResponse putObjectAcl(S3Request r) {
        List<Grant> grants = requestedAcl(r, false);
        ObjectOperations.target(service, r); // NoSuchKey, NoSuchVersion, a delete marker's MethodNotAllowed
        service.access().setObjectAcl(r.bucket(), r.key(), r.http().queryParameter("versionId"), grants);
        return HttpResponse.status(200);
    }

    HttpResponse getBucketAcl(S3Request r) {
        return Xml.response(200, AclXml.toXml(owner, service.access().bucketAcl(r.bucket())));
    }

    HttpResponse putBucketAcl(S3Request r) {
        service.access().setBucketAcl(r.bucket(), requestedAcl(r, true));
        return HttpResponse.status(200);
    }

    /** The ACL of a Put*Acl: from the headers or from the body, not both ({@code UnexpectedContent}). */
    private List<Grant> requestedAcl(S3Request r, boolean bucket) {
        List<Grant> fromHeaders = AclXml.fromHeaders(r.http(), owner, bucket);
        byte[] body = ObjectOperations.readSmallBody(r.http());
        if (fromHeaders == null) {
            return AclXml.fromXml(body, owner);
        }
        if (body.length > 0) {
            throw new StorageException(
                    ErrorCode.UnexpectedContent,
                    "This request does not support content: give the ACL "
                            + "either as x-amz-acl/x-amz-grant-* headers or as an AccessControlPolicy document");
        }
        return fromHeaders;
    }

    // ---------------------------------------------------------------- policy

    HttpResponse getBucketPolicy(S3Request r) {
        return HttpResponse.status(200)
                .header("Content-Type", "application/json")
                .body(service.access().policy(r.bucket()).getBytes(StandardCharsets.UTF_8));
    }

    HttpResponse putBucketPolicy(S3Request r) {
        service.buckets().require(r.bucket());
        byte[] body = ObjectOperations.readSmallBody(r.http());
        service.access().setPolicy(r.bucket(), new String(body, StandardCharsets.UTF_8));
        return HttpResponse.status(204);
    }

    HttpResponse deleteBucketPolicy(S3Request r) {
        service.access().deletePolicy(r.bucket());
        return HttpResponse.status(204);
    }

    HttpResponse getBucketPolicyStatus(S3Request r) {
        return Xml.response(
                200,
                Xml.document("PolicyStatus")
                        .element("IsPublic", service.access().policyIsPublic(r.bucket())));
    }

    // ---------------------------------------------------------------- public access block

    HttpResponse getPublicAccessBlock(S3Request r) {
        PublicAccessBlock b = service.access().publicAccessBlock(r.bucket());
        return Xml.response(
                200,
                Xml.document("PublicAccessBlockConfiguration")
                        .element("BlockPublicAcls", b.blockPublicAcls())
                        .element("IgnorePublicAcls", b.ignorePublicAcls())
                        .element("BlockPublicPolicy", b.blockPublicPolicy())
                        .element("RestrictPublicBuckets", b.restrictPublicBuckets()));
    }

    HttpResponse putPublicAccessBlock(S3Request r) {
        service.buckets().require(r.bucket());
        Element root = Xml.parse(
                new ByteArrayInputStream(ObjectOperations.readSmallBodyWithIntegrity(r.http())),
                "PublicAccessBlockConfiguration");
        service.access()
                .setPublicAccessBlock(
                        r.bucket(),
                        new PublicAccessBlock(
                                flag(root, "BlockPublicAcls"),
                                flag(root, "IgnorePublicAcls"),
                                flag(root, "BlockPublicPolicy"),
                                flag(root, "RestrictPublicBuckets")));
        return HttpResponse.status(200);
    }

    HttpResponse deletePublicAccessBlock(S3Request r) {
        service.access().deletePublicAccessBlock(r.bucket());
        return HttpResponse.status(204);
    }

    /** An optional boolean element: absent is false, as on S3. */
    private static boolean flag(Element parent, String name) {
        String text = Xml.single(parent, name);
        if (text == null) {
            return false;
        }
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default ->
                throw new StorageException(
                        ErrorCode.MalformedXML,
                        "The XML you provided was not well-formed or did not "
                                + "validate against our published schema: <" + name + "> must be true or false, not '"
                                + text + "'");
        };
    }

    // ---------------------------------------------------------------- ownership controls

    HttpResponse getBucketOwnershipControls(S3Request r) {
        return Xml.response(
                200,
                Xml.document("OwnershipControls")
                        .start("Rule")
                        .element("ObjectOwnership", service.access().objectOwnership(r.bucket())));
    }

    HttpResponse putBucketOwnershipControls(S3Request r) {
        service.buckets().require(r.bucket());
        Element root = Xml.parse(
                new ByteArrayInputStream(ObjectOperations.readSmallBodyWithIntegrity(r.http())), "OwnershipControls");
        List<Element> rules = Xml.children(root, "Rule");
        String ownership = rules.size() == 1 ? Xml.single(rules.get(0), "ObjectOwnership") : null;
        if (ownership == null) {
            throw new StorageException(
                    ErrorCode.MalformedXML,
                    "The XML you provided was not well-formed or did not validate "
                            + "against our published schema: <OwnershipControls> needs one <Rule> with an <ObjectOwnership>");
        }
        service.access().setObjectOwnership(r.bucket(), ownership);
        return HttpResponse.status(200);
    }

    HttpResponse deleteBucketOwnershipControls(S3Request r) {
        service.access().deleteObjectOwnership(r.bucket());
        return HttpResponse.status(204);
    }
}
