package com.example.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mockstorage.MockStorageRuntime;
import dev.mockstorage.testcontainer.MockStorageContainer;
import dev.mockstorage.thirdparty.Match;
import dev.mockstorage.thirdparty.Reply;
import dev.mockstorage.thirdparty.ThirdPartyScript;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The container way in, from mock-storage-testcontainer's coordinates alone: the image is built from the jar
 * on the first start when the Docker engine does not have it (no registry, no checkout of mock-storage).
 */
@Testcontainers
class UploadServiceContainerTest {

    @Container
    static MockStorageContainer storage = new MockStorageContainer().withBuckets("uploads");

    @Test
    void storesAnUploadAndReadsAMissThroughTheScriptedUpstream() {
        MockStorageRuntime runtime = storage.runtime();
        runtime.thirdParty().script(ThirdPartyScript.when(Match.get("uploads", "from-upstream.txt"))
                .respond(Reply.ok("fetched")));
        try (S3Client s3 = S3Client.builder()
                .endpointOverride(storage.getS3Endpoint())
                .region(Region.of(storage.getRegion()))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(storage.getAccessKey(), storage.getSecretKey())))
                .forcePathStyle(true)
                .build()) {
            s3.putObject(b -> b.bucket("uploads").key("a.txt"), RequestBody.fromString("hello"));
            assertEquals("hello", s3.getObjectAsBytes(b -> b.bucket("uploads").key("a.txt")).asUtf8String());
            assertEquals("fetched", s3.getObjectAsBytes(b -> b.bucket("uploads").key("from-upstream.txt")).asUtf8String());
        }
        runtime.thirdParty().verify(Match.get("uploads", "from-upstream.txt"));
        runtime.awaitIdle(Duration.ofSeconds(10));
        assertEquals(2, runtime.stats().objects().count());
    }
}
