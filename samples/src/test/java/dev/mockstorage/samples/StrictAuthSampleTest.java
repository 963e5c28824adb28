package dev.mockstorage.samples;

// sample:strict-auth-imports:start
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mockstorage.server.MockStorageServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
// sample:strict-auth-imports:end

/** README "Signatures and presigned URLs": a presigned PUT checked by a strict server. */
class StrictAuthSampleTest {

    @TempDir
    Path data;

    @Test
    void aPresignedUploadIsCheckedInStrictMode() throws Exception {
        // sample:strict-auth:start
        try (MockStorageServer server = MockStorageServer.builder()
                     .dataDirectory(data)
                     .strictAuth()                                   // auth.mode=strict
                     .credentials("AKIDEXAMPLE", "example-secret")   // optional; default mock-access-key/mock-secret-key
                     .setting("storage.buckets", "reports")
                     .start();
             S3Presigner presigner = S3Presigner.builder()
                     .endpointOverride(server.endpoint()).region(Region.US_EAST_1)
                     .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
                     .credentialsProvider(StaticCredentialsProvider.create(
                             AwsBasicCredentials.create(server.accessKey(), server.secretKey())))
                     .build()) {
            URI upload = presigner.presignPutObject(p -> p.signatureDuration(Duration.ofMinutes(5))
                    .putObjectRequest(r -> r.bucket("reports").key("q1.csv").contentType("text/csv"))).url().toURI();
            HttpClient http = HttpClient.newHttpClient();

            var ok = http.send(HttpRequest.newBuilder(upload).header("Content-Type", "text/csv")
                    .PUT(BodyPublishers.ofString("a,b\n")).build(), BodyHandlers.ofString());
            assertEquals(200, ok.statusCode());

            // Content-Type was signed: another one is refused, as S3 refuses it
            var refused = http.send(HttpRequest.newBuilder(upload).header("Content-Type", "text/plain")
                    .PUT(BodyPublishers.ofString("a,b\n")).build(), BodyHandlers.ofString());
            assertEquals(403, refused.statusCode());   // <Code>SignatureDoesNotMatch</Code>, with the CanonicalRequest
        }
        // sample:strict-auth:end
    }
}
