package dev.mockstorage.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The AWS CLI v2 (the Debian package at {@code /usr/bin/aws}, called by full path because an older
 * v1 may come first on PATH) against the server: {@code s3 mb/cp/ls/rm} and {@code s3api
 * put-object/head-object/list-objects-v2/delete-objects}. The CLI sends plain bodies with
 * Content-MD5 and {@code Expect: 100-continue} on every PUT, and {@code encoding-type=url} on lists.
 * Multipart is not in scope yet, so uploads use a config with {@code multipart_threshold = 64MB};
 * downloads use the default (8 MB) so a 20 MiB object is fetched with ranged GETs.
 */
class AwsCliTest {

    static final Path AWS = AwsCli.AWS;
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path work;

    @StartStop
    static final TestServer server = TestServer.create();

    static Path uploadConfig;
    static Path downloadConfig;

    @BeforeAll
    static void start() throws IOException {
        ExternalProcess.requireExecutable(AWS, "apt-get install awscli");
        uploadConfig = Files.writeString(
                work.resolve("aws-upload.config"),
                "[default]\ns3 =\n    addressing_style = path\n    multipart_threshold = 64MB\n");
        downloadConfig = Files.writeString(
                work.resolve("aws-download.config"), "[default]\ns3 =\n    addressing_style = path\n");
    }

    static ExternalProcess.Result aws(Path config, String... args) {
        return AwsCli.run(
                server.url(), server.server().accessKey(), server.server().secretKey(), config, work, args);
    }

    static ExternalProcess.Result aws(String... args) {
        return aws(uploadConfig, args).assertSuccess();
    }

    static JsonNode awsJson(String... args) throws IOException {
        return JSON.readTree(aws(args).stdout());
    }

    @Test
    void makeBucketAndListBuckets() {
        ExternalProcess.Result mb = aws("s3", "mb", "s3://cli-mb");
        assertTrue(mb.stdout().contains("make_bucket: cli-mb"), mb::describe);
        assertEquals(
                200,
                server.s3()
                        .headBucket(b -> b.bucket("cli-mb"))
                        .sdkHttpResponse()
                        .statusCode());

        ExternalProcess.Result ls = aws("s3", "ls");
        assertTrue(ls.stdout().lines().anyMatch(l -> l.endsWith(" cli-mb")), ls::describe);
    }

    @Test
    void copySmallFileUpListDownAndRemoveWithSpaceAndPlusInTheKey() throws IOException {
        server.createBucket("cli-cp");
        Path up = Files.writeString(work.resolve("small.txt"), "hello from the aws cli\n");
        String url = "s3://cli-cp/dir/with space+plus.txt";

        aws("s3", "cp", up.toString(), url);
        assertEquals(
                "hello from the aws cli\n",
                server.s3()
                        .getObjectAsBytes(b -> b.bucket("cli-cp").key("dir/with space+plus.txt"))
                        .asUtf8String());

        ExternalProcess.Result ls = aws("s3", "ls", "s3://cli-cp/dir/");
        assertTrue(ls.stdout().lines().anyMatch(l -> l.endsWith(" 23 with space+plus.txt")), ls::describe);

        Path down = work.resolve("small-down.txt");
        aws(downloadConfig, "s3", "cp", url, down.toString()).assertSuccess();
        assertEquals("hello from the aws cli\n", Files.readString(down));

        aws("s3", "rm", url);
        assertEquals(
                List.of(), server.s3().listObjectsV2(b -> b.bucket("cli-cp")).contents());
    }

    @Test
    void copyTwentyMebibytesUpAsOnePutAndDownWithRangedGets() throws IOException {
        server.createBucket("cli-big");
        long size = 20L * 1024 * 1024;
        Path up = work.resolve("big-up.bin");
        try (InputStream in = new TestData.PatternInputStream(size, 99)) {
            Files.copy(in, up);
        }
        String md5 = TestData.md5HexOf(Files.newInputStream(up));

        aws("s3", "cp", up.toString(), "s3://cli-big/big.bin");
        HeadObjectResponse head =
                server.s3().headObject(b -> b.bucket("cli-big").key("big.bin"));
        assertEquals(size, head.contentLength());
        assertEquals("\"" + md5 + "\"", head.eTag(), "a single PutObject: the ETag is the plain MD5");

        Path down = work.resolve("big-down.bin");
        aws(downloadConfig, "s3", "cp", "s3://cli-big/big.bin", down.toString()).assertSuccess();
        assertEquals(size, Files.size(down));
        assertEquals(md5, TestData.md5HexOf(Files.newInputStream(down)));
        Files.delete(up);
        Files.delete(down);
    }

