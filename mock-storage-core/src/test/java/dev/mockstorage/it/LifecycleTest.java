package dev.mockstorage.it;

import static dev.mockstorage.it.S3Assertions.assertSdkError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketLifecycleConfiguration;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.ExpirationStatus;
import software.amazon.awssdk.services.s3.model.LifecycleRule;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsResponse;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.Tag;
import software.amazon.awssdk.services.s3.model.TransitionStorageClass;

/**
 * Bucket lifecycle configurations through the SDK v2 and the AWS CLI, and their expiry carried out by the
 * background queue when a test moves the server's clock: objects past their days or date go, noncurrent
 * versions go after NoncurrentDays, a lone delete marker goes, unfinished multipart uploads are aborted.
 */
class LifecycleTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @StartStop
    final TestServer server = TestServer.create();

    private S3Client s3() {
        return server.s3();
    }

    private void advance(Duration d) {
        server.server().clock().advance(d);
        server.server().awaitIdle(Duration.ofSeconds(30));
    }

    private void put(String bucket, String key, String body) {
        s3().putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString(body));
    }

    private List<String> keys(String bucket) {
        return s3().listObjectsV2Paginator(b -> b.bucket(bucket)).contents().stream()
                .map(S3Object::key)
                .toList();
    }

    private static LifecycleRule.Builder rule(String id) {
        return LifecycleRule.builder().id(id).status(ExpirationStatus.ENABLED);
    }

    @Test
    void theConfigurationIsStoredAndAnsweredAsGiven() {
        String bucket = server.createBucket("lc-config");
        List<LifecycleRule> rules = List.of(
                rule("logs")
                        .filter(f -> f.prefix("logs/"))
                        .expiration(e -> e.days(30))
                        .build(),
                rule("temp")
                        .filter(f ->
                                f.tag(Tag.builder().key("temp").value("true").build()))
                        .expiration(e -> e.days(7))
                        .build(),
                rule("both")
                        .filter(f -> f.and(a -> a.prefix("tmp/")
                                .tags(
                                        Tag.builder().key("a").value("1").build(),
                                        Tag.builder().key("b").value("2").build())
                                .objectSizeGreaterThan(10L)
                                .objectSizeLessThan(1000L)))
                        .expiration(e -> e.date(Instant.parse("2030-01-01T00:00:00Z")))
                        .build(),
                rule("old-versions")
                        .filter(f -> f.prefix(""))
                        .noncurrentVersionExpiration(n -> n.noncurrentDays(10).newerNoncurrentVersions(2))
                        .abortIncompleteMultipartUpload(a -> a.daysAfterInitiation(7))
                        .build(),
                rule("markers")
                        .status(ExpirationStatus.DISABLED)
                        .filter(f -> f.prefix("docs/"))
                        .expiration(e -> e.expiredObjectDeleteMarker(true))
                        .build());
        s3().putBucketLifecycleConfiguration(b -> b.bucket(bucket).lifecycleConfiguration(c -> c.rules(rules)));

        assertEquals(
                rules,
                s3().getBucketLifecycleConfiguration(b -> b.bucket(bucket)).rules());

        s3().deleteBucketLifecycle(b -> b.bucket(bucket));
        assertSdkError(
                404, "NoSuchLifecycleConfiguration", () -> s3().getBucketLifecycleConfiguration(b -> b.bucket(bucket)));
        s3().deleteBucketLifecycle(b -> b.bucket(bucket)); // none is fine
        assertSdkError(404, "NoSuchBucket", () -> s3().getBucketLifecycleConfiguration(b -> b.bucket("lc-missing")));
    }

    @Test
    void configurationsS3RefusesAreRefused() {
        String bucket = server.createBucket("lc-bad");
        assertSdkError(
                400,
                "InvalidArgument",
                () -> putRules(
                        bucket,
                        rule("zero")
                                .filter(f -> f.prefix("a/"))
                                .expiration(e -> e.days(0))
                                .build()));
        assertSdkError(
                400,
                "InvalidArgument",
                () -> putRules(
                        bucket,
                        rule("same")
                                .filter(f -> f.prefix("a/"))
                                .expiration(e -> e.days(1))
                                .build(),
                        rule("same")
                                .filter(f -> f.prefix("b/"))
                                .expiration(e -> e.days(1))
                                .build()));
        assertSdkError(
                400,
                "InvalidArgument",
                () -> putRules(
                        bucket,
                        rule("noon")
                                .filter(f -> f.prefix("a/"))
                                .expiration(e -> e.date(Instant.parse("2030-01-01T12:00:00Z")))
                                .build()));
        assertSdkError(
                400,
                "InvalidRequest",
                () -> putRules(
                        bucket, rule("nothing").filter(f -> f.prefix("a/")).build()));
        assertSdkError(
                400,
                "InvalidRequest",
                () -> putRules(
                        bucket,
                        rule("tagged-abort")
                                .filter(f ->
                                        f.tag(Tag.builder().key("k").value("v").build()))
                                .abortIncompleteMultipartUpload(a -> a.daysAfterInitiation(1))
                                .build()));
        assertSdkError(
                501,
                "NotImplemented",
                () -> putRules(
                        bucket,
                        rule("glacier")
                                .filter(f -> f.prefix("a/"))
                                .transitions(t -> t.days(30).storageClass(TransitionStorageClass.GLACIER))
                                .build()));
        // nothing refused was stored
        assertSdkError(
                404, "NoSuchLifecycleConfiguration", () -> s3().getBucketLifecycleConfiguration(b -> b.bucket(bucket)));
    }

    private void putRules(String bucket, LifecycleRule... rules) {
        s3().putBucketLifecycleConfiguration(b -> b.bucket(bucket)
                .lifecycleConfiguration(
                        BucketLifecycleConfiguration.builder().rules(rules).build()));
    }

    @Test
    void objectsExpireByPrefixTagAndDateWhenTheClockIsMoved() throws Exception {
        String bucket = server.createBucket("lc-expiry");
        put(bucket, "logs/1.log", "one");
        put(bucket, "logs/2.log", "two");
        put(bucket, "keep/report.csv", "a,b");
        s3().putObject(b -> b.bucket(bucket).key("scratch.bin").tagging("temp=true"), RequestBody.fromString("x"));
        s3().putObject(
                        b -> b.bucket(bucket).key("scratch-kept.bin").tagging("temp=false"),
                        RequestBody.fromString("y"));
        putRules(
                bucket,
                rule("logs")
                        .filter(f -> f.prefix("logs/"))
                        .expiration(e -> e.days(30))
                        .build(),
                rule("temp")
                        .filter(f ->
                                f.tag(Tag.builder().key("temp").value("true").build()))
                        .expiration(e -> e.days(7))
                        .build(),
                rule("off")
                        .status(ExpirationStatus.DISABLED)
                        .filter(f -> f.prefix("keep/"))
                        .expiration(e -> e.days(1))
                        .build());
        server.server().awaitIdle(Duration.ofSeconds(30));
        assertEquals(5, keys(bucket).size(), "nothing is due when the rules are put");

        advance(Duration.ofDays(8));
        assertEquals(List.of("keep/report.csv", "logs/1.log", "logs/2.log", "scratch-kept.bin"), keys(bucket));

        // the same over the admin API, as against the container: 23 more days make 31
        HttpResponse<String> moved = HTTP.send(
                HttpRequest.newBuilder(URI.create(server.url() + "/api/v1/clock/advance?ms="
                                + Duration.ofDays(23).toMillis()))
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, moved.statusCode(), moved.body());
        server.server().awaitIdle(Duration.ofSeconds(30));
        assertEquals(List.of("keep/report.csv", "scratch-kept.bin"), keys(bucket));
        assertSdkError(
                404, "NoSuchKey", () -> s3().getObject(b -> b.bucket(bucket).key("logs/1.log")));
        assertEquals(
                2,
                server.server().stats().buckets().stream()
                        .filter(s -> s.name().equals(bucket))
                        .findFirst()
                        .orElseThrow()
                        .objects(),
                "the bucket's statistics count the expired objects out");

        // a date already past at put time: applied as soon as the rules are put
        putRules(
                bucket,
                rule("all-by-date")
                        .filter(f -> f.prefix(""))
                        .expiration(e -> e.date(Instant.parse("2020-01-01T00:00:00Z")))
                        .build());
        server.server().awaitIdle(Duration.ofSeconds(30));
        assertEquals(List.of(), keys(bucket));
    }

    @Test
    void anObjectWrittenAfterTheClockMovedExpiresFromItsOwnTime() {
        String bucket = server.createBucket("lc-late");
        putRules(
                bucket,
                rule("week")
                        .filter(f -> f.prefix(""))
                        .expiration(e -> e.days(7))
                        .build());
        advance(Duration.ofDays(100));
        put(bucket, "new.txt", "n");
        advance(Duration.ofDays(5));
        assertEquals(List.of("new.txt"), keys(bucket), "5 days old: kept");
        advance(Duration.ofDays(3));
        assertEquals(List.of(), keys(bucket));
    }

    @Test
    void inAVersionedBucketExpiryLeavesAMarkerAndNoncurrentVersionsGoAfterTheirDays() {
        String bucket = server.createBucket("lc-versions");
        s3().putBucketVersioning(
                        b -> b.bucket(bucket).versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
        put(bucket, "doc.txt", "v1");
        put(bucket, "doc.txt", "v2");
        put(bucket, "doc.txt", "v3");
        put(bucket, "other.txt", "o1");
        put(bucket, "other.txt", "o2");
        putRules(
                bucket,
                rule("noncurrent")
                        .filter(f -> f.prefix(""))
                        .noncurrentVersionExpiration(n -> n.noncurrentDays(10).newerNoncurrentVersions(1))
                        .build());
        advance(Duration.ofDays(9));
        assertEquals(5, versions(bucket).versions().size(), "not noncurrent long enough");

        advance(Duration.ofDays(2));
        ListObjectVersionsResponse left = versions(bucket);
        // doc.txt keeps v3 (current) and v2 (the one newer noncurrent version kept); other.txt keeps o2 and o1
        assertEquals(
                List.of("doc.txt", "doc.txt", "other.txt", "other.txt"),
                left.versions().stream().map(v -> v.key()).toList());
        assertEquals(
                "v2",
                s3().getObjectAsBytes(b -> b.bucket(bucket)
                                .key("doc.txt")
                                .versionId(left.versions().get(1).versionId()))
                        .asUtf8String());

        putRules(
                bucket,
                rule("current")
                        .filter(f -> f.prefix(""))
                        .expiration(e -> e.days(30))
                        .build(),
                rule("tidy")
                        .filter(f -> f.prefix(""))
                        .noncurrentVersionExpiration(n -> n.noncurrentDays(1))
                        .build(),
                rule("markers")
                        .filter(f -> f.prefix("other"))
                        .expiration(e -> e.expiredObjectDeleteMarker(true))
                        .build());
        advance(Duration.ofDays(31)); // the current versions expire: each key gets a delete marker on top
        assertEquals(List.of(), keys(bucket));
        ListObjectVersionsResponse markers = versions(bucket);
        assertEquals(2, markers.deleteMarkers().size());
        assertTrue(markers.deleteMarkers().stream().allMatch(m -> m.isLatest()));

        advance(Duration.ofDays(
                2)); // the versions under the markers are noncurrent now; then other.txt's marker is alone
        advance(Duration.ofDays(1));
        ListObjectVersionsResponse end = versions(bucket);
        assertEquals(List.of(), end.versions());
        assertEquals(
                List.of("doc.txt"),
                end.deleteMarkers().stream().map(m -> m.key()).toList(),
                "ExpiredObjectDeleteMarker applies to other.txt only");
    }

    private ListObjectVersionsResponse versions(String bucket) {
        return s3().listObjectVersions(b -> b.bucket(bucket));
    }

    @Test
    void unfinishedMultipartUploadsAreAbortedAfterTheirDays() {
        String bucket = server.createBucket("lc-uploads");
        String stale = s3().createMultipartUpload(b -> b.bucket(bucket).key("tmp/big.bin"))
                .uploadId();
        s3().uploadPart(
                        b -> b.bucket(bucket).key("tmp/big.bin").uploadId(stale).partNumber(1),
                        RequestBody.fromString("part"));
        String elsewhere = s3().createMultipartUpload(b -> b.bucket(bucket).key("keep/big.bin"))
                .uploadId();
        putRules(
                bucket,
                rule("abort")
                        .filter(f -> f.prefix("tmp/"))
                        .abortIncompleteMultipartUpload(a -> a.daysAfterInitiation(7))
                        .build());

        advance(Duration.ofDays(6));
        assertEquals(
                2, s3().listMultipartUploads(b -> b.bucket(bucket)).uploads().size());
        advance(Duration.ofDays(2));
        assertEquals(
                List.of(elsewhere),
                s3().listMultipartUploads(b -> b.bucket(bucket)).uploads().stream()
                        .map(u -> u.uploadId())
                        .toList());
        assertSdkError(
                404,
                "NoSuchUpload",
                () -> s3().uploadPart(
                                b -> b.bucket(bucket)
                                        .key("tmp/big.bin")
                                        .uploadId(stale)
                                        .partNumber(2),
                                RequestBody.fromString("late")));
    }

    @Test
    void awsCliPutsAndGetsTheConfiguration() throws IOException {
        String bucket = server.createBucket("lc-cli");
        Path work = server.directory();
        Path config = Files.writeString(work.resolve("lifecycle.json"), """
                {"Rules": [
                  {"ID": "logs", "Filter": {"Prefix": "logs/"}, "Status": "Enabled", "Expiration": {"Days": 30}},
                  {"ID": "uploads", "Filter": {}, "Status": "Enabled", "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 3}}
                ]}
                """);
        AwsCli.run(
                        server,
                        work,
                        "s3api",
                        "put-bucket-lifecycle-configuration",
                        "--bucket",
                        bucket,
                        "--lifecycle-configuration",
                        "file://" + config)
                .assertSuccess();
        JsonNode rules = new ObjectMapper()
                .readTree(AwsCli.run(server, work, "s3api", "get-bucket-lifecycle-configuration", "--bucket", bucket)
                        .assertSuccess()
                        .stdout())
                .get("Rules");
        assertEquals(2, rules.size());
        assertEquals("logs/", rules.get(0).get("Filter").get("Prefix").asText());
        assertEquals(30, rules.get(0).get("Expiration").get("Days").asInt());
        assertEquals(
                3,
                rules.get(1)
                        .get("AbortIncompleteMultipartUpload")
                        .get("DaysAfterInitiation")
                        .asInt());

        put(bucket, "logs/a.log", "a");
        advance(Duration.ofDays(31));
        assertEquals(List.of(), keys(bucket));
        AwsCli.run(server, work, "s3api", "delete-bucket-lifecycle", "--bucket", bucket)
                .assertSuccess();
        assertTrue(AwsCli.run(server, work, "s3api", "get-bucket-lifecycle-configuration", "--bucket", bucket)
                .stderr()
                .contains("NoSuchLifecycleConfiguration"));
    }
}
