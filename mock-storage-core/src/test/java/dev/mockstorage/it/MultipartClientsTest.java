package dev.mockstorage.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.transfer.s3.S3TransferManager;
import software.amazon.awssdk.transfer.s3.model.CompletedFileDownload;
import software.amazon.awssdk.transfer.s3.model.CompletedFileUpload;

/**
 * Real multipart clients at their defaults: the SDK's S3TransferManager (multipart-enabled async
 * client, default part size, parallel part GETs on download) and the AWS CLI's {@code s3 cp} with its
 * default 8 MB multipart threshold. Files round-trip byte-exact.
 */
class MultipartClientsTest {
    @TempDir
    static Path work;

    @StartStop
    static final TestServer server = TestServer.create();

    @BeforeAll
    static void start() {
        server.createBucket("transfers");
    }

    static Path file(String name, long size, long seed) throws IOException {
        Path f = work.resolve(name);
        try (InputStream in = new TestData.PatternInputStream(size, seed);
                OutputStream out = Files.newOutputStream(f)) {
            in.transferTo(out);
        }
        return f;
    }

    @Test
    void transferManagerUploadsInPartsAndDownloadsByteExact() throws Exception {
        Path source = file("tm-source.bin", 40L * 1024 * 1024 + 123, 21);
        try (S3AsyncClient async = S3AsyncClient.builder()
                        .endpointOverride(server.endpoint())
                        .forcePathStyle(true)
                        .region(Region.US_EAST_1)
                        .credentialsProvider(TestServer.credentials(server.server()))
                        .multipartEnabled(true)
                        .build();
                S3TransferManager tm =
                        S3TransferManager.builder().s3Client(async).build()) {
            CompletedFileUpload up = tm.uploadFile(u -> u.source(source)
                            .putObjectRequest(p -> p.bucket("transfers").key("tm/big.bin")))
                    .completionFuture()
                    .join();
            assertTrue(
                    up.response().eTag().matches("\"[0-9a-f]{32}-[2-9]\""),
                    "uploaded in parts: " + up.response().eTag());
            Path target = work.resolve("tm-target.bin");
            CompletedFileDownload down = tm.downloadFile(d -> d.destination(target)
                            .getObjectRequest(g -> g.bucket("transfers").key("tm/big.bin")))
                    .completionFuture()
                    .join();
            assertEquals(up.response().eTag(), down.response().eTag());
            assertEquals(-1L, Files.mismatch(source, target));
        }
    }

    @Test
    void awsCliCopiesA100MibFileUpAndDownWithItsDefaultMultipartThreshold() throws Exception {
        ExternalProcess.requireExecutable(AwsCliTest.AWS, "apt-get install awscli");
        Path config =
                Files.writeString(work.resolve("aws-default.config"), "[default]\ns3 =\n    addressing_style = path\n");
        Path source = file("cli-source.bin", 100L * 1024 * 1024, 22);
        aws(config, "s3", "cp", source.toString(), "s3://transfers/cli/big.bin").assertSuccess();
        String etag = server.s3()
                .headObject(b -> b.bucket("transfers").key("cli/big.bin"))
                .eTag();
        assertTrue(etag.matches("\"[0-9a-f]{32}-\\d+\""), "a multipart ETag: " + etag);
        Path target = work.resolve("cli-target.bin");
        aws(config, "s3", "cp", "s3://transfers/cli/big.bin", target.toString()).assertSuccess();
        assertEquals(-1L, Files.mismatch(source, target));
    }

    private static ExternalProcess.Result aws(Path config, String... args) {
        return AwsCli.run(
                server.url(), server.server().accessKey(), server.server().secretKey(), config, work, args);
    }
}
