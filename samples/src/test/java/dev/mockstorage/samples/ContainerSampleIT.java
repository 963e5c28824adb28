package dev.mockstorage.samples;

// README "Testcontainers": copy this class. Without a Docker engine JUnit skips it, saying so
// ("disabledWithoutDocker"); this project's CI makes sure there is one.
// sample:container:start
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mockstorage.testcontainer.MockStorageContainer;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

@Testcontainers(disabledWithoutDocker = true)
class ContainerSampleIT {

    // static: one container for the class (started before the first test, stopped after the last);
    // an instance field would give every test a fresh one
    @Container
    static MockStorageContainer storage = new MockStorageContainer() // the image mock-storage:<version>
            .withBuckets("invoices");                                 // exists once the container is ready

    @Test
    void storesAndReadsAnInvoice() {
        try (S3Client s3 = S3Client.builder()
                .endpointOverride(storage.getS3Endpoint())          // http://localhost:<mapped port>
                .region(Region.of(storage.getRegion()))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(storage.getAccessKey(), storage.getSecretKey())))
                .forcePathStyle(true)                               // path-style: http://host:port/bucket/key
                .build()) {
            s3.putObject(b -> b.bucket("invoices").key("2025/001.txt"), RequestBody.fromString("total: 42"));

            assertEquals("total: 42", s3.getObjectAsBytes(b -> b.bucket("invoices").key("2025/001.txt")).asUtf8String());
        }
    }
}
// sample:container:end
