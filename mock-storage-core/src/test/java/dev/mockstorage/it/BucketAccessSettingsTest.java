package dev.mockstorage.it;

import static dev.mockstorage.it.S3Assertions.assertS3Error;
import static dev.mockstorage.it.S3Assertions.assertSdkError;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mockstorage.testing.RawHttp;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ObjectOwnership;
import software.amazon.awssdk.services.s3.model.PublicAccessBlockConfiguration;

/**
 * The bucket settings infrastructure code sets and reads back, through the SDK at its defaults and the
 * AWS CLI: the bucket policy (kept byte for byte), its public status, the public access block and the
 * ownership controls, each with S3's error when absent and gone with the bucket.
 */
class BucketAccessSettingsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Odd spacing, key order and a non-ASCII Sid: a policy comes back exactly as it was put. */
    private static final String POLICY = "{\n  \"Version\":\"2012-10-17\",\"Statement\": [\n"
            + "    {\"Sid\": \"Lesezugriff für alle\", \"Effect\": \"Allow\", \"Principal\": \"*\",\n"
            + "     \"Action\": [\"s3:GetObject\"], \"Resource\": \"arn:aws:s3:::%s/*\"}  ]\n}\n";

    @TempDir
    static Path work;

    @StartStop
    static final TestServer server = TestServer.create();

    static S3Client s3;

    @BeforeAll
    static void start() {
        s3 = server.s3();
    }

    @Test
    void aBucketPolicyIsKeptByteForByteAndItsStatusSaysWhetherItIsPublic() {
        String bucket = server.createBucket("policy");
        assertSdkError(404, "NoSuchBucketPolicy", () -> s3.getBucketPolicy(b -> b.bucket(bucket)));
        assertSdkError(404, "NoSuchBucketPolicy", () -> s3.getBucketPolicyStatus(b -> b.bucket(bucket)));

        String policy = POLICY.formatted(bucket);
        s3.putBucketPolicy(b -> b.bucket(bucket).policy(policy));
        assertEquals(policy, s3.getBucketPolicy(b -> b.bucket(bucket)).policy());
        RawHttp.Response raw = server.raw().get("/" + bucket + "?policy");
        assertArrayEquals(policy.getBytes(StandardCharsets.UTF_8), raw.body(), "the very bytes");
        assertTrue(
                s3.getBucketPolicyStatus(b -> b.bucket(bucket)).policyStatus().isPublic());

        String fromOneAddress =
                "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"*\"},\"Action\":\"s3:GetObject\","
                        + "\"Resource\":\"arn:aws:s3:::" + bucket
                        + "/*\",\"Condition\":{\"IpAddress\":{\"aws:SourceIp\":\"192.0.2.0/24\"}}}]}";
        s3.putBucketPolicy(b -> b.bucket(bucket).policy(fromOneAddress));
        assertFalse(
                s3.getBucketPolicyStatus(b -> b.bucket(bucket)).policyStatus().isPublic(),
                "a condition on the source IP");

        s3.deleteBucketPolicy(b -> b.bucket(bucket));
        assertSdkError(404, "NoSuchBucketPolicy", () -> s3.getBucketPolicy(b -> b.bucket(bucket)));
        s3.deleteBucketPolicy(b -> b.bucket(bucket)); // none is fine
    }

    @Test
    void policiesS3WouldRefuseAreRefused() {
        String bucket = server.createBucket("policy-bad");
        assertSdkError(
                400,
                "MalformedPolicy",
                () -> s3.putBucketPolicy(b -> b.bucket(bucket).policy("not json")));
        assertSdkError(
                400,
                "MalformedPolicy",
                () -> s3.putBucketPolicy(b -> b.bucket(bucket).policy("{\"Version\":\"2012-10-17\"}")));
        assertSdkError(
                400,
                "MalformedPolicy",
                () -> s3.putBucketPolicy(b -> b.bucket(bucket).policy(POLICY.formatted("another-bucket"))));
        assertSdkError(
                400,
                "MalformedPolicy",
                () -> s3.putBucketPolicy(b ->
                        b.bucket(bucket).policy(POLICY.formatted(bucket).replace("s3:GetObject", "ec2:RunInstances"))));
        assertSdkError(404, "NoSuchBucketPolicy", () -> s3.getBucketPolicy(b -> b.bucket(bucket)));
        assertSdkError(
                404,
                "NoSuchBucket",
                () -> s3.putBucketPolicy(b -> b.bucket("no-such-bucket").policy(POLICY)));
    }

    @Test
    void publicAccessBlockIsStoredAndBlocksPublicPolicies() {
        String bucket = server.createBucket("pab");
        assertSdkError(
                404, "NoSuchPublicAccessBlockConfiguration", () -> s3.getPublicAccessBlock(b -> b.bucket(bucket)));
        PublicAccessBlockConfiguration config = PublicAccessBlockConfiguration.builder()
                .blockPublicAcls(true)
                .ignorePublicAcls(false)
                .blockPublicPolicy(true)
                .restrictPublicBuckets(true)
                .build();
        s3.putPublicAccessBlock(b -> b.bucket(bucket).publicAccessBlockConfiguration(config));
        assertEquals(config, s3.getPublicAccessBlock(b -> b.bucket(bucket)).publicAccessBlockConfiguration());

        assertSdkError(
                403,
                "AccessDenied",
                () -> s3.putBucketPolicy(b -> b.bucket(bucket).policy(POLICY.formatted(bucket))));
        assertSdkError(404, "NoSuchBucketPolicy", () -> s3.getBucketPolicy(b -> b.bucket(bucket)));

        s3.deletePublicAccessBlock(b -> b.bucket(bucket));
        assertSdkError(
                404, "NoSuchPublicAccessBlockConfiguration", () -> s3.getPublicAccessBlock(b -> b.bucket(bucket)));
        s3.putBucketPolicy(b -> b.bucket(bucket).policy(POLICY.formatted(bucket)));
        // S3 requires Content-MD5 (the SDK sends a checksum) and false for elements left out
        assertS3Error(
                server.raw()
                        .send(
                                "PUT",
                                "/" + bucket + "?publicAccessBlock",
                                Map.of(),
                                "<PublicAccessBlockConfiguration/>".getBytes(StandardCharsets.UTF_8)),
                400,
                "InvalidRequest");
    }

    @Test
    void ownershipControlsAreStoredAndGoWithTheBucket() {
        String bucket = server.createBucket("ownership");
        assertSdkError(
                404, "OwnershipControlsNotFoundError", () -> s3.getBucketOwnershipControls(b -> b.bucket(bucket)));
        s3.putBucketOwnershipControls(b -> b.bucket(bucket)
                .ownershipControls(o -> o.rules(r -> r.objectOwnership(ObjectOwnership.BUCKET_OWNER_PREFERRED))));
        assertEquals(
                ObjectOwnership.BUCKET_OWNER_PREFERRED,
                s3.getBucketOwnershipControls(b -> b.bucket(bucket))
                        .ownershipControls()
                        .rules()
                        .get(0)
                        .objectOwnership());
        assertSdkError(
                400,
                "InvalidArgument",
                () -> s3.putBucketOwnershipControls(
                        b -> b.bucket(bucket).ownershipControls(o -> o.rules(r -> r.objectOwnership("Everybody")))));
        s3.deleteBucketOwnershipControls(b -> b.bucket(bucket));
        assertSdkError(
                404, "OwnershipControlsNotFoundError", () -> s3.getBucketOwnershipControls(b -> b.bucket(bucket)));

        s3.putBucketOwnershipControls(b -> b.bucket(bucket)
                .ownershipControls(o -> o.rules(r -> r.objectOwnership(ObjectOwnership.OBJECT_WRITER))));
        s3.putBucketPolicy(b -> b.bucket(bucket).policy(POLICY.formatted(bucket)));
        s3.deleteBucket(b -> b.bucket(bucket));
        s3.createBucket(b -> b.bucket(bucket));
        assertSdkError(
                404, "OwnershipControlsNotFoundError", () -> s3.getBucketOwnershipControls(b -> b.bucket(bucket)));
        assertSdkError(404, "NoSuchBucketPolicy", () -> s3.getBucketPolicy(b -> b.bucket(bucket)));
    }

    @Test
    void theAwsCliPutsAndReadsBackPolicyPublicAccessBlockAndOwnership() throws Exception {
        String bucket = server.createBucket("settings-cli");
        String policy = POLICY.formatted(bucket);
        Path file = Files.writeString(work.resolve("policy.json"), policy);
        AwsCli.run(server, work, "s3api", "put-bucket-policy", "--bucket", bucket, "--policy", "file://" + file)
                .assertSuccess();
        assertEquals(
                policy,
                JSON.readTree(AwsCli.run(server, work, "s3api", "get-bucket-policy", "--bucket", bucket)
                                .assertSuccess()
                                .stdout())
                        .get("Policy")
                        .asText());
        assertTrue(JSON.readTree(AwsCli.run(server, work, "s3api", "get-bucket-policy-status", "--bucket", bucket)
                        .assertSuccess()
                        .stdout())
                .at("/PolicyStatus/IsPublic")
                .asBoolean());

        AwsCli.run(
                        server,
                        work,
                        "s3api",
                        "put-public-access-block",
                        "--bucket",
                        bucket,
                        "--public-access-block-configuration",
                        "BlockPublicAcls=true,IgnorePublicAcls=true")
                .assertSuccess();
        assertEquals(
                JSON.readTree("{\"BlockPublicAcls\":true,\"IgnorePublicAcls\":true,\"BlockPublicPolicy\":false,"
                        + "\"RestrictPublicBuckets\":false}"),
                JSON.readTree(AwsCli.run(server, work, "s3api", "get-public-access-block", "--bucket", bucket)
                                .assertSuccess()
                                .stdout())
                        .get("PublicAccessBlockConfiguration"));

        AwsCli.run(
                        server,
                        work,
                        "s3api",
                        "put-bucket-ownership-controls",
                        "--bucket",
                        bucket,
                        "--ownership-controls",
                        "Rules=[{ObjectOwnership=BucketOwnerEnforced}]")
                .assertSuccess();
        assertEquals(
                "BucketOwnerEnforced",
                JSON.readTree(AwsCli.run(server, work, "s3api", "get-bucket-ownership-controls", "--bucket", bucket)
                                .assertSuccess()
                                .stdout())
                        .at("/OwnershipControls/Rules/0/ObjectOwnership")
                        .asText());
    }
}
