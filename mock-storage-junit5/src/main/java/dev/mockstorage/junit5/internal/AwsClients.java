package dev.mockstorage.junit5.internal;

import dev.mockstorage.server.MockStorageServer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The only class that touches the AWS SDK; loaded only when {@code S3Client} is on the classpath and
 * a test asks for a client. Path-style clients bound to one server, built on first use, closed with it.
 */
final class AwsClients implements AutoCloseable {

    private final MockStorageServer server;
    private S3Client sync;
    private S3AsyncClient async;

    AwsClients(MockStorageServer server) {
        this.server = server;
    }

    /** The client of that type (S3Client or S3AsyncClient). */
    synchronized Object client(Class<?> type) {
        StaticCredentialsProvider credentials =
                StaticCredentialsProvider.create(AwsBasicCredentials.create(server.accessKey(), server.secretKey()));
        if (type == S3Client.class) {
            if (sync == null) {
                sync = S3Client.builder()
                        .endpointOverride(server.endpoint())
                        .region(Region.of(server.region()))
                        .credentialsProvider(credentials)
                        .forcePathStyle(true)
                        .build();
            }
            return sync;
        }
        if (type == S3AsyncClient.class) {
            if (async == null) {
                async = S3AsyncClient.builder()
                        .endpointOverride(server.endpoint())
                        .region(Region.of(server.region()))
                        .credentialsProvider(credentials)
                        .forcePathStyle(true)
                        .build();
            }
            return async;
        }
        throw new IllegalArgumentException("not an AWS SDK client type: " + type.getName());
    }

    @Override
    public synchronized void close() {
        try {
            if (sync != null) {
                sync.close();
            }
        } finally {
            if (async != null) {
                async.close();
            }
        }
    }
}
