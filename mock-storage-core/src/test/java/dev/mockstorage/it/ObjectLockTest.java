package dev.mockstorage.it;

import static dev.mockstorage.it.S3Assertions.assertSdkError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.ExpirationStatus;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.LifecycleRule;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.ObjectLockConfiguration;
import software.amazon.awssdk.services.s3.model.ObjectLockEnabled;
import software.amazon.awssdk.services.s3.model.ObjectLockLegalHoldStatus;
import software.amazon.awssdk.services.s3.model.ObjectLockMode;
import software.amazon.awssdk.services.s3.model.ObjectLockRetentionMode;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

/**
 * Object lock through the SDK v2 and the AWS CLI: buckets created with it, default retention, GOVERNANCE
 * (bypassable) and COMPLIANCE retention, legal holds; a protected version cannot be deleted by id until its
 * retention ends on the server's clock, which the test moves.
 */
class ObjectLockTest {

    @StartStop
    final TestServer server = TestServer.create();

    private S3Client s3() {
        return server.s3();
    }

    private String lockedBucket(String name) {
        s3().createBucket(b -> b.bucket(name).objectLockEnabledForBucket(true));
        return name;
    }

    private PutObjectResponse put(String bucket, String key, String body) {
        return s3().putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString(body));
    }

    @Test
    void aBucketCreatedWithObjectLockIsVersionedAndTakesADefaultRetention() {
        String bucket = lockedBucket("lock-default");
        assertEquals(
                BucketVersioningStatus.ENABLED,
                s3().getBucketVersioning(b -> b.bucket(bucket)).status());
        ObjectLockConfiguration none =
                s3().getObjectLockConfiguration(b -> b.bucket(bucket)).objectLockConfiguration();
        assertEquals(ObjectLockEnabled.ENABLED, none.objectLockEnabled());
        assertNull(none.rule());

        s3().putObjectLockConfiguration(b -> b.bucket(bucket)
                .objectLockConfiguration(c -> c.objectLockEnabled(ObjectLockEnabled.ENABLED)
                        .rule(r -> r.defaultRetention(
                                d -> d.mode(ObjectLockRetentionMode.GOVERNANCE).days(1)))));
        ObjectLockConfiguration config =
                s3().getObjectLockConfiguration(b -> b.bucket(bucket)).objectLockConfiguration();
        assertEquals(
                ObjectLockRetentionMode.GOVERNANCE,
                config.rule().defaultRetention().mode());
        assertEquals(1, config.rule().defaultRetention().days());

        Instant before = server.server().clock().now();
        String v1 = put(bucket, "report.pdf", "first").versionId();
        HeadObjectResponse head = s3().headObject(b -> b.bucket(bucket).key("report.pdf"));
        assertEquals(ObjectLockMode.GOVERNANCE, head.objectLockMode());
        Instant until = head.objectLockRetainUntilDate();
        assertFalse(until.isBefore(before.plus(Duration.ofDays(1)).truncatedTo(ChronoUnit.MILLIS)), until.toString());
        assertEquals(
                until,
                s3().getObjectRetention(b -> b.bucket(bucket).key("report.pdf").versionId(v1))
                        .retention()
                        .retainUntilDate());

        // not overwritten in place: a second PUT is a new version, the locked one keeps its bytes
        put(bucket, "report.pdf", "second");
        assertEquals(
                "first",
                s3().getObjectAsBytes(b -> b.bucket(bucket).key("report.pdf").versionId(v1))
                        .asUtf8String());
        // a delete without a version id only adds a marker; by id the version is protected
        s3().deleteObject(b -> b.bucket(bucket).key("report.pdf"));
        assertSdkError(
                403,
                "AccessDenied",
                () -> s3().deleteObject(b -> b.bucket(bucket).key("report.pdf").versionId(v1)));
        assertEquals(
                "first",
                s3().getObjectAsBytes(b -> b.bucket(bucket).key("report.pdf").versionId(v1))
                        .asUtf8String());
        // governance gives way to the bypass header
        s3().deleteObject(b -> b.bucket(bucket).key("report.pdf").versionId(v1).bypassGovernanceRetention(true));
        assertSdkError(
                404,
                "NoSuchVersion",
                () -> s3().getObjectAsBytes(
                                b -> b.bucket(bucket).key("report.pdf").versionId(v1)));
    }

    @Test
    void complianceRetentionHoldsUntilTheClockPassesItEvenWithTheBypass() {
        String bucket = lockedBucket("lock-compliance");
        Instant until = server.server().clock().now().plus(Duration.ofDays(10)).truncatedTo(ChronoUnit.SECONDS);
        String v = s3().putObject(
                        b -> b.bucket(bucket)
                                .key("ledger.csv")
                                .objectLockMode(ObjectLockMode.COMPLIANCE)
                                .objectLockRetainUntilDate(until),
                        RequestBody.fromString("a,b"))
                .versionId();
        assertEquals(
                ObjectLockMode.COMPLIANCE,
                s3().headObject(b -> b.bucket(bucket).key("ledger.csv")).objectLockMode());

        assertSdkError(
                403,
                "AccessDenied",
                () -> s3().deleteObject(b ->
                        b.bucket(bucket).key("ledger.csv").versionId(v).bypassGovernanceRetention(true)));
        assertSdkError(
                403,
                "AccessDenied",
                () -> s3().putObjectRetention(b -> b.bucket(bucket)
                        .key("ledger.csv")
                        .versionId(v)
                        .bypassGovernanceRetention(true)
                        .retention(r ->
                                r.mode(ObjectLockRetentionMode.COMPLIANCE).retainUntilDate(until.minusSeconds(60)))));
        Instant later = until.plus(Duration.ofDays(5));
        s3().putObjectRetention(b -> b.bucket(bucket)
                .key("ledger.csv")
                .versionId(v)
                .retention(r -> r.mode(ObjectLockRetentionMode.COMPLIANCE).retainUntilDate(later)));
        assertEquals(
                later,
                s3().getObjectRetention(b -> b.bucket(bucket).key("ledger.csv"))
                        .retention()
                        .retainUntilDate());

        server.server().clock().advance(Duration.ofDays(11));
        // extended: still held
        assertSdkError(
                403,
                "AccessDenied",
                () -> s3().deleteObject(b -> b.bucket(bucket).key("ledger.csv").versionId(v)));
        server.server().clock().advance(Duration.ofDays(5));
        s3().deleteObject(b -> b.bucket(bucket).key("ledger.csv").versionId(v));
        assertEquals(List.of(), s3().listObjectVersions(b -> b.bucket(bucket)).versions());
    }

    @Test
    void governanceRetentionIsShortenedOrRemovedOnlyWithTheBypass() {
        String bucket = lockedBucket("lock-governance");
        String v = put(bucket, "draft.txt", "d").versionId();
        Instant until = server.server().clock().now().plus(Duration.ofDays(3)).truncatedTo(ChronoUnit.SECONDS);
        s3().putObjectRetention(b -> b.bucket(bucket)
                .key("draft.txt")
                .retention(r -> r.mode(ObjectLockRetentionMode.GOVERNANCE).retainUntilDate(until)));
        assertSdkError(
                403,
                "AccessDenied",
                () -> s3().putObjectRetention(b -> b.bucket(bucket)
                        .key("draft.txt")
                        .retention(r -> r.mode(ObjectLockRetentionMode.GOVERNANCE)
                                .retainUntilDate(until.minus(Duration.ofDays(1))))));
        s3().putObjectRetention(b -> b.bucket(bucket)
                .key("draft.txt")
                .bypassGovernanceRetention(true)
                .retention(r ->
                        r.mode(ObjectLockRetentionMode.GOVERNANCE).retainUntilDate(until.minus(Duration.ofDays(1)))));
        assertSdkError(
                400,
                "InvalidArgument",
                () -> s3().putObjectRetention(b -> b.bucket(bucket)
                        .key("draft.txt")
                        .retention(r -> r.mode(ObjectLockRetentionMode.GOVERNANCE)
                                .retainUntilDate(Instant.parse("2001-01-01T00:00:00Z")))));

        server.server().clock().advance(Duration.ofDays(3)); // past the shortened date: deletable without the bypass
        s3().deleteObject(b -> b.bucket(bucket).key("draft.txt").versionId(v));
        assertTrue(s3().listObjectVersions(b -> b.bucket(bucket)).versions().isEmpty());
    }

    @Test
    void aLegalHoldProtectsWithoutADateUntilItIsLifted() {
        String bucket = lockedBucket("lock-hold");
        String v = put(bucket, "evidence.bin", "e").versionId();
        assertSdkError(
                404,
                "NoSuchObjectLockConfiguration",
                () -> s3().getObjectLegalHold(b -> b.bucket(bucket).key("evidence.bin")));
        assertSdkError(
                404,
                "NoSuchObjectLockConfiguration",
                () -> s3().getObjectRetention(b -> b.bucket(bucket).key("evidence.bin")));
        s3().putObjectLegalHold(b -> b.bucket(bucket)
                .key("evidence.bin")
                .versionId(v)
                .legalHold(h -> h.status(ObjectLockLegalHoldStatus.ON)));
        assertEquals(
                ObjectLockLegalHoldStatus.ON,
                s3().getObjectLegalHold(b -> b.bucket(bucket).key("evidence.bin"))
                        .legalHold()
                        .status());
        assertEquals(
                ObjectLockLegalHoldStatus.ON,
                s3().headObject(b -> b.bucket(bucket).key("evidence.bin")).objectLockLegalHoldStatus());

        server.server().clock().advance(Duration.ofDays(3650));
        assertSdkError(
                403,
                "AccessDenied",
                () -> s3().deleteObject(b ->
                        b.bucket(bucket).key("evidence.bin").versionId(v).bypassGovernanceRetention(true)));
        DeleteObjectsResponse batch = s3().deleteObjects(b -> b.bucket(bucket)
                .delete(d -> d.objects(ObjectIdentifier.builder()
                        .key("evidence.bin")
                        .versionId(v)
                        .build())));
        assertEquals("AccessDenied", batch.errors().get(0).code());

        s3().putObjectLegalHold(b ->
                b.bucket(bucket).key("evidence.bin").legalHold(h -> h.status(ObjectLockLegalHoldStatus.OFF)));
        s3().deleteObject(b -> b.bucket(bucket).key("evidence.bin").versionId(v));
        assertTrue(s3().listObjectVersions(b -> b.bucket(bucket)).versions().isEmpty());
    }

    @Test
    void bucketsWithoutObjectLockRefuseLocksAndLockedBucketsStayVersioned() {
        String plain = server.createBucket("lock-none");
        put(plain, "k", "v");
        assertSdkError(
                404,
                "ObjectLockConfigurationNotFoundError",
                () -> s3().getObjectLockConfiguration(b -> b.bucket(plain)));
        assertSdkError(
                400,
                "InvalidRequest",
                () -> s3().putObjectRetention(b -> b.bucket(plain)
                        .key("k")
                        .retention(r -> r.mode(ObjectLockRetentionMode.GOVERNANCE)
                                .retainUntilDate(Instant.now().plus(Duration.ofDays(1))))));
        assertSdkError(
                400,
                "InvalidRequest",
                () -> s3().putObject(
                                b -> b.bucket(plain)
                                        .key("k2")
                                        .objectLockMode(ObjectLockMode.GOVERNANCE)
                                        .objectLockRetainUntilDate(Instant.now().plus(Duration.ofDays(1))),
                                RequestBody.fromString("x")));
        assertSdkError(404, null, () -> s3().headObject(b -> b.bucket(plain).key("k2"))); // nothing refused was stored
        assertSdkError(
                409,
                "InvalidBucketState",
                () -> s3().putObjectLockConfiguration(b ->
                        b.bucket(plain).objectLockConfiguration(c -> c.objectLockEnabled(ObjectLockEnabled.ENABLED))));

        // a versioned bucket may have object lock turned on afterwards, as S3 allows
        s3().putBucketVersioning(
                        b -> b.bucket(plain).versioningConfiguration(c -> c.status(BucketVersioningStatus.ENABLED)));
        s3().putObjectLockConfiguration(b ->
                b.bucket(plain).objectLockConfiguration(c -> c.objectLockEnabled(ObjectLockEnabled.ENABLED)));
        assertSdkError(
                409,
                "InvalidBucketState",
                () -> s3().putBucketVersioning(b ->
                        b.bucket(plain).versioningConfiguration(c -> c.status(BucketVersioningStatus.SUSPENDED))));
        assertSdkError(
                400,
                "InvalidArgument",
                () -> s3().putObject(
                                b -> b.bucket(plain).key("k3").objectLockMode(ObjectLockMode.GOVERNANCE),
                                RequestBody.fromString("x")));
    }

    @Test
    void lifecycleLeavesLockedNoncurrentVersionsUntilTheirRetentionEnds() {
        String bucket = lockedBucket("lock-lifecycle");
        s3().putObjectLockConfiguration(b -> b.bucket(bucket)
                .objectLockConfiguration(c -> c.objectLockEnabled(ObjectLockEnabled.ENABLED)
                        .rule(r -> r.defaultRetention(
                                d -> d.mode(ObjectLockRetentionMode.COMPLIANCE).days(30)))));
        String v1 = put(bucket, "data.json", "1").versionId();
        put(bucket, "data.json", "2");
        LifecycleRule old = LifecycleRule.builder()
                .id("old")
                .status(ExpirationStatus.ENABLED)
                .filter(f -> f.prefix(""))
                .noncurrentVersionExpiration(n -> n.noncurrentDays(1))
                .build();
        s3().putBucketLifecycleConfiguration(b -> b.bucket(bucket).lifecycleConfiguration(c -> c.rules(old)));
        server.server().clock().advance(Duration.ofDays(2));
        server.server().awaitIdle(Duration.ofSeconds(30));
        assertEquals(
                "1",
                s3().getObjectAsBytes(b -> b.bucket(bucket).key("data.json").versionId(v1))
                        .asUtf8String(),
                "locked: kept");

        server.server().clock().advance(Duration.ofDays(30));
        server.server().awaitIdle(Duration.ofSeconds(30));
        assertEquals(
                1, s3().listObjectVersions(b -> b.bucket(bucket)).versions().size(), "the retention ended: expired");
    }

    @Test
    void awsCliCreatesALockedBucketAndSetsRetention() throws IOException {
        Path work = server.directory();
        AwsCli.run(server, work, "s3api", "create-bucket", "--bucket", "lock-cli", "--object-lock-enabled-for-bucket")
                .assertSuccess();
        AwsCli.run(
                        server,
                        work,
                        "s3api",
                        "put-object-lock-configuration",
                        "--bucket",
                        "lock-cli",
                        "--object-lock-configuration",
                        "{\"ObjectLockEnabled\": \"Enabled\", \"Rule\": {\"DefaultRetention\": {\"Mode\": \"GOVERNANCE\", \"Years\": 1}}}")
                .assertSuccess();
        ObjectMapper json = new ObjectMapper();
        JsonNode config = json.readTree(
                        AwsCli.run(server, work, "s3api", "get-object-lock-configuration", "--bucket", "lock-cli")
                                .assertSuccess()
                                .stdout())
                .get("ObjectLockConfiguration");
        assertEquals("Enabled", config.get("ObjectLockEnabled").asText());
        assertEquals(1, config.get("Rule").get("DefaultRetention").get("Years").asInt());

        put("lock-cli", "a.txt", "a");
        AwsCli.run(
                        server,
                        work,
                        "s3api",
                        "put-object-retention",
                        "--bucket",
                        "lock-cli",
                        "--key",
                        "a.txt",
                        "--retention",
                        "{\"Mode\": \"COMPLIANCE\", \"RetainUntilDate\": \"2099-01-01T00:00:00Z\"}")
                .assertSuccess();
        JsonNode retention = json.readTree(AwsCli.run(
                                server, work, "s3api", "get-object-retention", "--bucket", "lock-cli", "--key", "a.txt")
                        .assertSuccess()
                        .stdout())
                .get("Retention");
        assertEquals("COMPLIANCE", retention.get("Mode").asText());
        assertTrue(retention.get("RetainUntilDate").asText().startsWith("2099-01-01T00:00:00"), retention.toString());
        AwsCli.run(
                        server,
                        work,
                        "s3api",
                        "put-object-legal-hold",
                        "--bucket",
                        "lock-cli",
                        "--key",
                        "a.txt",
                        "--legal-hold",
                        "{\"Status\": \"ON\"}")
                .assertSuccess();
        assertEquals(
                "ON",
                json.readTree(AwsCli.run(
                                        server,
                                        work,
                                        "s3api",
                                        "get-object-legal-hold",
                                        "--bucket",
                                        "lock-cli",
                                        "--key",
                                        "a.txt")
                                .assertSuccess()
                                .stdout())
                        .get("LegalHold")
                        .get("Status")
                        .asText());
    }
}
