package dev.mockstorage.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mockstorage.testing.RawHttp;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * {@code server.max_connections} end to end: a connection beyond the limit gets S3's
 * {@code 503 SlowDown} as XML, which the SDK reports (and by default retries), and is closed; once a
 * connection closes there is room again. The refusal is not a request: the journal does not record it.
 * The 3 000-connection, slowloris and timeout cases are {@code ConnectionLimitsTest} (in {@code http}).
 */
class ConnectionLimitTest {

    @StartStop
    final TestServer t = TestServer.create(b -> b.setting("server.max_connections", "2"));

    @Test
    void aConnectionBeyondTheLimitIsAnsweredSlowDownAsS3XmlAndThereIsRoomOnceOneCloses() throws Exception {
        try (S3Client noRetries = S3Client.builder()
                .endpointOverride(t.endpoint())
                .forcePathStyle(true)
                .region(Region.US_EAST_1)
                .credentialsProvider(TestServer.credentials(t.server()))
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build()) {
            Socket first = new Socket(t.endpoint().getHost(), t.endpoint().getPort());
            try (Socket second = new Socket(t.endpoint().getHost(), t.endpoint().getPort())) {
                RawHttp.Response refused = t.raw().get("/");
                assertEquals(503, refused.status(), refused::toString);
                assertEquals("close", refused.header("Connection"));
                assertEquals("application/xml", refused.header("Content-Type"));
                assertTrue(refused.bodyText().contains("<Code>SlowDown</Code>"), refused::toString);
                assertTrue(refused.bodyText().contains("2 open connections"), refused::toString);

                S3Exception e = assertThrows(S3Exception.class, noRetries::listBuckets);
                assertEquals(503, e.statusCode());
                assertEquals("SlowDown", e.awsErrorDetails().errorCode());
                assertEquals(0, t.server().requests().all().size(), "a refused connection sent no request");

                first.close();
                await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> {
                    noRetries.listBuckets();
                    return true;
                });
                assertTrue(second.isConnected());
            }
        }
    }
}
