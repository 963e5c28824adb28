package dev.mockstorage.it;

import static dev.mockstorage.it.S3Assertions.assertSdkError;
import static dev.mockstorage.it.S3Assertions.childTexts;
import static dev.mockstorage.it.S3Assertions.parseXml;
import static dev.mockstorage.it.S3Assertions.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mockstorage.testing.RawHttp;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.ListObjectsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * ListObjects (v1) and ListObjectsV2 through the SDK, plus raw requests for {@code encoding-type=url}
 * (the SDK does not send it, the AWS CLI always does). One server; a bucket per test.
 */
class ListObjectsTest {

    /** Five keys used by the prefix, delimiter and paging tests, in listing order. */
    static final List<String> PHOTO_KEYS = List.of(
            "photos/2024/feb.jpg", "photos/2024/jan.jpg", "photos/2025/mar.jpg", "photosynthesis.txt", "videos/a.mp4");

    @StartStop
    static final TestServer server = TestServer.create();

    static S3Client s3;
    /** boto3's working directory */
    @TempDir
    static Path work;

    @BeforeAll
    static void start() {
        s3 = server.s3();
    }

    static String bucketWith(String bucket, List<String> keys) {
        server.createBucket(bucket);
        for (String key : keys) {
            s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString("body of " + key));
        }
        return bucket;
    }

    @Test
    void emptyBucketListsNothing() {
        String bucket = server.createBucket("empty-list");
        ListObjectsV2Response v2 = s3.listObjectsV2(b -> b.bucket(bucket));
        assertEquals(0, v2.keyCount());
        assertEquals(List.of(), v2.contents());
        assertFalse(v2.isTruncated());
        assertEquals(bucket, v2.name());
        ListObjectsResponse v1 = s3.listObjects(b -> b.bucket(bucket));
        assertEquals(List.of(), v1.contents());
        assertFalse(v1.isTruncated());
    }

    @Test
    void keysAreSortedByUtf8BytesNotByJavaStringOrder() {
        // 'Ａ' (U+FF21, EF BC A1) sorts before '😀' (U+1F600, F0 9F 98 80) in UTF-8 byte order,
        // but after it in UTF-16 (String.compareTo) order; uppercase sorts before lowercase.
        List<String> expected = List.of("B", "Z/1", "a", "a-b", "a/b", "a0", "b", "~tilde", "é", "日本", "Ａ", "😀");
        assertEquals(expected, expected.stream().sorted(TestData.UTF8_ORDER).toList(), "test data sanity");
        List<String> shuffled = new ArrayList<>(expected);
        java.util.Collections.shuffle(shuffled, new java.util.Random(7));
        String bucket = bucketWith("utf8-order", shuffled);

        assertEquals(
                expected,
                s3.listObjectsV2(b -> b.bucket(bucket)).contents().stream()
                        .map(S3Object::key)
                        .toList());
        assertEquals(
                expected,
                s3.listObjects(b -> b.bucket(bucket)).contents().stream()
                        .map(S3Object::key)
                        .toList());
        List<String> paged = s3.listObjectsV2Paginator(b -> b.bucket(bucket).maxKeys(5)).contents().stream()
                .map(S3Object::key)
                .toList();
        assertEquals(expected, paged, "order holds across pages");
    }

    @Test
    void listedObjectsCarrySizeEtagAndLastModified() {
        String bucket = bucketWith("list-fields", List.of("one"));
        S3Object object = s3.listObjectsV2(b -> b.bucket(bucket)).contents().get(0);
        assertEquals("one", object.key());
        assertEquals(("body of one").length(), object.size());
        assertEquals(TestData.etag(TestData.utf8("body of one")), object.eTag());
        assertNotNull(object.lastModified());
    }

    @Test
    void prefixSelectsKeysV1AndV2() {
        String bucket = bucketWith("prefix", PHOTO_KEYS);
        List<String> expected = List.of("photos/2024/feb.jpg", "photos/2024/jan.jpg", "photos/2025/mar.jpg");

        ListObjectsV2Response v2 = s3.listObjectsV2(b -> b.bucket(bucket).prefix("photos/"));
        assertEquals(expected, v2.contents().stream().map(S3Object::key).toList());
        assertEquals(3, v2.keyCount());
        assertEquals("photos/", v2.prefix());
        assertEquals(
                expected,
                s3.listObjects(b -> b.bucket(bucket).prefix("photos/")).contents().stream()
                        .map(S3Object::key)
                        .toList());
        assertEquals(
                List.of(),
                s3.listObjectsV2(b -> b.bucket(bucket).prefix("nothing-here")).contents());
    }

    @Test
    void delimiterGroupsCommonPrefixesV1AndV2() {
        String bucket = bucketWith("delimiter", PHOTO_KEYS);

        ListObjectsV2Response top = s3.listObjectsV2(b -> b.bucket(bucket).delimiter("/"));
        assertEquals(
                List.of("photosynthesis.txt"),
                top.contents().stream().map(S3Object::key).toList());
        assertEquals(
                List.of("photos/", "videos/"),
                top.commonPrefixes().stream().map(CommonPrefix::prefix).toList());
        assertEquals(3, top.keyCount(), "KeyCount counts keys and common prefixes");
        assertEquals("/", top.delimiter());

        ListObjectsV2Response nested =
                s3.listObjectsV2(b -> b.bucket(bucket).prefix("photos/").delimiter("/"));
        assertEquals(List.of(), nested.contents());
        assertEquals(
                List.of("photos/2024/", "photos/2025/"),
                nested.commonPrefixes().stream().map(CommonPrefix::prefix).toList());

        ListObjectsResponse v1 = s3.listObjects(b -> b.bucket(bucket).delimiter("/"));
        assertEquals(
                List.of("photosynthesis.txt"),
                v1.contents().stream().map(S3Object::key).toList());
        assertEquals(
                List.of("photos/", "videos/"),
                v1.commonPrefixes().stream().map(CommonPrefix::prefix).toList());
    }

    @Test
    void v2PagesWithMaxKeysAndContinuationToken() {
        String bucket = bucketWith("v2-paging", PHOTO_KEYS);

        ListObjectsV2Response page1 = s3.listObjectsV2(b -> b.bucket(bucket).maxKeys(2));
        assertEquals(
                PHOTO_KEYS.subList(0, 2),
                page1.contents().stream().map(S3Object::key).toList());
        assertTrue(page1.isTruncated());
        assertEquals(2, page1.keyCount());
        assertEquals(2, page1.maxKeys());
        assertNotNull(page1.nextContinuationToken());

        ListObjectsV2Response page2 =
                s3.listObjectsV2(b -> b.bucket(bucket).maxKeys(2).continuationToken(page1.nextContinuationToken()));
        assertEquals(
                PHOTO_KEYS.subList(2, 4),
                page2.contents().stream().map(S3Object::key).toList());
        assertTrue(page2.isTruncated());
        assertEquals(page1.nextContinuationToken(), page2.continuationToken());

        ListObjectsV2Response page3 =
                s3.listObjectsV2(b -> b.bucket(bucket).maxKeys(2).continuationToken(page2.nextContinuationToken()));
        assertEquals(
                PHOTO_KEYS.subList(4, 5),
                page3.contents().stream().map(S3Object::key).toList());
        assertFalse(page3.isTruncated());
        assertNull(page3.nextContinuationToken());
    }

    @Test
    void v2StartAfterSkipsUpToAndIncludingTheGivenKey() {
        String bucket = bucketWith("start-after", PHOTO_KEYS);
        assertEquals(
                PHOTO_KEYS.subList(2, 5),
                s3.listObjectsV2(b -> b.bucket(bucket).startAfter("photos/2024/jan.jpg")).contents().stream()
                        .map(S3Object::key)
                        .toList());
        assertEquals(
                PHOTO_KEYS.subList(3, 5),
                s3.listObjectsV2(b -> b.bucket(bucket).startAfter("photos/3")).contents().stream()
                        .map(S3Object::key)
                        .toList(),
                "start-after need not be an existing key");
        ListObjectsV2Response paged = s3.listObjectsV2(
                b -> b.bucket(bucket).startAfter("photos/2024/feb.jpg").maxKeys(1));
        assertEquals(
                List.of("photos/2024/jan.jpg"),
                paged.contents().stream().map(S3Object::key).toList());
        assertTrue(paged.isTruncated());
        assertEquals("photos/2024/feb.jpg", paged.startAfter());
    }

    @Test
    void v2MaxKeysCountsCommonPrefixesWhenPaging() {
        String bucket = bucketWith("prefix-paging", List.of("a/1", "a/2", "b", "c/1", "d"));
        List<List<String>> pages = new ArrayList<>();
        String token = null;
        for (int i = 0; i < 10; i++) {
            String t = token;
            ListObjectsV2Response page = s3.listObjectsV2(
                    b -> b.bucket(bucket).delimiter("/").maxKeys(1).continuationToken(t));
            List<String> entries = new ArrayList<>(
                    page.commonPrefixes().stream().map(CommonPrefix::prefix).toList());
            entries.addAll(page.contents().stream().map(S3Object::key).toList());
            pages.add(entries);
            if (!page.isTruncated()) {
                break;
            }
            token = page.nextContinuationToken();
        }
        assertEquals(List.of(List.of("a/"), List.of("b"), List.of("c/"), List.of("d")), pages);
    }

    /**
     * A delimiter listing seeks past the keys under each common prefix (issue 18: it used to read them
     * all, a million rows for a page of prefixes). The seek lands on the prefix's successor inclusive, so
     * keys right there ({@code d1} after {@code d0/}, {@code d10} after {@code d1/...}) are listed.
     */
    @Test
    void delimiterPagesAreExactAcrossManyKeysUnderEachPrefix() {
        List<String> keys = new ArrayList<>();
        for (int d = 0; d < 10; d++) {
            for (int k = 0; k < 12; k++) {
                keys.add("d" + d + "/" + (k % 5 == 0 ? "sub/" : "") + "k" + k);
            }
        }
        keys.addAll(List.of("d1", "d10", "d1/", "d1-x", "d0\uFFFD", "d0/\uD83D\uDE00", "e"));
        String bucket = bucketWith("many-under-prefixes", keys);
        List<String> sorted = new ArrayList<>(keys);
        sorted.sort((x, y) -> java.util.Arrays.compareUnsigned(
                x.getBytes(StandardCharsets.UTF_8), y.getBytes(StandardCharsets.UTF_8)));
        for (String prefix : List.of("", "d1/")) {
            List<String> expected = new ArrayList<>();
            for (String key : sorted) {
                if (!key.startsWith(prefix)) {
                    continue;
                }
                int i = key.indexOf('/', prefix.length());
                String entry = i >= 0 ? key.substring(0, i + 1) : key;
                if (!expected.contains(entry)) {
                    expected.add(entry);
                }
            }
            for (int maxKeys : prefix.isEmpty() ? List.of(4, 1000) : List.of(1, 1000)) {
                List<String> listed = new ArrayList<>();
                String token = null;
                do {
                    String t = token;
                    ListObjectsV2Response page = s3.listObjectsV2(b -> b.bucket(bucket)
                            .prefix(prefix)
                            .delimiter("/")
                            .maxKeys(maxKeys)
                            .continuationToken(t));
                    List<String> entries = new ArrayList<>(page.commonPrefixes().stream()
                            .map(CommonPrefix::prefix)
                            .toList());
                    entries.addAll(page.contents().stream().map(S3Object::key).toList());
                    entries.sort((x, y) -> java.util.Arrays.compareUnsigned(
                            x.getBytes(StandardCharsets.UTF_8), y.getBytes(StandardCharsets.UTF_8)));
                    listed.addAll(entries);
                    token = page.isTruncated() ? page.nextContinuationToken() : null;
                } while (token != null);
                assertEquals(expected, listed, "prefix '" + prefix + "', max-keys " + maxKeys);

                List<String> versions = new ArrayList<>();
                String keyMarker = null;
                boolean truncated;
                do {
                    String m = keyMarker;
                    var page = s3.listObjectVersions(b -> b.bucket(bucket)
                            .prefix(prefix)
                            .delimiter("/")
                            .maxKeys(maxKeys)
                            .keyMarker(m));
                    List<String> entries = new ArrayList<>(page.commonPrefixes().stream()
                            .map(CommonPrefix::prefix)
                            .toList());
                    entries.addAll(page.versions().stream().map(v -> v.key()).toList());
                    entries.sort((x, y) -> java.util.Arrays.compareUnsigned(
                            x.getBytes(StandardCharsets.UTF_8), y.getBytes(StandardCharsets.UTF_8)));
                    versions.addAll(entries);
                    truncated = page.isTruncated();
                    keyMarker = page.nextKeyMarker();
                } while (truncated);
                assertEquals(expected, versions, "versions, prefix '" + prefix + "', max-keys " + maxKeys);
            }
        }
    }

    @Test
    void v1PagesWithMaxKeysAndMarker() {
        String bucket = bucketWith("v1-paging", PHOTO_KEYS);

        ListObjectsResponse page1 = s3.listObjects(b -> b.bucket(bucket).maxKeys(2));
        assertEquals(
                PHOTO_KEYS.subList(0, 2),
                page1.contents().stream().map(S3Object::key).toList());
        assertTrue(page1.isTruncated());
        assertEquals(2, page1.maxKeys());

        ListObjectsResponse page2 =
                s3.listObjects(b -> b.bucket(bucket).maxKeys(2).marker(PHOTO_KEYS.get(1)));
        assertEquals(
                PHOTO_KEYS.subList(2, 4),
                page2.contents().stream().map(S3Object::key).toList());
        assertTrue(page2.isTruncated());
        assertEquals(PHOTO_KEYS.get(1), page2.marker());

        ListObjectsResponse page3 =
                s3.listObjects(b -> b.bucket(bucket).maxKeys(2).marker(PHOTO_KEYS.get(3)));
        assertEquals(
                PHOTO_KEYS.subList(4, 5),
                page3.contents().stream().map(S3Object::key).toList());
        assertFalse(page3.isTruncated());

        List<String> all = new ArrayList<>();
        String marker = null;
        for (int i = 0; i < 10; i++) {
            String m = marker;
            ListObjectsResponse page =
                    s3.listObjects(b -> b.bucket(bucket).maxKeys(2).marker(m));
            page.contents().forEach(o -> all.add(o.key()));
            if (!page.isTruncated()) {
                break;
            }
            marker = page.nextMarker() != null ? page.nextMarker() : all.get(all.size() - 1);
        }
        assertEquals(PHOTO_KEYS, all, "walking marker pages the way clients do yields every key once");
    }

    @Test
    void v1WithDelimiterReturnsNextMarkerWhenTruncated() {
        String bucket = bucketWith("v1-next-marker", List.of("a/1", "a/2", "b", "c/1"));
        ListObjectsResponse page1 =
                s3.listObjects(b -> b.bucket(bucket).delimiter("/").maxKeys(2));
        assertEquals(
                List.of("a/"),
                page1.commonPrefixes().stream().map(CommonPrefix::prefix).toList());
        assertEquals(List.of("b"), page1.contents().stream().map(S3Object::key).toList());
        assertTrue(page1.isTruncated());
        assertEquals("b", page1.nextMarker());

        ListObjectsResponse page2 =
                s3.listObjects(b -> b.bucket(bucket).delimiter("/").maxKeys(2).marker("b"));
        assertEquals(
                List.of("c/"),
                page2.commonPrefixes().stream().map(CommonPrefix::prefix).toList());
        assertEquals(List.of(), page2.contents());
        assertFalse(page2.isTruncated());
    }

    @Test
    void encodingTypeUrlEncodesKeysPrefixesAndDelimiterInRawXml() {
        List<String> keys = List.of("dir one/a+b é&.txt", "dir one/plain", "top%2Fliteral");
        String bucket = bucketWith("encoding-type", keys);
        RawHttp raw = server.raw();

        RawHttp.Response v2 = raw.get("/" + bucket + "?list-type=2&encoding-type=url&prefix=dir%20one%2F");
        assertEquals(200, v2.status(), v2::toString);
        Document doc = parseXml(v2.body());
        assertEquals("url", text(doc, "EncodingType"));
        assertEquals("dir one/", decode(text(doc, "Prefix")));
        List<String> encodedKeys = childTexts(doc, "Contents", "Key");
        assertEquals(
                List.of("dir one/a+b é&.txt", "dir one/plain"),
                encodedKeys.stream().map(ListObjectsTest::decode).toList());
        for (String encoded : encodedKeys) {
            assertTrue(
                    encoded.chars().allMatch(c -> c > 0x20 && c < 0x7f),
                    "URL-encoded key is printable ASCII: " + encoded);
            assertFalse(encoded.contains("+"), "a literal '+' must be %2B (clients decode '+' as space): " + encoded);
        }

        RawHttp.Response withDelimiter = raw.get("/" + bucket + "?list-type=2&encoding-type=url&delimiter=%2F");
        Document d = parseXml(withDelimiter.body());
        assertEquals(
                List.of("dir one/"),
                childTexts(d, "CommonPrefixes", "Prefix").stream()
                        .map(ListObjectsTest::decode)
                        .toList());
        assertEquals(
                List.of("top%2Fliteral"),
                childTexts(d, "Contents", "Key").stream()
                        .map(ListObjectsTest::decode)
                        .toList());
        assertEquals("/", decode(text(d, "Delimiter")));

        RawHttp.Response v1 = raw.get("/" + bucket + "?encoding-type=url&prefix=dir%20one%2F");
        Document d1 = parseXml(v1.body());
        assertEquals("url", text(d1, "EncodingType"));
        assertEquals(
                "dir one/",
                text(d1, "Prefix"),
                "ListObjects (v1) echoes its Prefix as sent, as S3 does (boto3 decodes no v1 Prefix)");
        assertEquals(
                List.of("dir one/a+b é&.txt", "dir one/plain"),
                childTexts(d1, "Contents", "Key").stream()
                        .map(ListObjectsTest::decode)
                        .toList());
    }

    @Test
    void withoutEncodingTypeKeysAreXmlEscapedVerbatim() {
        List<String> keys = List.of("amp&lt<gt>\"quote'", "space key+plus", "top%2Fliteral");
        String bucket = bucketWith("no-encoding-type", keys);

        RawHttp.Response response = server.raw().get("/" + bucket + "?list-type=2");
        Document doc = parseXml(response.body());
        assertNull(text(doc, "EncodingType"));
        assertEquals(keys.stream().sorted(TestData.UTF8_ORDER).toList(), childTexts(doc, "Contents", "Key"));
        assertEquals(
                keys.stream().sorted(TestData.UTF8_ORDER).toList(),
                s3.listObjectsV2(b -> b.bucket(bucket)).contents().stream()
                        .map(S3Object::key)
                        .toList());
    }

    @Test
    void maxKeysZeroListsNothingAndIsNotTruncated() {
        String bucket = bucketWith("max-keys-zero", List.of("a", "b"));
        ListObjectsV2Response v2 = s3.listObjectsV2(b -> b.bucket(bucket).maxKeys(0));
        assertEquals(List.of(), v2.contents());
        assertEquals(0, v2.keyCount());
        assertEquals(0, v2.maxKeys());
        assertFalse(v2.isTruncated());
        assertNull(v2.nextContinuationToken());
        ListObjectsResponse v1 = s3.listObjects(b -> b.bucket(bucket).maxKeys(0));
        assertEquals(List.of(), v1.contents());
        assertFalse(v1.isTruncated());
        assertNull(v1.nextMarker());
    }

    /** boto3 sends {@code encoding-type=url} on every listing and decodes what S3 encodes; a control character comes back as sent. */
    @Test
    void aPrefixWithAControlCharacterComesBackAsSentToBoto3() {
        String bucket = bucketWith("control-prefix", List.of("foo/bar", "quux"));
        String out = Boto3.run(server, work, """
                for name, call in (("v1", s3.list_objects), ("v2", s3.list_objects_v2)):
                    r = call(Bucket="%s", Prefix="\\x0a", Delimiter="\\x0a")
                    print(name, json.dumps([r["Prefix"], r["Delimiter"], r.get("Contents", []), r.get("CommonPrefixes", [])]))
                """.formatted(bucket));
        assertEquals("v1 [\"\\n\", \"\\n\", [], []]\nv2 [\"\\n\", \"\\n\", [], []]\n", out);
    }

    @Test
    void listingAMissingBucketIsNoSuchBucket() {
        assertSdkError(404, "NoSuchBucket", () -> s3.listObjectsV2(b -> b.bucket("list-missing")));
        assertSdkError(404, "NoSuchBucket", () -> s3.listObjects(b -> b.bucket("list-missing")));
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
