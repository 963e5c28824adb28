package dev.mockstorage.it;

import static dev.mockstorage.it.S3Assertions.assertS3Error;
import static dev.mockstorage.it.S3Assertions.assertSdkError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mockstorage.server.MockStorageServer;
import dev.mockstorage.stats.ConsistencyReport;
import dev.mockstorage.stats.ServerStats;
import dev.mockstorage.testing.RawHttp;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.DeleteMarkerEntry;
import software.amazon.awssdk.services.s3.model.DeleteObjectResponse;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.DeletedObject;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsResponse;
import software.amazon.awssdk.services.s3.model.ObjectAttributes;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.ObjectVersion;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.Tag;

/**
 * Bucket versioning through the AWS SDK v2 at its defaults (raw HTTP where the SDK hides what S3
 * sends): Put/GetBucketVersioning, version ids on writes, GET/HEAD/DELETE by version, delete markers,
 * Suspended's null version, DeleteObjects with versions, ListObjectVersions paging, and what the
 * rest of the server makes of versions (listing, statistics, DeleteBucket, reset, consistency check, restart).
 */
class VersioningTest {
    @StartStop
    static final TestServer server = TestServer.create();

    static S3Client s3;
    private static final AtomicInteger BUCKETS = new AtomicInteger();

    @BeforeAll
    static void start() {
        s3 = server.s3();
    }

    /** A fresh bucket, versioning Enabled when asked. */
    private static String bucket(boolean enabled) {
        String name = server.createBucket("versions-" + BUCKETS.incrementAndGet());
        if (enabled) {
            enable(name, BucketVersioningStatus.ENABLED);
        }
        return name;
    }

    private static void enable(String bucket, BucketVersioningStatus status) {
        s3.putBucketVersioning(b -> b.bucket(bucket).versioningConfiguration(c -> c.status(status)));
    }