    @Test
    void putObjectWithMetadataThenHeadObject() throws IOException {
        server.createBucket("cli-meta");
        Path body = Files.writeString(work.resolve("meta.txt"), "metadata body");

        JsonNode put = awsJson(
                "s3api",
                "put-object",
                "--bucket",
                "cli-meta",
                "--key",
                "docs/meta.txt",
                "--body",
                body.toString(),
                "--metadata",
                "color=blue,owner=cli",
                "--content-type",
                "text/plain");
        assertEquals(
                TestData.etag(TestData.utf8("metadata body")), put.get("ETag").asText());

        JsonNode head = awsJson("s3api", "head-object", "--bucket", "cli-meta", "--key", "docs/meta.txt");
        assertEquals("text/plain", head.get("ContentType").asText());
        assertEquals(13, head.get("ContentLength").asLong());
        assertEquals(
                TestData.etag(TestData.utf8("metadata body")), head.get("ETag").asText());
        assertEquals(Map.of("color", "blue", "owner", "cli"), JSON.convertValue(head.get("Metadata"), Map.class));
        assertEquals(
                Map.of("color", "blue", "owner", "cli"),
                server.s3()
                        .headObject(b -> b.bucket("cli-meta").key("docs/meta.txt"))
                        .metadata());
    }

    @Test
    void listObjectsV2DecodesUrlEncodedKeys() throws IOException {
        server.createBucket("cli-list");
        for (String key : List.of("é.txt", "a.txt", "dir/b c+d.txt", "dir/sub/e.txt")) {
            server.s3().putObject(b -> b.bucket("cli-list").key(key), RequestBody.fromString(key));
        }

        JsonNode all = awsJson(
                "s3api", "list-objects-v2", "--bucket", "cli-list", "--no-paginate"); // paginated output drops KeyCount
        assertEquals(List.of("a.txt", "dir/b c+d.txt", "dir/sub/e.txt", "é.txt"), texts(all.get("Contents"), "Key"));
        assertEquals(4, all.get("KeyCount").asInt());

        JsonNode grouped =
                awsJson("s3api", "list-objects-v2", "--bucket", "cli-list", "--prefix", "dir/", "--delimiter", "/");
        assertEquals(List.of("dir/b c+d.txt"), texts(grouped.get("Contents"), "Key"));
        assertEquals(List.of("dir/sub/"), texts(grouped.get("CommonPrefixes"), "Prefix"));
    }

    @Test
    void deleteObjectsInABatch() throws IOException {
        server.createBucket("cli-delete");
        for (String key : List.of("a.txt", "dir/b c+d.txt", "keep.txt")) {
            server.s3().putObject(b -> b.bucket("cli-delete").key(key), RequestBody.fromString(key));
        }

        JsonNode deleted = awsJson(
                "s3api",
                "delete-objects",
                "--bucket",
                "cli-delete",
                "--delete",
                "{\"Objects\":[{\"Key\":\"a.txt\"},{\"Key\":\"dir/b c+d.txt\"},{\"Key\":\"missing\"}],\"Quiet\":false}");
        List<String> keys = new ArrayList<>(texts(deleted.get("Deleted"), "Key"));
        keys.sort(null);
        assertEquals(List.of("a.txt", "dir/b c+d.txt", "missing"), keys);
        assertEquals(
                List.of("keep.txt"),
                server.s3().listObjectsV2(b -> b.bucket("cli-delete")).contents().stream()
                        .map(S3Object::key)
                        .toList());
    }

    @Test
    void missingKeyIsReportedAsAnErrorByTheCli() {
        server.createBucket("cli-errors");
        ExternalProcess.Result result = aws(
                uploadConfig,
                "s3api",
                "get-object",
                "--bucket",
                "cli-errors",
                "--key",
                "missing.txt",
                work.resolve("never-written.txt").toString());
        assertNotEquals(0, result.exitCode(), result::describe);
        assertTrue(result.stderr().contains("NoSuchKey"), result::describe);
    }

    private static List<String> texts(JsonNode array, String field) {
        List<String> out = new ArrayList<>();
        if (array != null) {
            array.forEach(n -> out.add(n.get(field).asText()));
        }
        return out;
    }
}
