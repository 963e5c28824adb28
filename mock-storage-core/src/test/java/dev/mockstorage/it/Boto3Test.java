package dev.mockstorage.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * boto3 (Debian's {@code python3-boto3}) against the server: what a Python team's code does with S3,
 * unchanged. Each test runs one script and checks its printed JSON, and the stored result through
 * the Java SDK.
 */
class Boto3Test {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path work;

    @StartStop
    static final TestServer server = TestServer.create();

    @BeforeAll
    static void start() {
        server.createBucket("python");
    }

    @Test
    void uploadFileSplitsIntoPartsAndDownloadFileRoundTripsByteExact() throws Exception {
        Path source = work.resolve("boto3-source.bin");
        try (InputStream in = new TestData.PatternInputStream(23L * 1024 * 1024 + 17, 31);
                OutputStream out = Files.newOutputStream(source)) {
            in.transferTo(out);
        }
        JsonNode out = JSON.readTree(Boto3.run(server, work, """
                from boto3.s3.transfer import TransferConfig
                config = TransferConfig(multipart_threshold=5 * 1024 * 1024, multipart_chunksize=5 * 1024 * 1024)
                s3.upload_file("%s", "python", "transfers/big.bin", Config=config)
                head = s3.head_object(Bucket="python", Key="transfers/big.bin")
                s3.download_file("python", "transfers/big.bin", "%s", Config=config)
                digest = hashlib.sha256(open("%s", "rb").read()).hexdigest()
                print(json.dumps({"etag": head["ETag"], "size": head["ContentLength"], "sha256": digest}))
                """.formatted(
                        source, work.resolve("boto3-target.bin"), work.resolve("boto3-target.bin"))));

        assertTrue(out.get("etag").asText().matches("\"[0-9a-f]{32}-5\""), "five parts of 5 MiB: " + out);
        assertEquals(Files.size(source), out.get("size").asLong());
        assertEquals(
                sha256(Files.readAllBytes(source)), out.get("sha256").asText(), "boto3 downloaded what it uploaded");
        byte[] stored = server.s3()
                .getObjectAsBytes(b -> b.bucket("python").key("transfers/big.bin"))
                .asByteArray();
        assertArrayEquals(Files.readAllBytes(source), stored, "the Java SDK reads the same bytes");
    }

    @Test
    void lowLevelMultipartCallsListCompleteAbortAndReportErrorsAsS3() throws Exception {
        JsonNode out = JSON.readTree(Boto3.run(server, work, """
                from botocore.exceptions import ClientError
                part1, part2 = b"a" * (5 * 1024 * 1024), b"tail"
                up = s3.create_multipart_upload(Bucket="python", Key="low/level.txt", ContentType="text/plain",
                                                ChecksumAlgorithm="SHA256")["UploadId"]
                e1 = s3.upload_part(Bucket="python", Key="low/level.txt", UploadId=up, PartNumber=1, Body=part1,
                                    ChecksumAlgorithm="SHA256")
                e2 = s3.upload_part(Bucket="python", Key="low/level.txt", UploadId=up, PartNumber=2, Body=part2,
                                    ChecksumAlgorithm="SHA256")
                listed = s3.list_parts(Bucket="python", Key="low/level.txt", UploadId=up)["Parts"]
                uploads = [u["UploadId"] for u in s3.list_multipart_uploads(Bucket="python").get("Uploads", [])]
                done = s3.complete_multipart_upload(Bucket="python", Key="low/level.txt", UploadId=up, MultipartUpload={"Parts": [
                    {"PartNumber": 1, "ETag": e1["ETag"], "ChecksumSHA256": e1["ChecksumSHA256"]},
                    {"PartNumber": 2, "ETag": e2["ETag"], "ChecksumSHA256": e2["ChecksumSHA256"]}]})
                body = s3.get_object(Bucket="python", Key="low/level.txt")
                # an upload whose first part is below 5 MiB cannot complete; aborting it leaves nothing listed
                small = s3.create_multipart_upload(Bucket="python", Key="low/small.txt")["UploadId"]
                s1 = s3.upload_part(Bucket="python", Key="low/small.txt", UploadId=small, PartNumber=1, Body=b"x")
                s2 = s3.upload_part(Bucket="python", Key="low/small.txt", UploadId=small, PartNumber=2, Body=b"y")
                try:
                    s3.complete_multipart_upload(Bucket="python", Key="low/small.txt", UploadId=small, MultipartUpload={"Parts": [
                        {"PartNumber": 1, "ETag": s1["ETag"]}, {"PartNumber": 2, "ETag": s2["ETag"]}]})
                    too_small = "completed"
                except ClientError as e:
                    too_small = e.response["Error"]["Code"]
                s3.abort_multipart_upload(Bucket="python", Key="low/small.txt", UploadId=small)
                try:
                    s3.list_parts(Bucket="python", Key="low/small.txt", UploadId=small)
                    after_abort = "listed"
                except ClientError as e:
                    after_abort = e.response["Error"]["Code"]
                print(json.dumps({
                    "listed": [[p["PartNumber"], p["Size"]] for p in listed], "uploadListed": up in uploads,
                    "etag": done["ETag"], "checksum": done.get("ChecksumSHA256"),
                    "contentType": body["ContentType"], "sha256": hashlib.sha256(body["Body"].read()).hexdigest(),
                    "tooSmall": too_small, "afterAbort": after_abort,
                    "uploadsLeft": len(s3.list_multipart_uploads(Bucket="python").get("Uploads", []))}))
                """));

        assertEquals("[[1,5242880],[2,4]]", out.get("listed").toString());
        assertTrue(out.get("uploadListed").asBoolean(), "ListMultipartUploads lists the open upload: " + out);
        assertTrue(out.get("etag").asText().matches("\"[0-9a-f]{32}-2\""), out.toString());
        assertTrue(out.get("checksum").asText().endsWith("-2"), "a composite SHA256 of two parts: " + out);
        assertEquals("text/plain", out.get("contentType").asText());
        byte[] whole = new byte[5 * 1024 * 1024 + 4];
        java.util.Arrays.fill(whole, 0, 5 * 1024 * 1024, (byte) 'a');
        System.arraycopy("tail".getBytes(), 0, whole, 5 * 1024 * 1024, 4);
        assertEquals(sha256(whole), out.get("sha256").asText());
        assertEquals("EntityTooSmall", out.get("tooSmall").asText());
        assertEquals("NoSuchUpload", out.get("afterAbort").asText());
        assertEquals(0, out.get("uploadsLeft").asInt());
    }

    private static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }
}
