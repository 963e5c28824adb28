package dev.mockstorage.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * curl, unsigned: {@code -T file} above 1 MiB (curl sends {@code Expect: 100-continue}),
 * {@code -T -} from a pipe ({@code Transfer-Encoding: chunked}), GET, HEAD and DELETE.
 */
class CurlTest {

    static final Path CURL = Path.of("/usr/bin/curl");
    static final String BUCKET = "curl-bucket";

    @TempDir
    static Path work;

    @StartStop
    static final TestServer server = TestServer.create();

    @BeforeAll
    static void start() {
        ExternalProcess.requireExecutable(CURL, "apt-get install curl");
        server.createBucket(BUCKET);
    }

    static ExternalProcess.Result curl(byte[] stdin, String... args) {
        List<String> command = new java.util.ArrayList<>(List.of(CURL.toString(), "-sS", "--fail-with-body"));
        command.addAll(List.of(args));
        return ExternalProcess.run(command, work, Map.of(), null, stdin, ExternalProcess.DEFAULT_TIMEOUT)
                .assertSuccess();
    }

    @Test
    void uploadFileAboveOneMebibyteWithExpectContinue() throws IOException {
        byte[] body = TestData.pattern(1536 * 1024, 3);
        Path file = Files.write(work.resolve("upload.bin"), body);

        ExternalProcess.Result put =
                curl(null, "-v", "-T", file.toString(), server.url() + "/" + BUCKET + "/curl/upload.bin");

        assertTrue(put.stderr().contains("> Expect: 100-continue"), put::describe);
        assertTrue(
                put.stderr().contains("< HTTP/1.1 100 Continue"), () -> "the server answers Expect\n" + put.describe());
        ResponseBytes<GetObjectResponse> got =
                server.s3().getObjectAsBytes(b -> b.bucket(BUCKET).key("curl/upload.bin"));
        assertArrayEquals(body, got.asByteArray());
        assertEquals(TestData.etag(body), got.response().eTag());
    }

    @Test
    void uploadFromAPipeWithChunkedTransferEncoding() {
        byte[] body = TestData.pattern(300 * 1024 + 7, 4);

        ExternalProcess.Result put = curl(body, "-v", "-T", "-", server.url() + "/" + BUCKET + "/curl/piped.bin");

        assertTrue(put.stderr().contains("> Transfer-Encoding: chunked"), put::describe);
        ResponseBytes<GetObjectResponse> got =
                server.s3().getObjectAsBytes(b -> b.bucket(BUCKET).key("curl/piped.bin"));
        assertArrayEquals(body, got.asByteArray());
        assertEquals(TestData.etag(body), got.response().eTag());
    }

    @Test
    void getHeadAndDelete() throws IOException {
        byte[] body = TestData.utf8("fetched by curl\n");
        Path file = Files.write(work.resolve("small.txt"), body);
        curl(
                null,
                "-T",
                file.toString(),
                "-H",
                "Content-Type: text/plain",
                server.url() + "/" + BUCKET + "/curl/small.txt");

        ExternalProcess.Result get = curl(null, server.url() + "/" + BUCKET + "/curl/small.txt");
        assertEquals("fetched by curl\n", get.stdout());

        ExternalProcess.Result head = curl(null, "-I", server.url() + "/" + BUCKET + "/curl/small.txt");
        String headers = head.stdout().toLowerCase();
        assertTrue(headers.startsWith("http/1.1 200"), head::describe);
        assertTrue(headers.contains("etag: " + TestData.etag(body)), head::describe);
        assertTrue(headers.contains("content-length: 16"), head::describe);
        assertTrue(headers.contains("content-type: text/plain"), head::describe);
        assertTrue(headers.contains("x-amz-request-id: "), head::describe);

        ExternalProcess.Result delete = curl(
                null,
                "-X",
                "DELETE",
                "-o",
                "/dev/null",
                "-w",
                "%{http_code}",
                server.url() + "/" + BUCKET + "/curl/small.txt");
        assertEquals("204", delete.stdout());
        ExternalProcess.Result missing = ExternalProcess.run(
                List.of(
                        CURL.toString(),
                        "-sS",
                        "-w",
                        "\n%{http_code}",
                        server.url() + "/" + BUCKET + "/curl/small.txt"),
                work,
                Map.of(),
                null,
                null,
                ExternalProcess.DEFAULT_TIMEOUT);
        assertTrue(missing.stdout().endsWith("\n404"), missing::describe);
        assertTrue(missing.stdout().contains("<Code>NoSuchKey</Code>"), missing::describe);
    }
}
