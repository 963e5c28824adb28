package dev.mockstorage.it;

import static dev.mockstorage.it.S3Assertions.assertS3Error;
import static dev.mockstorage.it.S3Assertions.assertSdkError;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mockstorage.testing.RawHttp;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketCannedACL;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.Grant;
import software.amazon.awssdk.services.s3.model.Grantee;
import software.amazon.awssdk.services.s3.model.ObjectCannedACL;
import software.amazon.awssdk.services.s3.model.ObjectOwnership;
import software.amazon.awssdk.services.s3.model.Owner;
import software.amazon.awssdk.services.s3.model.Permission;
import software.amazon.awssdk.services.s3.model.Type;

/**
 * ACLs as S3 stores and answers them, through the SDK at its defaults and the AWS CLI: canned ACLs and
 * grant headers on PutObject, CopyObject, CreateMultipartUpload and CreateBucket, Get/Put Object and
 * Bucket ACL with headers or an AccessControlPolicy document, per version; the owner is the configured
 * access key. What S3 refuses to store is refused: an ACL on a bucket whose ownership is
 * BucketOwnerEnforced, a public ACL under BlockPublicAcls, unknown canned names and e-mail grantees.
 */
class AclTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers";
    private static final String AUTHENTICATED = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers";
    private static final String OTHER_ACCOUNT = "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be";

    @TempDir
    static Path work;

    @StartStop
    static final TestServer server = TestServer.create(b -> b.credentials("AKIDACLTEST", "acl-secret"));

    static S3Client s3;
    static Grant ownerFull;

    @BeforeAll
    static void start() throws Exception {
        s3 = server.s3();
        String ownerId = HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest("AKIDACLTEST".getBytes(StandardCharsets.UTF_8)));
        ownerFull = grant(
                Grantee.builder()
                        .type(Type.CANONICAL_USER)
                        .id(ownerId)
                        .displayName("AKIDACLTEST")
                        .build(),
                Permission.FULL_CONTROL);
    }

    private static Grant grant(Grantee grantee, Permission permission) {
        return Grant.builder().grantee(grantee).permission(permission).build();
    }

    private static Grant group(String uri, Permission permission) {
        return grant(Grantee.builder().type(Type.GROUP).uri(uri).build(), permission);
    }

    private static List<Grant> objectAcl(String bucket, String key) {
        return s3.getObjectAcl(b -> b.bucket(bucket).key(key)).grants();
    }

    @Test
    void theOwnerIsTheConfiguredAccessKeyAndAnObjectWithoutAnAclIsPrivate() {
        String bucket = server.createBucket("acl-owner");
        s3.putObject(b -> b.bucket(bucket).key("plain"), RequestBody.fromString("x"));
        var acl = s3.getObjectAcl(b -> b.bucket(bucket).key("plain"));
        assertEquals(
                Owner.builder()
                        .id(ownerFull.grantee().id())
                        .displayName("AKIDACLTEST")
                        .build(),
                acl.owner());
        assertEquals(List.of(ownerFull), acl.grants());
        assertEquals(List.of(ownerFull), s3.getBucketAcl(b -> b.bucket(bucket)).grants());
        assertEquals(acl.owner(), s3.listBuckets().owner(), "ListBuckets names the same owner");
    }

    @Test
    void cannedAclsAndGrantHeadersOnEveryWriteAreStoredWithTheObject() {
        String bucket = "acl-writes";
        s3.createBucket(b -> b.bucket(bucket).acl(BucketCannedACL.PUBLIC_READ));
        assertEquals(
                List.of(ownerFull, group(ALL_USERS, Permission.READ)),
                s3.getBucketAcl(b -> b.bucket(bucket)).grants());

        s3.putObject(
                b -> b.bucket(bucket).key("put").acl(ObjectCannedACL.AUTHENTICATED_READ), RequestBody.fromString("x"));
        assertEquals(List.of(ownerFull, group(AUTHENTICATED, Permission.READ)), objectAcl(bucket, "put"));

        s3.copyObject(b -> b.sourceBucket(bucket)
                .sourceKey("put")
                .destinationBucket(bucket)
                .destinationKey("copied")
                .acl(ObjectCannedACL.PUBLIC_READ_WRITE));
        assertEquals(
                List.of(ownerFull, group(ALL_USERS, Permission.READ), group(ALL_USERS, Permission.WRITE)),
                objectAcl(bucket, "copied"));
        s3.copyObject(b -> b.sourceBucket(bucket)
                .sourceKey("put")
                .destinationBucket(bucket)
                .destinationKey("copy-default"));
        assertEquals(List.of(ownerFull), objectAcl(bucket, "copy-default"), "a copy does not take the source's ACL");

        String uploadId = s3.createMultipartUpload(b -> b.bucket(bucket)
                        .key("multi")
                        .grantRead("uri=\"" + ALL_USERS + "\", id=\"" + OTHER_ACCOUNT + "\"")
                        .grantFullControl("id=\"" + ownerFull.grantee().id() + "\""))
                .uploadId();
        String etag = s3.uploadPart(
                        b -> b.bucket(bucket).key("multi").uploadId(uploadId).partNumber(1),
                        RequestBody.fromString("part"))
                .eTag();
        s3.completeMultipartUpload(b -> b.bucket(bucket)
                .key("multi")
                .uploadId(uploadId)
                .multipartUpload(m ->
                        m.parts(CompletedPart.builder().partNumber(1).eTag(etag).build())));
        assertEquals(
                List.of(
                        ownerFull,
                        group(ALL_USERS, Permission.READ),
                        grant(
                                Grantee.builder()
                                        .type(Type.CANONICAL_USER)
                                        .id(OTHER_ACCOUNT)
                                        .build(),
                                Permission.READ)),
                objectAcl(bucket, "multi"));
    }

    @Test
    void putObjectAclTakesADocumentOrHeadersAndEachVersionKeepsItsOwn() {
        String bucket = server.createBucket("acl-versions");
        s3.putBucketVersioning(b -> b.bucket(bucket).versioningConfiguration(v -> v.status("Enabled")));
        String v1 = s3.putObject(b -> b.bucket(bucket).key("doc"), RequestBody.fromString("1"))
                .versionId();
        String v2 = s3.putObject(b -> b.bucket(bucket).key("doc"), RequestBody.fromString("2"))
                .versionId();
        List<Grant> custom = List.of(
                ownerFull,
                group("http://acs.amazonaws.com/groups/s3/LogDelivery", Permission.WRITE_ACP),
                grant(
                        Grantee.builder()
                                .type(Type.CANONICAL_USER)
                                .id(OTHER_ACCOUNT)
                                .build(),
                        Permission.READ_ACP));
        Owner owner = s3.getObjectAcl(b -> b.bucket(bucket).key("doc")).owner();

        s3.putObjectAcl(b -> b.bucket(bucket)
                .key("doc")
                .versionId(v1)
                .accessControlPolicy(p -> p.owner(owner).grants(custom)));
        assertEquals(
                custom,
                s3.getObjectAcl(b -> b.bucket(bucket).key("doc").versionId(v1)).grants());
        assertEquals(List.of(ownerFull), objectAcl(bucket, "doc"), "the current version keeps its own ACL");

        s3.putObjectAcl(b -> b.bucket(bucket).key("doc").acl(ObjectCannedACL.PUBLIC_READ));
        assertEquals(
                List.of(ownerFull, group(ALL_USERS, Permission.READ)),
                s3.getObjectAcl(b -> b.bucket(bucket).key("doc").versionId(v2)).grants());
        assertEquals(
                custom,
                s3.getObjectAcl(b -> b.bucket(bucket).key("doc").versionId(v1)).grants());

        s3.putBucketAcl(
                b -> b.bucket(bucket).accessControlPolicy(p -> p.owner(owner).grants(custom)));
        assertEquals(custom, s3.getBucketAcl(b -> b.bucket(bucket)).grants());
        s3.putBucketAcl(b -> b.bucket(bucket).acl(BucketCannedACL.PRIVATE));
        assertEquals(List.of(ownerFull), s3.getBucketAcl(b -> b.bucket(bucket)).grants());

        assertSdkError(
                404, "NoSuchKey", () -> s3.getObjectAcl(b -> b.bucket(bucket).key("missing")));
        assertSdkError(
                404,
                "NoSuchVersion",
                () -> s3.putObjectAcl(b ->
                        b.bucket(bucket).key("doc").versionId("A".repeat(32)).acl(ObjectCannedACL.PRIVATE)));
        assertSdkError(
                403,
                "AccessDenied",
                () -> s3.putObjectAcl(b -> b.bucket(bucket)
                        .key("doc")
                        .accessControlPolicy(
                                p -> p.owner(Owner.builder().id(OTHER_ACCOUNT).build())
                                        .grants(custom))));
    }

    @Test
    void aclsS3DoesNotTakeAreRefusedAndNothingIsStored() {
        String bucket = server.createBucket("acl-refused");
        s3.putObject(b -> b.bucket(bucket).key("k"), RequestBody.fromString("x"));
        RawHttp raw = server.raw();
        assertS3Error(
                raw.send(
                        "PUT",
                        "/" + bucket + "/k?acl",
                        Map.of("x-amz-acl", "public-read", "x-amz-grant-read", "uri=\"" + ALL_USERS + "\""),
                        new byte[0]),
                400,
                "InvalidRequest");
        assertS3Error(
                raw.send("PUT", "/" + bucket + "/k?acl", Map.of("x-amz-acl", "everyone"), new byte[0]),
                400,
                "InvalidArgument");
        assertS3Error(
                raw.send(
                        "PUT",
                        "/" + bucket + "/k?acl",
                        Map.of("x-amz-grant-read", "emailAddress=\"a@example.com\""),
                        new byte[0]),
                400,
                "UnresolvableGrantByEmailAddress");
        assertS3Error(
                raw.send(
                        "PUT",
                        "/" + bucket + "/k?acl",
                        Map.of("x-amz-grant-read", "uri=\"http://example.com/group\""),
                        new byte[0]),
                400,
                "InvalidArgument");
        assertS3Error(
                raw.send(
                        "PUT",
                        "/" + bucket + "/k?acl",
                        Map.of("x-amz-acl", "private"),
                        "<x/>".getBytes(StandardCharsets.UTF_8)),
                400,
                "UnexpectedContent");
        assertS3Error(
                raw.send(
                        "PUT",
                        "/" + bucket + "/k?acl",
                        Map.of(),
                        ("<AccessControlPolicy><AccessControlList/>" + "</AccessControlPolicy>")
                                .getBytes(StandardCharsets.UTF_8)),
                400,
                "MalformedACLError");
        assertS3Error(
                raw.send(
                        "PUT",
                        "/" + bucket + "/new?x",
                        Map.of("x-amz-acl", "public-read", "x-amz-grant-read", "uri=\"" + ALL_USERS + "\""),
                        "x".getBytes(StandardCharsets.UTF_8)),
                400,
                "InvalidRequest");
        assertSdkError(
                404, "NoSuchKey", () -> s3.headObject(b -> b.bucket(bucket).key("new")));
        assertEquals(List.of(ownerFull), objectAcl(bucket, "k"));
    }

    @Test
    void bucketOwnerEnforcedTakesOnlyTheOwnersAclAndBlockPublicAclsRefusesPublicOnes() {
        assertSdkError(
                400,
                "InvalidBucketAclWithObjectOwnership",
                () -> s3.createBucket(b -> b.bucket("acl-enforced")
                        .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
                        .acl(BucketCannedACL.PUBLIC_READ)));
        assertSdkError(404, "NoSuchBucket", () -> s3.headBucket(b -> b.bucket("acl-enforced")));
        s3.createBucket(b -> b.bucket("acl-enforced").objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED));
        assertEquals(
                ObjectOwnership.BUCKET_OWNER_ENFORCED,
                s3.getBucketOwnershipControls(b -> b.bucket("acl-enforced"))
                        .ownershipControls()
                        .rules()
                        .get(0)
                        .objectOwnership());
        assertSdkError(
                400,
                "AccessControlListNotSupported",
                () -> s3.putObject(
                        b -> b.bucket("acl-enforced").key("k").acl(ObjectCannedACL.PUBLIC_READ),
                        RequestBody.fromString("x")));
        assertSdkError(
                404,
                "NoSuchKey",
                () -> s3.headObject(b -> b.bucket("acl-enforced").key("k")));
        s3.putObject(
                b -> b.bucket("acl-enforced").key("k").acl(ObjectCannedACL.BUCKET_OWNER_FULL_CONTROL),
                RequestBody.fromString("x"));
        assertSdkError(
                400,
                "AccessControlListNotSupported",
                () -> s3.putBucketAcl(b -> b.bucket("acl-enforced").acl(BucketCannedACL.AUTHENTICATED_READ)));

        String blocked = server.createBucket("acl-blocked");
        s3.putPublicAccessBlock(b -> b.bucket(blocked).publicAccessBlockConfiguration(c -> c.blockPublicAcls(true)));
        assertSdkError(
                403,
                "AccessDenied",
                () -> s3.putObject(
                        b -> b.bucket(blocked).key("k").acl(ObjectCannedACL.PUBLIC_READ), RequestBody.fromString("x")));
        s3.putObject(b -> b.bucket(blocked).key("k").acl(ObjectCannedACL.PRIVATE), RequestBody.fromString("x"));
        assertSdkError(
                403,
                "AccessDenied",
                () -> s3.putObjectAcl(b -> b.bucket(blocked).key("k").acl(ObjectCannedACL.PUBLIC_READ)));
        assertEquals(List.of(ownerFull), objectAcl(blocked, "k"));
    }

    @Test
    void theAwsCliSetsAndReadsAcls() throws Exception {
        String bucket = server.createBucket("acl-cli");
        AwsCli.run(
                        server,
                        work,
                        "s3api",
                        "put-object",
                        "--bucket",
                        bucket,
                        "--key",
                        "page.html",
                        "--acl",
                        "public-read",
                        "--body",
                        AwsCli.pathStyleConfig(work).toString())
                .assertSuccess();
        JsonNode acl = JSON.readTree(
                AwsCli.run(server, work, "s3api", "get-object-acl", "--bucket", bucket, "--key", "page.html")
                        .assertSuccess()
                        .stdout());
        assertEquals("AKIDACLTEST", acl.at("/Owner/DisplayName").asText());
        assertEquals(ALL_USERS, acl.at("/Grants/1/Grantee/URI").asText());
        assertEquals("Group", acl.at("/Grants/1/Grantee/Type").asText());
        assertEquals("READ", acl.at("/Grants/1/Permission").asText());

        AwsCli.run(
                        server,
                        work,
                        "s3api",
                        "put-bucket-acl",
                        "--bucket",
                        bucket,
                        "--grant-read",
                        "uri=" + AUTHENTICATED,
                        "--grant-full-control",
                        "id=" + ownerFull.grantee().id())
                .assertSuccess();
        assertEquals(
                List.of(ownerFull, group(AUTHENTICATED, Permission.READ)),
                s3.getBucketAcl(b -> b.bucket(bucket)).grants().stream()
                        .sorted((a, b) -> a.permissionAsString().compareTo(b.permissionAsString()))
                        .toList());

        AwsCli.run(
                        server,
                        work,
                        "s3",
                        "cp",
                        AwsCli.pathStyleConfig(work).toString(),
                        "s3://" + bucket + "/copied.cfg",
                        "--acl",
                        "authenticated-read")
                .assertSuccess();
        assertEquals(List.of(ownerFull, group(AUTHENTICATED, Permission.READ)), objectAcl(bucket, "copied.cfg"));
    }
}
