package dev.mockstorage.internal.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The real AWS SDK v2 against the adapter with a toy object handler: its default wire formats
 * (signed aws-chunked with a CRC32 trailer and Expect: 100-continue for 1 MiB+ on the sync client;
 * unsigned aws-chunked on the async Netty client, which never sends a body without 100 Continue).
 */
class SdkWireTest {
    private final Map<String, byte[]> objects = new ConcurrentHashMap<>();
    private final Map<String, Map<String, String>> trailers = new ConcurrentHashMap<>();
    private final Map<String, String> expect = new ConcurrentHashMap<>();
    private HttpServer server;
    private URI endpoint;

    @BeforeEach
    void start() throws IOException {
        server = new HttpServer("127.0.0.1", 0, this::handle);
        server.start();
        endpoint = URI.create("http://127.0.0.1:" + server.port());
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    private HttpResponse handle(HttpRequest r) throws IOException {
        String key = PercentCodec.decode(r.rawPath());
        switch (r.method()) {
            case "PUT":
                byte[] body = r.body().readAllBytes();
                if (r.declaredBodyLength() >= 0 && r.declaredBodyLength() != body.length) {
                    return HttpResponse.status(400);
                }
                objects.put(key, body);
                trailers.put(key, Map.copyOf(r.trailers()));
                expect.put(key, String.valueOf(r.header("expect")));
                return HttpResponse.status(200).header("ETag", "\"" + Arrays.hashCode(body) + "\"");
            case "GET":
            case "HEAD":
                byte[] data = objects.get(key);
                if (data == null) {
                    return HttpResponse.status(404).body("<Error><Code>NoSuchKey</Code></Error>", "application/xml");
                }
                HttpResponse ok = HttpResponse.status(200)
                        .header("ETag", "\"" + Arrays.hashCode(data) + "\"")
                        .header("Content-Type", "application/octet-stream");
                return r.method().equals("HEAD") ? ok.contentLengthOnly(data.length) : ok.body(data);
            default:
                return HttpResponse.status(405);
        }
    }

    @Test
    void syncClientPutsSmallAndLargeObjectsAndGetsThemBack() {
        try (S3Client s3 = S3Client.builder()
                .endpointOverride(endpoint)
                .forcePathStyle(true)
                .region(Region.US_EAST_1)
                .credentialsProvider(credentials())
                .build()) {
            byte[] small = "hello world\n".getBytes();
            byte[] large = new byte[3 * 1024 * 1024 + 17];
            new java.util.Random(7).nextBytes(large);
            s3.putObject(b -> b.bucket("bkt").key("dir/with space+plus.txt"), RequestBody.fromBytes(small));
            s3.putObject(b -> b.bucket("bkt").key("large.bin"), RequestBody.fromBytes(large));

            assertArrayEquals(small, objects.get("/bkt/dir/with space+plus.txt"));
            assertEquals(
                    "rwg7LQ==", trailers.get("/bkt/dir/with space+plus.txt").get("x-amz-checksum-crc32"));
            assertArrayEquals(
                    large,
                    s3.getObject(b -> b.bucket("bkt").key("large.bin"), ResponseTransformer.toBytes())
                            .asByteArray());
            assertEquals(
                    large.length,
                    s3.headObject(b -> b.bucket("bkt").key("large.bin")).contentLength());
            assertEquals("100-continue", expect.get("/bkt/large.bin"), "the SDK asked for 100 Continue");
        }
    }

    @Test
    void asyncNettyClientWaitsFor100ContinueAndGetsIt() throws Exception {
        try (S3AsyncClient s3 = S3AsyncClient.builder()
                .endpointOverride(endpoint)
                .forcePathStyle(true)
                .region(Region.US_EAST_1)
                .credentialsProvider(credentials())
                .build()) {
            byte[] data = new byte[2 * 1024 * 1024];
            new java.util.Random(3).nextBytes(data);
            s3.putObject(b -> b.bucket("bkt").key("async.bin"), AsyncRequestBody.fromBytes(data))
                    .get(20, TimeUnit.SECONDS);
            assertArrayEquals(data, objects.get("/bkt/async.bin"));
            assertTrue(trailers.get("/bkt/async.bin").containsKey("x-amz-checksum-crc32"));
            assertEquals("100-continue", expect.get("/bkt/async.bin"));
        }
    }

    private static StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create("mock-access-key", "mock-secret-key"));
    }
}
