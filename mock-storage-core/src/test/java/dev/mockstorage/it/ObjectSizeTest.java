package dev.mockstorage.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

/**
 * Body sizes that change what the SDK sends: empty, just above 1 MiB (the SDK adds
 * {@code Expect: 100-continue}), and 20 MiB streamed from an InputStream (160 aws-chunked chunks),
 * compared byte-exactly through MD5.
 */
class ObjectSizeTest {

    static final String BUCKET = "sizes";

    @StartStop
    static final TestServer server = TestServer.create();

    static S3Client s3;

    @BeforeAll
    static void start() {
        s3 = server.s3();
        server.createBucket(BUCKET);
    }

    @Test
    void emptyObject() {
        PutObjectResponse put = s3.putObject(b -> b.bucket(BUCKET).key("empty"), RequestBody.empty());
        assertEquals("\"d41d8cd98f00b204e9800998ecf8427e\"", put.eTag());

        ResponseBytes<GetObjectResponse> got =
                s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("empty"));
        assertEquals(0, got.asByteArray().length);
        assertEquals(0L, got.response().contentLength());
        assertEquals(0L, s3.headObject(b -> b.bucket(BUCKET).key("empty")).contentLength());
        assertEquals(
                0L,
                s3.listObjectsV2(b -> b.bucket(BUCKET).prefix("empty"))
                        .contents()
                        .get(0)
                        .size());
    }

    @Test
    void oneMebibytePlusOneIsSentWithExpectContinue() {
        byte[] body = TestData.pattern(1024 * 1024 + 1, 1);
        PutObjectResponse put =
                s3.putObject(b -> b.bucket(BUCKET).key("one-mib-plus-one"), RequestBody.fromBytes(body));
        assertEquals(TestData.etag(body), put.eTag());

        ResponseBytes<GetObjectResponse> got =
                s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("one-mib-plus-one"));
        assertArrayEquals(body, got.asByteArray());
        assertEquals(body.length, got.response().contentLength());
    }

    @Test
    void twentyMebibytesStreamedFromAnInputStream() throws Exception {
        long size = 20L * 1024 * 1024;
        String expectedMd5 = TestData.md5HexOf(new TestData.PatternInputStream(size, 20));

        PutObjectResponse put = s3.putObject(
                b -> b.bucket(BUCKET).key("big/20mib.bin"),
                RequestBody.fromInputStream(new TestData.PatternInputStream(size, 20), size));
        assertEquals("\"" + expectedMd5 + "\"", put.eTag());

        try (ResponseInputStream<GetObjectResponse> in =
                s3.getObject(b -> b.bucket(BUCKET).key("big/20mib.bin"))) {
            assertEquals(size, in.response().contentLength());
            assertEquals(expectedMd5, TestData.md5HexOf(in));
        }
        assertEquals(
                size, s3.headObject(b -> b.bucket(BUCKET).key("big/20mib.bin")).contentLength());
    }
}
