package dev.mockstorage.it;

import static dev.mockstorage.it.S3Assertions.assertS3Error;
import static dev.mockstorage.it.S3Assertions.assertSdkError;
import static dev.mockstorage.it.TestData.crc32Base64;
import static dev.mockstorage.it.TestData.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.mockstorage.testing.RawHttp;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Flexible checksums. The SDK at its defaults sends PutObject as signed aws-chunked with the
 * checksum in a trailer; GetObject/HeadObject with {@code checksumMode(ENABLED)} must return the
 * same value, which the SDK then verifies against the bytes. Wrong checksums (raw requests) are
 * BadDigest and store nothing. Expected values are computed here with the JDK.
 */
class ChecksumTest {

    /** 200 KiB: two aws-chunked chunks (the SDK chunks at 128 KiB), still below the Expect threshold. */
    static final byte[] BODY = TestData.pattern(200 * 1024, 11);

    enum Algorithm {
        CRC32(
                ChecksumAlgorithm.CRC32,
                TestData::crc32Base64,
                PutObjectResponse::checksumCRC32,
                HeadObjectResponse::checksumCRC32,
                GetObjectResponse::checksumCRC32),
        CRC32C(
                ChecksumAlgorithm.CRC32_C,
                TestData::crc32cBase64,
                PutObjectResponse::checksumCRC32C,
                HeadObjectResponse::checksumCRC32C,
                GetObjectResponse::checksumCRC32C),
        SHA1(
                ChecksumAlgorithm.SHA1,
                TestData::sha1Base64,
                PutObjectResponse::checksumSHA1,
                HeadObjectResponse::checksumSHA1,
                GetObjectResponse::checksumSHA1),
        SHA256(
                ChecksumAlgorithm.SHA256,
                TestData::sha256Base64,
                PutObjectResponse::checksumSHA256,
                HeadObjectResponse::checksumSHA256,
                GetObjectResponse::checksumSHA256),
        CRC64NVME(
                ChecksumAlgorithm.CRC64_NVME,
                TestData::crc64nvmeBase64,
                PutObjectResponse::checksumCRC64NVME,
                HeadObjectResponse::checksumCRC64NVME,
                GetObjectResponse::checksumCRC64NVME);

        final ChecksumAlgorithm sdk;
        final Function<byte[], String> expected;
        final Function<PutObjectResponse, String> onPut;
        final Function<HeadObjectResponse, String> onHead;
        final Function<GetObjectResponse, String> onGet;

        Algorithm(
                ChecksumAlgorithm sdk,
                Function<byte[], String> expected,
                Function<PutObjectResponse, String> onPut,
                Function<HeadObjectResponse, String> onHead,
                Function<GetObjectResponse, String> onGet) {
            this.sdk = sdk;
            this.expected = expected;
            this.onPut = onPut;
            this.onHead = onHead;
            this.onGet = onGet;
        }
    }

    @StartStop
    static final TestServer server = TestServer.create();

    static S3Client s3;

    @BeforeAll
    static void start() {
        s3 = server.s3();
    }

    @Test
    void crc64nvmeReferenceImplementationMatchesTheCatalogueCheckValue() {
        assertEquals(0xae8b14860a799888L, TestData.crc64nvme("123456789".getBytes(StandardCharsets.US_ASCII)));
    }

    @ParameterizedTest
    @EnumSource(Algorithm.class)
    void checksumSentAtSdkDefaultsIsStoredAndReturnedOnGetAndHead(Algorithm algorithm) {
        String bucket = server.createBucket("checksum-" + algorithm.name().toLowerCase());
        String expected = algorithm.expected.apply(BODY);

        PutObjectResponse put;
        if (algorithm == Algorithm.CRC64NVME) {
            // The SDK computes CRC64NVME only with software.amazon.awssdk.crt:aws-crt on the class path
            // (not a dependency here); a precomputed value is sent as the x-amz-checksum-crc64nvme header.
            put = s3.putObject(
                    b -> b.bucket(bucket).key("obj").checksumCRC64NVME(expected), RequestBody.fromBytes(BODY));
        } else {
            put = s3.putObject(
                    b -> b.bucket(bucket).key("obj").checksumAlgorithm(algorithm.sdk), RequestBody.fromBytes(BODY));
        }
        assertEquals(expected, algorithm.onPut.apply(put), "checksum echoed by PutObject");
        assertEquals(TestData.etag(BODY), put.eTag());

        HeadObjectResponse head = s3.headObject(b -> b.bucket(bucket).key("obj").checksumMode(ChecksumMode.ENABLED));
        assertEquals(expected, algorithm.onHead.apply(head));

        // with checksumMode ENABLED the SDK verifies the body against the returned checksum
        ResponseBytes<GetObjectResponse> got =
                s3.getObjectAsBytes(b -> b.bucket(bucket).key("obj").checksumMode(ChecksumMode.ENABLED));
        assertArrayEquals(BODY, got.asByteArray());
        assertEquals(expected, algorithm.onGet.apply(got.response()));
    }

