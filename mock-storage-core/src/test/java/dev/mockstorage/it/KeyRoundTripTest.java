package dev.mockstorage.it;

import static dev.mockstorage.it.S3Assertions.assertSdkError;
import static dev.mockstorage.it.TestData.etag;
import static dev.mockstorage.it.TestData.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Keys survive put, get, head, copy, list and delete byte for byte through the SDK, whatever
 * characters they hold: the SDK percent-encodes them (a second slash as {@code %2F}, {@code +} as
 * {@code %2B}, {@code %} as {@code %25}) and never normalises {@code .} or {@code ..} segments.
 * Length limit: 1024 UTF-8 bytes.
 */
class KeyRoundTripTest {

    static final String BUCKET = "keys";

    static List<String> awkwardKeys() {
        return List.of(
                "with space.txt",
                "plus+sign",
                "percent%2Fliteral",
                "double//slash",
                "/leading",
                "trailing/",
                "unicodé/日本.txt",
                "dot/./seg",
                "dotdot/../x",
                "q?mark",
                "hash#x",
                "amp&eq=1",
                "semi;colon",
                "colon:at@",
                "tilde~star*");
    }

    @StartStop
    static final TestServer server = TestServer.create();

    static S3Client s3;

    @BeforeAll
    static void start() {
        s3 = server.s3();
        server.createBucket(BUCKET);
    }

    @ParameterizedTest
    @MethodSource("awkwardKeys")
    void keyRoundTripsThroughPutGetHeadListAndDelete(String key) {
        byte[] body = utf8("content of " + key);
        s3.putObject(
                b -> b.bucket(BUCKET).key(key).metadata(Map.of("key-length", Integer.toString(key.length()))),
                RequestBody.fromBytes(body));

        assertArrayEquals(
                body, s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asByteArray());
        assertEquals(etag(body), s3.headObject(b -> b.bucket(BUCKET).key(key)).eTag());
        List<String> listed = s3.listObjectsV2(b -> b.bucket(BUCKET).prefix(key)).contents().stream()
                .map(S3Object::key)
                .toList();
        assertEquals(List.of(key), listed, "listing with the key as prefix finds exactly the key");

        String copy = "copy-of/" + key;
        s3.copyObject(b ->
                b.sourceBucket(BUCKET).sourceKey(key).destinationBucket(BUCKET).destinationKey(copy));
        assertArrayEquals(
                body, s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(copy)).asByteArray());

        s3.deleteObject(b -> b.bucket(BUCKET).key(copy));
        s3.deleteObject(b -> b.bucket(BUCKET).key(key));
        assertSdkError(
                404,
                "NoSuchKey",
                () -> s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)));
    }

    @Test
    void allAwkwardKeysAreListedExactlyInUtf8Order() {
        String bucket = server.createBucket("keys-listed");
        for (String key : awkwardKeys()) {
            s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString(key));
        }
        List<String> listed = s3.listObjectsV2Paginator(b -> b.bucket(bucket).maxKeys(4)).contents().stream()
                .map(S3Object::key)
                .toList();
        assertEquals(awkwardKeys().stream().sorted(TestData.UTF8_ORDER).toList(), listed);
        for (String key : awkwardKeys()) {
            assertEquals(
                    key, s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asUtf8String());
        }
    }

    @Test
    void keysDifferingOnlyInSlashesOrDotsAreDistinctObjects() {
        String bucket = server.createBucket("keys-distinct");
        List<String> keys = List.of("a/b", "a//b", "/a/b", "a/./b", "a/x/../b");
        for (String key : keys) {
            s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString("v:" + key));
        }
        for (String key : keys) {
            assertEquals(
                    "v:" + key,
                    s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asUtf8String(),
                    key);
        }
        assertEquals(
                keys.stream().sorted(TestData.UTF8_ORDER).toList(),
                s3.listObjectsV2(b -> b.bucket(bucket)).contents().stream()
                        .map(S3Object::key)
                        .toList());
    }

    @Test
    void keyOf1024Utf8BytesIsAcceptedAnd1025IsKeyTooLong() {
        String key1024 = "日".repeat(341) + "k"; // 341 * 3 + 1 = 1024 bytes
        assertEquals(1024, utf8(key1024).length);
        s3.putObject(b -> b.bucket(BUCKET).key(key1024), RequestBody.fromString("long"));
        assertEquals(
                "long", s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key1024)).asUtf8String());
        assertEquals(
                List.of(key1024),
                s3.listObjectsV2(b -> b.bucket(BUCKET).prefix("日日日")).contents().stream()
                        .map(S3Object::key)
                        .toList());

        String key1025 = "日".repeat(341) + "kk";
        assertSdkError(
                400,
                "KeyTooLongError",
                () -> s3.putObject(b -> b.bucket(BUCKET).key(key1025), RequestBody.fromString("too long")));
        String ascii1025 = "a".repeat(1025);
        assertSdkError(
                400,
                "KeyTooLongError",
                () -> s3.putObject(b -> b.bucket(BUCKET).key(ascii1025), RequestBody.fromString("too long")));
        assertEquals(
                List.of(),
                s3.listObjectsV2(b -> b.bucket(BUCKET).prefix("aaaa")).contents());

        s3.deleteObject(b -> b.bucket(BUCKET).key(key1024));
    }
}
