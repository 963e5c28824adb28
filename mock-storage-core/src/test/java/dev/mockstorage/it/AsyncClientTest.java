package dev.mockstorage.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The async client with its default HTTP client (Netty): it sends unsigned aws-chunked bodies with
 * a CRC32 trailer and, from 1 MiB on, {@code Expect: 100-continue}, and never sends the body
 * without a {@code 100 Continue}.
 */
class AsyncClientTest {

    @StartStop
    final TestServer server = TestServer.create();

    S3AsyncClient async;

    @BeforeEach
    void start() {
        async = server.async();
    }

    private static <T> T join(CompletableFuture<T> future) throws Exception {
        return future.get(60, TimeUnit.SECONDS);
    }

    @Test
    void putGetListAndDeleteThroughTheAsyncClient() throws Exception {
        join(async.createBucket(b -> b.bucket("async-bucket")));
        byte[] big = TestData.pattern(2 * 1024 * 1024 + 3, 5);
        byte[] small = TestData.utf8("async hello");

        PutObjectResponse putBig = join(
                async.putObject(b -> b.bucket("async-bucket").key("dir/big.bin"), AsyncRequestBody.fromBytes(big)));
        PutObjectResponse putSmall = join(
                async.putObject(b -> b.bucket("async-bucket").key("dir/small.txt"), AsyncRequestBody.fromBytes(small)));
        assertEquals(TestData.etag(big), putBig.eTag());
        assertEquals(TestData.etag(small), putSmall.eTag());

        ResponseBytes<GetObjectResponse> gotBig = join(
                async.getObject(b -> b.bucket("async-bucket").key("dir/big.bin"), AsyncResponseTransformer.toBytes()));
        assertArrayEquals(big, gotBig.asByteArray());
        ResponseBytes<GetObjectResponse> gotSmall = join(async.getObject(
                b -> b.bucket("async-bucket").key("dir/small.txt"), AsyncResponseTransformer.toBytes()));
        assertArrayEquals(small, gotSmall.asByteArray());

        List<String> keys = join(
                        async.listObjectsV2(b -> b.bucket("async-bucket").prefix("dir/")))
                .contents()
                .stream()
                .map(S3Object::key)
                .toList();
        assertEquals(List.of("dir/big.bin", "dir/small.txt"), keys);

        assertEquals(
                204,
                join(async.deleteObject(b -> b.bucket("async-bucket").key("dir/big.bin")))
                        .sdkHttpResponse()
                        .statusCode());
        assertEquals(
                List.of("dir/small.txt"),
                join(async.listObjectsV2(b -> b.bucket("async-bucket"))).contents().stream()
                        .map(S3Object::key)
                        .toList());

        CompletableFuture<ResponseBytes<GetObjectResponse>> missing =
                async.getObject(b -> b.bucket("async-bucket").key("dir/big.bin"), AsyncResponseTransformer.toBytes());
        CompletionException e = assertThrows(CompletionException.class, missing::join);
        assertInstanceOf(NoSuchKeyException.class, e.getCause());
    }

    @Test
    void concurrentAsyncPutsToDistinctKeysAllLand() throws Exception {
        join(async.createBucket(b -> b.bucket("async-many")));
        List<CompletableFuture<PutObjectResponse>> puts = new java.util.ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String key = "k" + i;
            puts.add(
                    async.putObject(b -> b.bucket("async-many").key(key), AsyncRequestBody.fromString("value " + key)));
        }
        join(CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new)));
        assertEquals(8, join(async.listObjectsV2(b -> b.bucket("async-many"))).keyCount());
        for (int i = 0; i < 8; i++) {
            String key = "k" + i;
            assertEquals(
                    "value " + key,
                    join(async.getObject(b -> b.bucket("async-many").key(key), AsyncResponseTransformer.toBytes()))
                            .asUtf8String());
        }
    }
}