    private static String put(String bucket, String key, String content) {
        return s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString(content))
                .versionId();
    }

    private static ResponseBytes<GetObjectResponse> get(String bucket, String key, String versionId) {
        return s3.getObjectAsBytes(b -> b.bucket(bucket).key(key).versionId(versionId));
    }

    private static ListObjectVersionsResponse versions(String bucket) {
        return s3.listObjectVersions(b -> b.bucket(bucket));
    }

    /** "key versionId latest" lines of versions and markers ("key M versionId latest"), in the order S3 lists them. */
    private static List<String> listing(String bucket) {
        RawHttp.Response r = server.raw().get("/" + bucket + "?versions");
        assertEquals(200, r.status(), r::toString);
        Document doc = S3Assertions.parseXml(r.body());
        List<String> out = new ArrayList<>();
        org.w3c.dom.NodeList entries = doc.getDocumentElement().getChildNodes();
        for (int i = 0; i < entries.getLength(); i++) {
            if (entries.item(i) instanceof org.w3c.dom.Element e
                    && (e.getLocalName().equals("Version") || e.getLocalName().equals("DeleteMarker"))) {
                out.add(child(e, "Key") + (e.getLocalName().equals("DeleteMarker") ? " M " : " ")
                        + child(e, "VersionId") + " " + child(e, "IsLatest"));
            }
        }
        return out;
    }

    private static String child(org.w3c.dom.Element e, String name) {
        org.w3c.dom.NodeList l = e.getElementsByTagNameNS("*", name);
        return l.getLength() == 0 ? null : l.item(0).getTextContent();
    }

    // ---------------------------------------------------------------- configuration

    @Test
    void bucketVersioningConfigurationRoundTrips() {
        String bucket = bucket(false);
        assertNull(s3.getBucketVersioning(b -> b.bucket(bucket)).status(), "never versioned: empty configuration");
        RawHttp.Response raw = server.raw().get("/" + bucket + "?versioning");
        assertEquals(200, raw.status());
        assertTrue(
                raw.bodyText().contains("VersioningConfiguration")
                        && !raw.bodyText().contains("Status"),
                raw::toString);

        enable(bucket, BucketVersioningStatus.ENABLED);
        assertEquals(
                BucketVersioningStatus.ENABLED,
                s3.getBucketVersioning(b -> b.bucket(bucket)).status());
        enable(bucket, BucketVersioningStatus.SUSPENDED);
        assertEquals(
                BucketVersioningStatus.SUSPENDED,
                s3.getBucketVersioning(b -> b.bucket(bucket)).status());
        // MfaDelete Disabled is accepted (and the status still set)
        s3.putBucketVersioning(b -> b.bucket(bucket)
                .versioningConfiguration(
                        c -> c.status(BucketVersioningStatus.ENABLED).mfaDelete("Disabled")));
        assertEquals(
                BucketVersioningStatus.ENABLED,
                s3.getBucketVersioning(b -> b.bucket(bucket)).status());
    }

    @Test
    void badVersioningConfigurationsAreRefusedAsS3Does() {
        String bucket = bucket(false);
        RawHttp raw = server.raw();
        assertS3Error(
                raw.send(
                        "PUT",
                        "/" + bucket + "?versioning",
                        Map.of(),
                        "<VersioningConfiguration><Status>Enabled".getBytes(StandardCharsets.UTF_8)),
                400,
                "MalformedXML");
        assertS3Error(
                raw.send(
                        "PUT",
                        "/" + bucket + "?versioning",
                        Map.of(),
                        bytes("<VersioningConfiguration><Status>On</Status></VersioningConfiguration>")),
                400,
                "IllegalVersioningConfigurationException");
        assertS3Error(
                raw.send(
                        "PUT",
                        "/" + bucket + "?versioning",
                        Map.of(),
                        bytes("<VersioningConfiguration></VersioningConfiguration>")),
                400,
                "IllegalVersioningConfigurationException");
        Document mfa = assertS3Error(
                raw.send(
                        "PUT",
                        "/" + bucket + "?versioning",
                        Map.of(),
                        bytes(
                                "<VersioningConfiguration><Status>Enabled</Status><MfaDelete>Enabled</MfaDelete></VersioningConfiguration>")),
                501,
                "NotImplemented");
        assertTrue(S3Assertions.text(mfa, "Message").contains("MFA delete"));
        assertNull(
                s3.getBucketVersioning(b -> b.bucket(bucket)).status(), "nothing was changed by the refused requests");
        assertSdkError(404, "NoSuchBucket", () -> s3.getBucketVersioning(b -> b.bucket("no-such-bucket-here")));
        assertSdkError(
                404,
                "NoSuchBucket",
                () -> s3.putBucketVersioning(b -> b.bucket("no-such-bucket-here")
                        .versioningConfiguration(c -> c.status(BucketVersioningStatus.ENABLED))));
    }

    // ---------------------------------------------------------------- versions and delete markers

    @Test
    void everyPutKeepsAVersionReadableByItsId() {
        String bucket = bucket(true);
        String v1 = put(bucket, "doc", "one");
        String v2 = put(bucket, "doc", "two");
        assertNotNull(v1);
        assertNotEquals(v1, v2);

        ResponseBytes<GetObjectResponse> latest = get(bucket, "doc", null);
        assertEquals("two", latest.asUtf8String());
        assertEquals(v2, latest.response().versionId());
        assertEquals("one", get(bucket, "doc", v1).asUtf8String());
        assertEquals(v1, get(bucket, "doc", v1).response().versionId());
        assertEquals(
                3L,
                s3.headObject(b -> b.bucket(bucket).key("doc").versionId(v1)).contentLength());
        assertEquals(
                v1,
                s3.headObject(b -> b.bucket(bucket).key("doc").versionId(v1)).versionId());
        assertEquals(
                "ne",
                s3.getObjectAsBytes(
                                b -> b.bucket(bucket).key("doc").versionId(v1).range("bytes=1-2"))
                        .asUtf8String());

        ListObjectVersionsResponse list = versions(bucket);
        assertEquals(
                List.of(v2, v1),
                list.versions().stream().map(ObjectVersion::versionId).toList(),
                "newest first");
        assertEquals(
                List.of(true, false),
                list.versions().stream().map(ObjectVersion::isLatest).toList());
        assertEquals(
                List.of(3L, 3L),
                list.versions().stream().map(ObjectVersion::size).toList());
        assertEquals(
                List.of("doc"),
                s3.listObjectsV2(b -> b.bucket(bucket)).contents().stream()
                        .map(o -> o.key())
                        .toList(),
                "ListObjects shows the key once");
    }

    @Test
    void deleteAddsAMarkerAndDeletingTheMarkerRestores() {
        String bucket = bucket(true);
        String v1 = put(bucket, "doc", "one");

        DeleteObjectResponse deleted = s3.deleteObject(b -> b.bucket(bucket).key("doc"));
        assertTrue(deleted.deleteMarker());
        String marker = deleted.versionId();
        assertNotNull(marker);
        assertNotEquals(v1, marker);

        assertSdkError(404, "NoSuchKey", () -> get(bucket, "doc", null));
        RawHttp.Response raw = server.raw().get("/" + bucket + "/doc");
        assertS3Error(raw, 404, "NoSuchKey");
        assertEquals("true", raw.header("x-amz-delete-marker"));
        assertEquals(marker, raw.header("x-amz-version-id"));
        RawHttp.Response head = server.raw().send("HEAD", "/" + bucket + "/doc");
        assertEquals(404, head.status());
        assertEquals("true", head.header("x-amz-delete-marker"));
        // GET of the marker itself: 405 as S3
        RawHttp.Response ofMarker = server.raw().get("/" + bucket + "/doc?versionId=" + marker);
        assertS3Error(ofMarker, 405, "MethodNotAllowed");
        assertEquals("true", ofMarker.header("x-amz-delete-marker"));
        assertSdkError(405, "MethodNotAllowed", () -> get(bucket, "doc", marker));
        assertEquals("one", get(bucket, "doc", v1).asUtf8String(), "the old version is still there");
        assertTrue(s3.listObjectsV2(b -> b.bucket(bucket)).contents().isEmpty(), "ListObjects hides a deleted key");
        assertTrue(s3.listObjects(b -> b.bucket(bucket)).contents().isEmpty());
        assertEquals(List.of("doc M " + marker + " true", "doc " + v1 + " false"), listing(bucket));
        List<DeleteMarkerEntry> markers = versions(bucket).deleteMarkers();
        assertEquals(1, markers.size());
        assertTrue(markers.get(0).isLatest());

        DeleteObjectResponse undelete =
                s3.deleteObject(b -> b.bucket(bucket).key("doc").versionId(marker));
        assertTrue(undelete.deleteMarker(), "deleting a marker says so");
        assertEquals(marker, undelete.versionId());
        assertEquals("one", get(bucket, "doc", null).asUtf8String(), "deleting the marker undeletes");
        assertEquals(List.of("doc " + v1 + " true"), listing(bucket));
    }

    @Test
    void deletingTheCurrentVersionMakesThePreviousOneCurrentAndFreesItsBlob() {
        String bucket = bucket(true);
        String v1 = put(bucket, "doc", "one");
        String v2 = put(bucket, "doc", "two");
        DeleteObjectResponse r =
                s3.deleteObject(b -> b.bucket(bucket).key("doc").versionId(v2));
        assertEquals(v2, r.versionId());
        assertFalse(Boolean.TRUE.equals(r.deleteMarker()));
        assertEquals("one", get(bucket, "doc", null).asUtf8String());
        assertSdkError(404, "NoSuchVersion", () -> get(bucket, "doc", v2));
        assertEquals(List.of("doc " + v1 + " true"), listing(bucket));
        s3.deleteObject(b -> b.bucket(bucket).key("doc").versionId(v1));
        assertSdkError(404, "NoSuchKey", () -> get(bucket, "doc", null));
        assertTrue(listing(bucket).isEmpty());
        server.server().awaitIdle(Duration.ofSeconds(10));
        assertTrue(
                server.server().checkConsistency(false).clean(), "the deleted versions' blobs are gone, nothing else");
        s3.deleteBucket(b -> b.bucket(bucket)); // empty now
    }

    @Test
    void unknownAndMalformedVersionIds() {
        String bucket = bucket(true);
        put(bucket, "doc", "one");
        String unknown = "A".repeat(32);
        assertSdkError(404, "NoSuchVersion", () -> get(bucket, "doc", unknown));
        assertSdkError(
                404, null, () -> s3.headObject(b -> b.bucket(bucket).key("doc").versionId(unknown)));
        assertSdkError(400, "InvalidArgument", () -> get(bucket, "doc", "not a version"));
        assertS3Error(server.raw().get("/" + bucket + "/doc?versionId=bad%2Fid"), 400, "InvalidArgument");
        assertSdkError(
                400,
                "InvalidArgument",
                () -> s3.deleteObject(b -> b.bucket(bucket).key("doc").versionId("bad")));
        // S3 deletes idempotently: an unknown version is a 204 echoing the id
        DeleteObjectResponse gone =
                s3.deleteObject(b -> b.bucket(bucket).key("doc").versionId(unknown));
        assertEquals(unknown, gone.versionId());
        assertEquals("one", get(bucket, "doc", null).asUtf8String());
        assertSdkError(
                404,
                "NoSuchBucket",
                () -> s3.getObject(b -> b.bucket("no-such-bucket-here").key("k").versionId(unknown)));
    }

    @Test
    void suspendedWritesTheNullVersionReplacingThePreviousNullOne() {
        String bucket = bucket(false);
        put(bucket, "doc", "before versioning");
        assertNull(get(bucket, "doc", null).response().versionId(), "never versioned: no version header");
        enable(bucket, BucketVersioningStatus.ENABLED);
        assertEquals(
                "null",
                get(bucket, "doc", null).response().versionId(),
                "an object from before versioning is the null version");
        String v1 = put(bucket, "doc", "enabled");
        assertEquals("before versioning", get(bucket, "doc", "null").asUtf8String());

        enable(bucket, BucketVersioningStatus.SUSPENDED);
        assertNull(put(bucket, "doc", "suspended 1"), "S3 answers a Suspended write without x-amz-version-id");
        assertEquals(
                List.of("doc null true", "doc " + v1 + " false"),
                listing(bucket),
                "the old null version was replaced, the Enabled one kept");
        put(bucket, "doc", "suspended 2");
        assertEquals(List.of("doc null true", "doc " + v1 + " false"), listing(bucket));
        assertEquals("suspended 2", get(bucket, "doc", "null").asUtf8String());
        assertEquals("null", get(bucket, "doc", null).response().versionId(), "a read names the null version");
        assertEquals("enabled", get(bucket, "doc", v1).asUtf8String());

        DeleteObjectResponse deleted = s3.deleteObject(b -> b.bucket(bucket).key("doc"));
        assertTrue(deleted.deleteMarker());
        assertEquals("null", deleted.versionId(), "a Suspended delete writes the null marker");
        assertEquals(
                List.of("doc M null true", "doc " + v1 + " false"),
                listing(bucket),
                "the null version made way for the marker");
        server.server().awaitIdle(Duration.ofSeconds(10));
        assertTrue(server.server().checkConsistency(false).clean());
    }

    @Test
    void unversionedBucketsListEveryObjectAsTheNullVersion() {
        String bucket = bucket(false);
        put(bucket, "a", "1");
        put(bucket, "b", "22");
        put(bucket, "a", "333");
        ListObjectVersionsResponse list = versions(bucket);
        assertEquals(
                List.of("a", "b"),
                list.versions().stream().map(ObjectVersion::key).toList());
        assertTrue(list.versions().stream().allMatch(v -> v.versionId().equals("null") && v.isLatest()));
        assertEquals(3L, list.versions().get(0).size());
        assertEquals("333", get(bucket, "a", "null").asUtf8String());
        assertSdkError(404, "NoSuchVersion", () -> get(bucket, "a", "B".repeat(32)));
        assertNull(s3.putObject(b -> b.bucket(bucket).key("c"), RequestBody.fromString("x"))
                .versionId());
        DeleteObjectResponse d = s3.deleteObject(b -> b.bucket(bucket).key("c"));
        assertNull(d.deleteMarker());
        assertNull(d.versionId());
        assertSdkError(404, "NoSuchKey", () -> get(bucket, "c", null));
        RawHttp.Response raw = server.raw().get("/" + bucket + "/c");
        assertNull(raw.header("x-amz-delete-marker"));
    }

    // ---------------------------------------------------------------- copy, multipart, DeleteObjects, tagging

    @Test
    void copyFromAVersionAndMultipartGetVersionIds() {
        String bucket = bucket(true);
        String v1 = put(bucket, "src", "first");
        put(bucket, "src", "second");
        CopyObjectResponse copied = s3.copyObject(b -> b.sourceBucket(bucket)
                .sourceKey("src")
                .sourceVersionId(v1)
                .destinationBucket(bucket)
                .destinationKey("dst"));
        assertEquals(v1, copied.copySourceVersionId());
        assertNotNull(copied.versionId());
        assertEquals("first", get(bucket, "dst", null).asUtf8String());
        assertEquals(copied.versionId(), get(bucket, "dst", null).response().versionId());
        // copying an old version over the key itself is how S3 users restore it
        CopyObjectResponse restored = s3.copyObject(b -> b.sourceBucket(bucket)
                .sourceKey("src")
                .sourceVersionId(v1)
                .destinationBucket(bucket)
                .destinationKey("src"));
        assertEquals("first", get(bucket, "src", null).asUtf8String());
        assertEquals(
                3,
                versions(bucket).versions().stream()
                        .filter(v -> v.key().equals("src"))
                        .count());
        assertNotEquals(v1, restored.versionId());

        String marker = s3.deleteObject(b -> b.bucket(bucket).key("src")).versionId();
        assertSdkError(
                400,
                "InvalidRequest",
                () -> s3.copyObject(b -> b.sourceBucket(bucket)
                        .sourceKey("src")
                        .sourceVersionId(marker)
                        .destinationBucket(bucket)
                        .destinationKey("x")));
        assertSdkError(
                404,
                "NoSuchKey",
                () -> s3.copyObject(b -> b.sourceBucket(bucket)
                        .sourceKey("src")
                        .destinationBucket(bucket)
                        .destinationKey("x")));
        assertSdkError(
                404,
                "NoSuchVersion",
                () -> s3.copyObject(b -> b.sourceBucket(bucket)
                        .sourceKey("src")
                        .sourceVersionId("C".repeat(32))
                        .destinationBucket(bucket)
                        .destinationKey("x")));

        String uploadId =
                s3.createMultipartUpload(b -> b.bucket(bucket).key("mp")).uploadId();
        String etag = s3.uploadPart(
                        b -> b.bucket(bucket).key("mp").uploadId(uploadId).partNumber(1),
                        RequestBody.fromString("part"))
                .eTag();
        String mpVersion = s3.completeMultipartUpload(b -> b.bucket(bucket)
                        .key("mp")
                        .uploadId(uploadId)
                        .multipartUpload(m -> m.parts(
                                CompletedPart.builder().partNumber(1).eTag(etag).build())))
                .versionId();
        assertNotNull(mpVersion);
        assertEquals("part", get(bucket, "mp", mpVersion).asUtf8String());

        String copyUpload =
                s3.createMultipartUpload(b -> b.bucket(bucket).key("mp-copy")).uploadId();
        var copiedPart = s3.uploadPartCopy(b -> b.sourceBucket(bucket)
                .sourceKey("src")
                .sourceVersionId(v1)
                .destinationBucket(bucket)
                .destinationKey("mp-copy")
                .uploadId(copyUpload)
                .partNumber(1));
        assertEquals(v1, copiedPart.copySourceVersionId());
        s3.completeMultipartUpload(b -> b.bucket(bucket)
                .key("mp-copy")
                .uploadId(copyUpload)
                .multipartUpload(m -> m.parts(CompletedPart.builder()
                        .partNumber(1)
                        .eTag(copiedPart.copyPartResult().eTag())
                        .build())));
        assertEquals("first", get(bucket, "mp-copy", null).asUtf8String(), "UploadPartCopy read the named version");
    }

    @Test
    void deleteObjectsWithVersionIds() {
        String bucket = bucket(true);
        String v1 = put(bucket, "a", "1");
        String v2 = put(bucket, "a", "2");
        put(bucket, "b", "b");
        DeleteObjectsResponse r = s3.deleteObjects(b -> b.bucket(bucket)
                .delete(d -> d.objects(
                        ObjectIdentifier.builder().key("a").versionId(v1).build(),
                        ObjectIdentifier.builder().key("b").build(),
                        ObjectIdentifier.builder()
                                .key("a")
                                .versionId("D".repeat(32))
                                .build())));
        assertTrue(r.errors().isEmpty(), () -> r.errors().toString());
        assertEquals(3, r.deleted().size());
        DeletedObject first = r.deleted().get(0);
        assertEquals(v1, first.versionId());
        assertNull(first.deleteMarker());
        DeletedObject second = r.deleted().get(1);
        assertTrue(second.deleteMarker());
        assertNotNull(second.deleteMarkerVersionId());
        assertEquals("D".repeat(32), r.deleted().get(2).versionId(), "an unknown version is deleted idempotently");

        DeleteObjectsResponse undelete = s3.deleteObjects(b -> b.bucket(bucket)
                .delete(d -> d.objects(
                        ObjectIdentifier.builder()
                                .key("b")
                                .versionId(second.deleteMarkerVersionId())
                                .build(),
                        ObjectIdentifier.builder().key("a").versionId("bad").build())));
        assertTrue(undelete.deleted().get(0).deleteMarker());
        assertEquals(second.deleteMarkerVersionId(), undelete.deleted().get(0).deleteMarkerVersionId());
        assertEquals("InvalidArgument", undelete.errors().get(0).code());
        assertEquals("bad", undelete.errors().get(0).versionId());
        assertEquals("b", get(bucket, "b", null).asUtf8String());
        assertEquals(List.of("a " + v2 + " true"), listing(bucket).subList(0, 1));
    }

    @Test
    void taggingAndAttributesOfAVersion() {
        String bucket = bucket(true);
        String v1 = s3.putObject(b -> b.bucket(bucket).key("doc").tagging("gen=1"), RequestBody.fromString("one"))
                .versionId();
        String v2 = s3.putObject(b -> b.bucket(bucket).key("doc").tagging("gen=2"), RequestBody.fromString("second"))
                .versionId();
        assertEquals(
                "1",
                s3.getObjectTagging(b -> b.bucket(bucket).key("doc").versionId(v1))
                        .tagSet()
                        .get(0)
                        .value());
        assertEquals(
                v1,
                s3.getObjectTagging(b -> b.bucket(bucket).key("doc").versionId(v1))
                        .versionId());
        assertEquals(
                "2",
                s3.getObjectTagging(b -> b.bucket(bucket).key("doc"))
                        .tagSet()
                        .get(0)
                        .value());
        assertEquals(
                3L,
                s3.getObjectAttributes(b -> b.bucket(bucket)
                                .key("doc")
                                .versionId(v1)
                                .objectAttributes(ObjectAttributes.OBJECT_SIZE))
                        .objectSize());
        assertEquals(
                6L,
                s3.getObjectAttributes(b -> b.bucket(bucket).key("doc").objectAttributes(ObjectAttributes.OBJECT_SIZE))
                        .objectSize());
        // the current version by id may be retagged; a noncurrent one is refused, not silently retagging the current
        s3.putObjectTagging(b -> b.bucket(bucket)
                .key("doc")
                .versionId(v2)
                .tagging(t -> t.tagSet(Tag.builder().key("gen").value("two").build())));
        assertEquals(
                "two",
                s3.getObjectTagging(b -> b.bucket(bucket).key("doc"))
                        .tagSet()
                        .get(0)
                        .value());
        S3Exception e = assertSdkError(
                501,
                "NotImplemented",
                () -> s3.putObjectTagging(b -> b.bucket(bucket)
                        .key("doc")
                        .versionId(v1)
                        .tagging(t ->
                                t.tagSet(Tag.builder().key("gen").value("x").build()))));
        assertTrue(e.awsErrorDetails().errorMessage().contains("noncurrent"));
        assertEquals(
                "1",
                s3.getObjectTagging(b -> b.bucket(bucket).key("doc").versionId(v1))
                        .tagSet()
                        .get(0)
                        .value());
    }

    // ---------------------------------------------------------------- ListObjectVersions

    @Test
    void listObjectVersionsPagesThroughKeysAndVersions() {
        String bucket = bucket(true);
        List<String> expected = new ArrayList<>();
        for (String key : List.of("a", "b/1", "b/2", "c")) {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                ids.add(0, put(bucket, key, key + i));
            }
            for (String id : ids) {
                expected.add(key + " " + id);
            }
        }
        String marker = s3.deleteObject(b -> b.bucket(bucket).key("c")).versionId();
        expected.add(
                expected.indexOf(expected.stream()
                        .filter(s -> s.startsWith("c "))
                        .findFirst()
                        .orElseThrow()),
                "c " + marker);

        for (int pageSize : new int[] {1, 2, 5, 1000}) {
            List<String> seen = new ArrayList<>();
            String keyMarker = null;
            String versionMarker = null;
            int pages = 0;
            while (true) {
                String km = keyMarker;
                String vm = versionMarker;
                ListObjectVersionsResponse page = s3.listObjectVersions(
                        b -> b.bucket(bucket).maxKeys(pageSize).keyMarker(km).versionIdMarker(vm));
                pages++;
                List<String> entries = new ArrayList<>();
                page.versions().forEach(v -> entries.add(v.key() + " " + v.versionId()));
                page.deleteMarkers().forEach(m -> entries.add(m.key() + " " + m.versionId()));
                assertTrue(entries.size() <= pageSize);
                seen.addAll(entries);
                if (!page.isTruncated()) {
                    break;
                }
                keyMarker = page.nextKeyMarker();
                versionMarker = page.nextVersionIdMarker();
                assertNotNull(keyMarker);
            }
            // the SDK splits versions and markers: compare as sets of entries, order checked below
            assertEquals(
                    expected.stream().sorted().toList(), seen.stream().sorted().toList(), "page size " + pageSize);
            assertEquals(pageSize == 1000 ? 1 : (int) Math.ceil(13.0 / pageSize), pages, "page size " + pageSize);
        }
        List<String> order = listing(bucket);
        assertEquals(expected.size(), order.size());
        assertTrue(order.get(9).startsWith("c M " + marker + " true"), order::toString);
        assertTrue(order.get(10).endsWith(" false"));
        assertTrue(order.get(0).endsWith(" true") && order.get(1).endsWith(" false"));

        ListObjectVersionsResponse rolled =
                s3.listObjectVersions(b -> b.bucket(bucket).delimiter("/"));
        assertEquals(
                List.of("b/"),
                rolled.commonPrefixes().stream().map(p -> p.prefix()).toList());
        assertEquals(6, rolled.versions().size(), "a and c, three versions each");
        assertEquals(1, rolled.deleteMarkers().size());
        ListObjectVersionsResponse prefixed =
                s3.listObjectVersions(b -> b.bucket(bucket).prefix("b/").maxKeys(4));
        assertEquals(4, prefixed.versions().size());
        assertTrue(prefixed.isTruncated());
        assertEquals("b/2", prefixed.nextKeyMarker());
        // truncated at a common prefix: NextKeyMarker is the prefix and the next page skips the keys under it
        ListObjectVersionsResponse p1 =
                s3.listObjectVersions(b -> b.bucket(bucket).delimiter("/").maxKeys(4));
        assertEquals(
                List.of("b/"), p1.commonPrefixes().stream().map(p -> p.prefix()).toList());
        assertEquals("b/", p1.nextKeyMarker());
        ListObjectVersionsResponse p2 =
                s3.listObjectVersions(b -> b.bucket(bucket).delimiter("/").keyMarker("b/"));
        assertTrue(p2.commonPrefixes().isEmpty());
        assertTrue(p2.versions().stream().allMatch(v -> v.key().equals("c")));
    }

    @Test
    void listObjectVersionsErrorsAndUrlEncoding() {
        String bucket = bucket(true);
        put(bucket, "a b+c/ü", "x");
        RawHttp.Response r = server.raw().get("/" + bucket + "?versions&encoding-type=url");
        assertEquals(200, r.status());
        assertTrue(r.bodyText().contains("<Key>a%20b%2Bc/%C3%BC</Key>"), r::toString);
        assertTrue(r.bodyText().contains("<EncodingType>url</EncodingType>"));
        assertS3Error(
                server.raw().get("/" + bucket + "?versions&version-id-marker=" + "A".repeat(32)),
                400,
                "InvalidArgument");
        assertS3Error(server.raw().get("/" + bucket + "?versions&max-keys=-1"), 400, "InvalidArgument");
        RawHttp.Response none = server.raw().get("/" + bucket + "?versions&max-keys=0");
        assertEquals(200, none.status(), none::toString);
        assertFalse(none.bodyText().contains("<Version>"), none::toString);
        assertS3Error(server.raw().get("/" + bucket + "?versions&encoding-type=base64"), 400, "InvalidArgument");
        assertSdkError(404, "NoSuchBucket", () -> s3.listObjectVersions(b -> b.bucket("no-such-bucket-here")));
    }

    // ---------------------------------------------------------------- the rest of the server

    @Test
    void deleteBucketWithOnlyNoncurrentVersionsOrMarkersIsNotEmpty() {
        String bucket = bucket(true);
        put(bucket, "doc", "one");
        s3.deleteObject(b -> b.bucket(bucket).key("doc"));
        assertTrue(s3.listObjectsV2(b -> b.bucket(bucket)).contents().isEmpty());
        assertSdkError(409, "BucketNotEmpty", () -> s3.deleteBucket(b -> b.bucket(bucket)));
        for (ObjectVersion v : versions(bucket).versions()) {
            s3.deleteObject(b -> b.bucket(bucket).key(v.key()).versionId(v.versionId()));
        }
        // a lone delete marker still counts
        assertSdkError(409, "BucketNotEmpty", () -> s3.deleteBucket(b -> b.bucket(bucket)));
        for (DeleteMarkerEntry m : versions(bucket).deleteMarkers()) {
            s3.deleteObject(b -> b.bucket(bucket).key(m.key()).versionId(m.versionId()));
        }
        s3.deleteBucket(b -> b.bucket(bucket));
        assertSdkError(404, "NoSuchBucket", () -> s3.headBucket(b -> b.bucket(bucket)));
    }

    @Test
    void bucketStatisticsCountCurrentVersionsOnly() {
        String bucket = bucket(true);
        put(bucket, "a", "12345");
        put(bucket, "a", "123");
        put(bucket, "b", "1");
        s3.deleteObject(b -> b.bucket(bucket).key("b"));
        ServerStats.Bucket stats = server.server().stats().buckets().stream()
                .filter(s -> s.name().equals(bucket))
                .findFirst()
                .orElseThrow();
        assertEquals(1, stats.objects(), "what ListObjects shows: a; noncurrent versions and markers are not counted");
        assertEquals(3, stats.bytes());
        String marker = versions(bucket).deleteMarkers().get(0).versionId();
        s3.deleteObject(b -> b.bucket(bucket).key("b").versionId(marker));
        stats = server.server().stats().buckets().stream()
                .filter(s -> s.name().equals(bucket))
                .findFirst()
                .orElseThrow();
        assertEquals(2, stats.objects(), "b is current again");
        assertEquals(4, stats.bytes());
    }

    @Test
    void aRepairingConsistencyCheckKeepsTheBlobsOfNoncurrentVersions(@TempDir Path dir) {
        try (TestServer own = TestServer.start(dir, b -> b.setting("storage.orphan_grace_ms", "0"))) {
            own.createBucket("keep");
            own.s3()
                    .putBucketVersioning(b ->
                            b.bucket("keep").versioningConfiguration(c -> c.status(BucketVersioningStatus.ENABLED)));
            String v1 = own.s3()
                    .putObject(b -> b.bucket("keep").key("doc"), RequestBody.fromString("old"))
                    .versionId();
            own.s3().putObject(b -> b.bucket("keep").key("doc"), RequestBody.fromString("new"));
            own.s3().deleteObject(b -> b.bucket("keep").key("doc"));
            own.server().awaitIdle(Duration.ofSeconds(10));
            ConsistencyReport report = own.server().checkConsistency(true);
            assertTrue(report.clean(), report::toString);
            own.server().awaitIdle(Duration.ofSeconds(10));
            assertEquals(
                    "old",
                    own.s3()
                            .getObjectAsBytes(b -> b.bucket("keep").key("doc").versionId(v1))
                            .asUtf8String());
        }
    }

    @Test
    void versionsSurviveARestartAndResetClearsThem(@TempDir Path dir) {
        String v1;
        String marker;
        try (TestServer first = TestServer.start(dir)) {
            first.createBucket("durable");
            first.s3().putObject(b -> b.bucket("durable").key("pre"), RequestBody.fromString("from before versioning"));
            first.s3()
                    .putBucketVersioning(b ->
                            b.bucket("durable").versioningConfiguration(c -> c.status(BucketVersioningStatus.ENABLED)));
            v1 = first.s3()
                    .putObject(b -> b.bucket("durable").key("doc"), RequestBody.fromString("v1"))
                    .versionId();
            first.s3().putObject(b -> b.bucket("durable").key("doc"), RequestBody.fromString("v2"));
            marker =
                    first.s3().deleteObject(b -> b.bucket("durable").key("doc")).versionId();
        }
        try (TestServer second = TestServer.start(dir)) {
            S3Client c = second.s3();
            assertEquals(
                    BucketVersioningStatus.ENABLED,
                    c.getBucketVersioning(b -> b.bucket("durable")).status());
            assertEquals(
                    "v1",
                    c.getObjectAsBytes(b -> b.bucket("durable").key("doc").versionId(v1))
                            .asUtf8String());
            ListObjectVersionsResponse list = c.listObjectVersions(b -> b.bucket("durable"));
            assertEquals(3, list.versions().size());
            assertEquals(
                    "null",
                    c.headObject(b -> b.bucket("durable").key("pre")).versionId(),
                    "the restarted server knows the bucket is versioned without asking per request");
            assertEquals(marker, list.deleteMarkers().get(0).versionId());
            assertSdkError(
                    404, "NoSuchKey", () -> c.getObject(b -> b.bucket("durable").key("doc")));

            MockStorageServer s = second.server();
            s.reset();
            s.awaitIdle(Duration.ofSeconds(10));
            assertTrue(c.listBuckets().buckets().isEmpty());
            c.createBucket(b -> b.bucket("durable"));
            assertNull(
                    c.getBucketVersioning(b -> b.bucket("durable")).status(),
                    "a new bucket of the same name is unversioned");
            assertTrue(c.listObjectVersions(b -> b.bucket("durable")).versions().isEmpty());
            assertTrue(c.listObjectVersions(b -> b.bucket("durable"))
                    .deleteMarkers()
                    .isEmpty());
            assertTrue(s.checkConsistency(false).clean(), "reset left no blob of a version behind");
        }
    }

    @Test
    void concurrentWritersOfOneKeyEachGetTheirOwnVersion() throws Exception {
        String bucket = bucket(true);
        int writers = 8;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(writers);
        try {
            List<java.util.concurrent.Future<String>> ids = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                String body = "writer " + i;
                ids.add(pool.submit(() -> put(bucket, "hot", body)));
            }
            java.util.Set<String> distinct = new java.util.HashSet<>();
            for (java.util.concurrent.Future<String> f : ids) {
                String id = f.get(30, java.util.concurrent.TimeUnit.SECONDS);
                distinct.add(id);
                assertTrue(
                        get(bucket, "hot", id).asUtf8String().startsWith("writer "),
                        "every acknowledged version is readable");
            }
            assertEquals(writers, distinct.size());
            ListObjectVersionsResponse list = versions(bucket);
            assertEquals(writers, list.versions().size());
            assertEquals(
                    1, list.versions().stream().filter(ObjectVersion::isLatest).count());
            String latest = list.versions().get(0).versionId();
            assertEquals(
                    latest, get(bucket, "hot", null).response().versionId(), "the newest listed is the one served");
        } finally {
            pool.shutdownNow();
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