    @Test
    void plainPutAtSdkDefaultsStoresTheCrc32TheSdkSendsInTheTrailer() {
        String bucket = server.createBucket("checksum-default");
        s3.putObject(b -> b.bucket(bucket).key("plain"), RequestBody.fromString("hello world\n"));

        HeadObjectResponse head =
                s3.headObject(b -> b.bucket(bucket).key("plain").checksumMode(ChecksumMode.ENABLED));
        assertEquals("rwg7LQ==", head.checksumCRC32(), "CRC32 of 'hello world\\n' as the SDK sent it");
        assertEquals(crc32Base64(utf8("hello world\n")), head.checksumCRC32());
        ResponseBytes<GetObjectResponse> got =
                s3.getObjectAsBytes(b -> b.bucket(bucket).key("plain").checksumMode(ChecksumMode.ENABLED));
        assertEquals("hello world\n", got.asUtf8String());
        assertEquals("rwg7LQ==", got.response().checksumCRC32());
    }

    @Test
    void checksumsAreOnlyReturnedWhenAskedForAndNeverOnPartialContent() {
        String bucket = server.createBucket("checksum-mode");
        s3.putObject(
                b -> b.bucket(bucket).key("obj").checksumAlgorithm(ChecksumAlgorithm.CRC32),
                RequestBody.fromBytes(BODY));

        assertNull(
                s3.headObject(b -> b.bucket(bucket).key("obj")).checksumCRC32(),
                "S3 returns checksums only with x-amz-checksum-mode");
        ResponseBytes<GetObjectResponse> ranged = s3.getObjectAsBytes(
                b -> b.bucket(bucket).key("obj").range("bytes=0-9").checksumMode(ChecksumMode.ENABLED));
        assertEquals(206, ranged.response().sdkHttpResponse().statusCode());
        assertArrayEquals(java.util.Arrays.copyOf(BODY, 10), ranged.asByteArray());
        assertNull(ranged.response().checksumCRC32(), "a full-object checksum on a 206 would fail client validation");
    }

    @Test
    void wrongChecksumHeaderIsBadDigestAndStoresNothing() {
        String bucket = server.createBucket("checksum-wrong-header");
        RawHttp raw = server.raw();

        RawHttp.Response response = raw.put(
                "/" + bucket + "/new", Map.of("x-amz-checksum-crc32", crc32Base64(utf8("other"))), utf8("actual body"));

        assertS3Error(response, 400, "BadDigest");
        assertSdkError(
                404,
                "NoSuchKey",
                () -> s3.getObjectAsBytes(b -> b.bucket(bucket).key("new")));
        assertEquals(List.of(), keys(bucket));

        RawHttp.Response sha = raw.put(
                "/" + bucket + "/new",
                Map.of("x-amz-checksum-sha256", TestData.sha256Base64(utf8("x"))),
                utf8("actual body"));
        assertS3Error(sha, 400, "BadDigest");
        assertEquals(List.of(), keys(bucket));
    }

    @Test
    void wrongChecksumOnOverwriteKeepsThePreviousVersion() {
        String bucket = server.createBucket("checksum-keeps-old");
        s3.putObject(b -> b.bucket(bucket).key("doc"), RequestBody.fromString("version one"));

        RawHttp.Response response = server.raw()
                .put(
                        "/" + bucket + "/doc",
                        Map.of("x-amz-checksum-crc32", crc32Base64(utf8("not this"))),
                        utf8("version two"));

        assertS3Error(response, 400, "BadDigest");
        ResponseBytes<GetObjectResponse> got =
                s3.getObjectAsBytes(b -> b.bucket(bucket).key("doc"));
        assertEquals("version one", got.asUtf8String());
        assertEquals(TestData.etag(utf8("version one")), got.response().eTag());
    }

    @Test
    void unsignedAwsChunkedTrailerAsTheAsyncClientSendsItIsVerified() {
        String bucket = server.createBucket("checksum-trailer");
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Encoding", "aws-chunked");
        headers.put("x-amz-content-sha256", "STREAMING-UNSIGNED-PAYLOAD-TRAILER");
        headers.put("x-amz-decoded-content-length", "11");
        headers.put("x-amz-trailer", "x-amz-checksum-crc32");

        String good = "b\r\nasync hello\r\n0\r\nx-amz-checksum-crc32:" + crc32Base64(utf8("async hello")) + "\r\n\r\n";
        RawHttp.Response ok = server.raw().put("/" + bucket + "/good", headers, utf8(good));
        assertEquals(200, ok.status(), ok::toString);
        assertEquals(TestData.etag(utf8("async hello")), ok.header("ETag"));
        assertEquals(
                "async hello",
                s3.getObjectAsBytes(b -> b.bucket(bucket).key("good")).asUtf8String());
        assertEquals(
                crc32Base64(utf8("async hello")),
                s3.headObject(b -> b.bucket(bucket).key("good").checksumMode(ChecksumMode.ENABLED))
                        .checksumCRC32());

        String bad = "b\r\nasync hello\r\n0\r\nx-amz-checksum-crc32:" + crc32Base64(utf8("tampered")) + "\r\n\r\n";
        RawHttp.Response rejected = server.raw().put("/" + bucket + "/bad", headers, utf8(bad));
        assertS3Error(rejected, 400, "BadDigest");
        assertEquals(List.of("good"), keys(bucket));
    }

    private static List<String> keys(String bucket) {
        return s3.listObjectsV2(b -> b.bucket(bucket)).contents().stream()
                .map(S3Object::key)
                .toList();
    }
}
