package dev.mockstorage.it;

import static dev.mockstorage.it.S3Assertions.assertSdkError;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.ChecksumType;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsResponse;
import software.amazon.awssdk.services.s3.model.ListPartsResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.UploadPartCopyResponse;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * Multipart uploads through the SDK v2 sync client: the whole flow, the part rules of
 * CompleteMultipartUpload, abort and the queue's clean-up of part files, ListParts and
 * ListMultipartUploads paging, UploadPartCopy with a range, GET by part number and checksums.
 */
class MultipartUploadTest {
    static final int MIB = 1024 * 1024;

    @StartStop
    static final TestServer server = TestServer.create();

    static S3Client s3;

    @BeforeAll
    static void start() {
        s3 = server.s3();
        server.createBucket("mpu");
    }

    private static String create(String key) {
        return s3.createMultipartUpload(b -> b.bucket("mpu")
                        .key(key)
                        .contentType("text/x-test")
                        .metadata(java.util.Map.of("origin", "multipart")))
                .uploadId();
    }

    private static CompletedPart part(String key, String uploadId, int n, byte[] data) {
        UploadPartResponse r = s3.uploadPart(
                b -> b.bucket("mpu").key(key).uploadId(uploadId).partNumber(n), RequestBody.fromBytes(data));
        return CompletedPart.builder().partNumber(n).eTag(r.eTag()).build();
    }

    private static CompleteMultipartUploadResponse complete(String key, String uploadId, List<CompletedPart> parts) {
        return s3.completeMultipartUpload(
                b -> b.bucket("mpu").key(key).uploadId(uploadId).multipartUpload(m -> m.parts(parts)));
    }

    static String multipartEtag(byte[]... parts) throws Exception {
        MessageDigest md5OfMd5s = MessageDigest.getInstance("MD5");
        for (byte[] p : parts) {
            md5OfMd5s.update(MessageDigest.getInstance("MD5").digest(p));
        }
        return "\"" + HexFormat.of().formatHex(md5OfMd5s.digest()) + "-" + parts.length + "\"";
    }

    @Test
    void threeFullPartsAndASmallLastOneRoundTripByteExact() throws Exception {
        byte[] p1 = TestData.pattern(5 * MIB, 1);
        byte[] p2 = TestData.pattern(5 * MIB, 2);
        byte[] p3 = TestData.pattern(5 * MIB, 3);
        byte[] p4 = TestData.pattern(12345, 4);
        String id = create("big.bin");
        List<CompletedPart> parts = List.of(
                part("big.bin", id, 1, p1),
                part("big.bin", id, 2, p2),
                part("big.bin", id, 3, p3),
                part("big.bin", id, 4, p4));
        CompleteMultipartUploadResponse done = complete("big.bin", id, parts);
        String etag = multipartEtag(p1, p2, p3, p4);
        assertEquals(etag, done.eTag());
        assertTrue(done.eTag().endsWith("-4\""));

        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] p : List.of(p1, p2, p3, p4)) {
            all.write(p);
        }
        ResponseBytes<GetObjectResponse> got =
                s3.getObjectAsBytes(b -> b.bucket("mpu").key("big.bin"));
        assertArrayEquals(all.toByteArray(), got.asByteArray());
        assertEquals(etag, got.response().eTag());
        assertEquals("text/x-test", got.response().contentType());
        assertEquals("multipart", got.response().metadata().get("origin"));

        // GET ?partNumber=N serves that part, with the number of parts
        ResponseBytes<GetObjectResponse> second =
                s3.getObjectAsBytes(b -> b.bucket("mpu").key("big.bin").partNumber(4));
        assertArrayEquals(p4, second.asByteArray());
        assertEquals(4, second.response().partsCount());
        assertEquals(
                "bytes " + (15 * MIB) + "-" + (15 * MIB + p4.length - 1) + "/" + all.size(),
                second.response().contentRange());
        assertSdkError(
                416,
                "InvalidPartNumber",
                () -> s3.getObjectAsBytes(b -> b.bucket("mpu").key("big.bin").partNumber(5)));

        // the upload is gone, and its part files once the queue has run: only the object's blob is left
        assertSdkError(
                404,
                "NoSuchUpload",
                () -> s3.listParts(b -> b.bucket("mpu").key("big.bin").uploadId(id)));
    }

    @Test
    void completeChecksPartOrderEtagsAndSizes() {
        String id = create("rules.bin");
        byte[] small = TestData.pattern(1000, 5);
        byte[] big = TestData.pattern(5 * MIB, 6);
        CompletedPart p1 = part("rules.bin", id, 1, small);
        CompletedPart p2 = part("rules.bin", id, 2, big);

        assertSdkError(400, "InvalidPartOrder", () -> complete("rules.bin", id, List.of(p2, p1)));
        assertSdkError(
                400,
                "InvalidPart",
                () -> complete(
                        "rules.bin",
                        id,
                        List.of(
                                p1.toBuilder()
                                        .eTag("\"00000000000000000000000000000000\"")
                                        .build(),
                                p2)));
        assertSdkError(
                400,
                "InvalidPart",
                () -> complete(
                        "rules.bin",
                        id,
                        List.of(
                                p1,
                                p2,
                                CompletedPart.builder()
                                        .partNumber(3)
                                        .eTag(p2.eTag())
                                        .build())));
        assertSdkError(400, "EntityTooSmall", () -> complete("rules.bin", id, List.of(p1, p2)));
        // the failures changed nothing: part 1 uploaded again as a full part completes
        CompletedPart again = part("rules.bin", id, 1, big);
        assertEquals(
                2,
                s3.listParts(b -> b.bucket("mpu").key("rules.bin").uploadId(id))
                        .parts()
                        .size());
        String etag = complete("rules.bin", id, List.of(again, p2)).eTag();
        assertEquals(
                10L * MIB, s3.headObject(b -> b.bucket("mpu").key("rules.bin")).contentLength());
        assertEquals(
                etag,
                complete("rules.bin", id, List.of(again, p2)).eTag(),
                "a retry answers the same (MultipartRetryTest)");
        assertSdkError(
                404,
                "NoSuchUpload",
                () -> s3.listParts(b -> b.bucket("mpu").key("rules.bin").uploadId(id)));
        assertSdkError(
                404,
                "NoSuchUpload",
                () -> s3.uploadPart(
                        b -> b.bucket("mpu").key("rules.bin").uploadId("nope").partNumber(1),
                        RequestBody.fromBytes(small)));
        assertSdkError(
                404,
                "NoSuchUpload",
                () -> s3.abortMultipartUpload(
                        b -> b.bucket("mpu").key("rules.bin").uploadId("nope")));
    }

    @Test
    void abortLeavesNoPartFilesAfterTheQueueRan() throws IOException {
        server.server().awaitIdle(Duration.ofSeconds(10));
        Set<String> before = blobFiles();
        String id = create("aborted.bin");
        part("aborted.bin", id, 1, TestData.pattern(100_000, 7));
        part("aborted.bin", id, 2, TestData.pattern(1000, 8));
        part("aborted.bin", id, 2, TestData.pattern(2000, 9)); // replaces part 2: its first blob goes too
        assertTrue(blobFiles().size() > before.size());
        s3.abortMultipartUpload(b -> b.bucket("mpu").key("aborted.bin").uploadId(id));
        server.server().awaitIdle(Duration.ofSeconds(10));
        assertEquals(before, blobFiles());
        assertSdkError(
                404,
                "NoSuchUpload",
                () -> s3.listParts(b -> b.bucket("mpu").key("aborted.bin").uploadId(id)));
        assertSdkError(
                404, "NoSuchKey", () -> s3.headObject(b -> b.bucket("mpu").key("aborted.bin")));
    }

    @Test
    void completedUploadLeavesOnlyTheObjectsBlob() throws IOException {
        server.server().awaitIdle(Duration.ofSeconds(10));
        Set<String> before = blobFiles();
        String id = create("one.bin");
        CompletedPart p = part("one.bin", id, 1, TestData.pattern(3000, 10));
        part("one.bin", id, 2, TestData.pattern(3000, 11)); // uploaded but not listed: dropped on complete
        complete("one.bin", id, List.of(p));
        server.server().awaitIdle(Duration.ofSeconds(10));
        Set<String> after = blobFiles();
        after.removeAll(before);
        assertEquals(3, after.size(), "one blob on each of the 3 nodes: " + after);
        assertEquals(
                1,
                after.stream()
                        .map(f -> f.substring(f.indexOf('/') + 1))
                        .distinct()
                        .count());
    }

    @Test
    void listPartsPages() {
        String id = create("paged.bin");
        for (int n = 1; n <= 5; n++) {
            part("paged.bin", id, n, TestData.pattern(100 + n, n));
        }
        List<Integer> seen = new ArrayList<>();
        Integer marker = null;
        int pages = 0;
        while (true) {
            Integer m = marker;
            ListPartsResponse page = s3.listParts(b ->
                    b.bucket("mpu").key("paged.bin").uploadId(id).maxParts(2).partNumberMarker(m));
            pages++;
            page.parts().forEach(p -> seen.add(p.partNumber()));
            page.parts().forEach(p -> assertEquals(100L + p.partNumber(), p.size()));
            if (!page.isTruncated()) {
                break;
            }
            marker = page.nextPartNumberMarker();
        }
        assertEquals(List.of(1, 2, 3, 4, 5), seen);
        assertEquals(3, pages);
        s3.abortMultipartUpload(b -> b.bucket("mpu").key("paged.bin").uploadId(id));
    }

    @Test
    void listMultipartUploadsPagesByKeyAndUploadIdWithPrefixAndDelimiter() {
        server.createBucket("uploads");
        List<String> ids = new ArrayList<>();
        for (String key : List.of("a/1", "a/2", "b", "b", "c")) {
            ids.add(s3.createMultipartUpload(b -> b.bucket("uploads").key(key)).uploadId());
        }
        List<String> seen = new ArrayList<>();
        String keyMarker = null;
        String idMarker = null;
        while (true) {
            String k = keyMarker;
            String i = idMarker;
            ListMultipartUploadsResponse page = s3.listMultipartUploads(
                    b -> b.bucket("uploads").maxUploads(2).keyMarker(k).uploadIdMarker(i));
            page.uploads().forEach(u -> seen.add(u.key() + " " + u.uploadId()));
            if (!page.isTruncated()) {
                break;
            }
            keyMarker = page.nextKeyMarker();
            idMarker = page.nextUploadIdMarker();
        }
        assertEquals(
                List.of(
                        "a/1 " + ids.get(0),
                        "a/2 " + ids.get(1),
                        "b " + ids.get(2),
                        "b " + ids.get(3),
                        "c " + ids.get(4)),
                seen);

        ListMultipartUploadsResponse rolled =
                s3.listMultipartUploads(b -> b.bucket("uploads").delimiter("/"));
        assertEquals(
                List.of("a/"),
                rolled.commonPrefixes().stream().map(p -> p.prefix()).toList());
        assertEquals(
                List.of("b", "b", "c"),
                rolled.uploads().stream().map(MultipartUpload::key).toList());
        ListMultipartUploadsResponse prefixed =
                s3.listMultipartUploads(b -> b.bucket("uploads").prefix("a/"));
        assertEquals(
                List.of("a/1", "a/2"),
                prefixed.uploads().stream().map(MultipartUpload::key).toList());
        for (int n = 0; n < ids.size(); n++) {
            String key = seen.get(n).split(" ")[0];
            String id = ids.get(n);
            s3.abortMultipartUpload(b -> b.bucket("uploads").key(key).uploadId(id));
        }
        assertTrue(s3.listMultipartUploads(b -> b.bucket("uploads")).uploads().isEmpty());
    }

    @Test
    void uploadPartCopyTakesARangeOfTheSource() throws Exception {
        byte[] source = TestData.pattern(6 * MIB + 100, 12);
        s3.putObject(b -> b.bucket("mpu").key("source.bin"), RequestBody.fromBytes(source));
        String id = create("copied.bin");
        UploadPartCopyResponse c1 = s3.uploadPartCopy(b -> b.sourceBucket("mpu")
                .sourceKey("source.bin")
                .destinationBucket("mpu")
                .destinationKey("copied.bin")
                .uploadId(id)
                .partNumber(1)
                .copySourceRange("bytes=0-" + (5 * MIB - 1)));
        UploadPartCopyResponse c2 = s3.uploadPartCopy(b -> b.sourceBucket("mpu")
                .sourceKey("source.bin")
                .destinationBucket("mpu")
                .destinationKey("copied.bin")
                .uploadId(id)
                .partNumber(2)
                .copySourceRange("bytes=" + (5 * MIB) + "-" + (source.length - 1)));
        complete(
                "copied.bin",
                id,
                List.of(
                        CompletedPart.builder()
                                .partNumber(1)
                                .eTag(c1.copyPartResult().eTag())
                                .build(),
                        CompletedPart.builder()
                                .partNumber(2)
                                .eTag(c2.copyPartResult().eTag())
                                .build()));
        assertArrayEquals(
                source,
                s3.getObjectAsBytes(b -> b.bucket("mpu").key("copied.bin")).asByteArray());
        byte[] first = java.util.Arrays.copyOfRange(source, 0, 5 * MIB);
        byte[] rest = java.util.Arrays.copyOfRange(source, 5 * MIB, source.length);
        assertEquals(
                multipartEtag(first, rest),
                s3.headObject(b -> b.bucket("mpu").key("copied.bin")).eTag());
    }

    @Test
    void anObjectNotUploadedInPartsHasPartOneOnly() {
        s3.putObject(b -> b.bucket("mpu").key("single.txt"), RequestBody.fromString("body"));
        ResponseBytes<GetObjectResponse> one =
                s3.getObjectAsBytes(b -> b.bucket("mpu").key("single.txt").partNumber(1));
        assertEquals("body", one.asUtf8String());
        assertEquals(200, one.response().sdkHttpResponse().statusCode());
        assertSdkError(
                400,
                "InvalidPartNumber",
                () -> s3.getObjectAsBytes(b -> b.bucket("mpu").key("single.txt").partNumber(2)));
        assertSdkError(
                400,
                null,
                () -> s3.headObject(b -> b.bucket("mpu").key("single.txt").partNumber(2)));
        assertSdkError(
                400,
                "InvalidArgument",
                () -> s3.getObjectAsBytes(b -> b.bucket("mpu").key("single.txt").partNumber(10_001)));
    }

    @Test
    void uploadPartCopyOfARangeBeyondTheSourceIsInvalidRange() {
        s3.putObject(b -> b.bucket("mpu").key("five.bin"), RequestBody.fromString("12345"));
        String id = create("range-dest.bin");
        assertSdkError(
                416,
                "InvalidRange",
                () -> s3.uploadPartCopy(b -> b.sourceBucket("mpu")
                        .sourceKey("five.bin")
                        .destinationBucket("mpu")
                        .destinationKey("range-dest.bin")
                        .uploadId(id)
                        .partNumber(1)
                        .copySourceRange("bytes=0-21")));
        assertSdkError(
                400,
                "InvalidArgument",
                () -> s3.uploadPartCopy(b -> b.sourceBucket("mpu")
                        .sourceKey("five.bin")
                        .destinationBucket("mpu")
                        .destinationKey("range-dest.bin")
                        .uploadId(id)
                        .partNumber(1)
                        .copySourceRange("bytes=0-2,3-4")));
        assertTrue(s3.listParts(b -> b.bucket("mpu").key("range-dest.bin").uploadId(id))
                .parts()
                .isEmpty());
    }

    @Test
    void completeWithoutAPartListIsMalformedXmlAndTheUploadStays() {
        String id = create("no-list.bin");
        part("no-list.bin", id, 1, TestData.pattern(10, 16));
        assertSdkError(
                400,
                "MalformedXML",
                () -> s3.completeMultipartUpload(
                        b -> b.bucket("mpu").key("no-list.bin").uploadId(id)));
        assertEquals(
                1,
                s3.listParts(b -> b.bucket("mpu").key("no-list.bin").uploadId(id))
                        .parts()
                        .size());
    }

    @Test
    void compositeAndFullObjectChecksums() {
        byte[] p1 = TestData.pattern(5 * MIB, 13);
        byte[] p2 = TestData.pattern(777, 14);
        // COMPOSITE SHA256: the SHA-256 of the binary part SHA-256s, then -2
        String id = s3.createMultipartUpload(
                        b -> b.bucket("mpu").key("sha.bin").checksumAlgorithm(ChecksumAlgorithm.SHA256))
                .uploadId();
        List<CompletedPart> parts = new ArrayList<>();
        for (int n = 1; n <= 2; n++) {
            int number = n;
            byte[] data = n == 1 ? p1 : p2;
            UploadPartResponse r = s3.uploadPart(
                    b -> b.bucket("mpu")
                            .key("sha.bin")
                            .uploadId(id)
                            .partNumber(number)
                            .checksumAlgorithm(ChecksumAlgorithm.SHA256),
                    RequestBody.fromBytes(data));
            assertEquals(TestData.sha256Base64(data), r.checksumSHA256());
            parts.add(CompletedPart.builder()
                    .partNumber(n)
                    .eTag(r.eTag())
                    .checksumSHA256(r.checksumSHA256())
                    .build());
        }
        CompleteMultipartUploadResponse done = complete("sha.bin", id, parts);
        MessageDigest sha = TestData.digest("SHA-256");
        sha.update(java.util.Base64.getDecoder().decode(TestData.sha256Base64(p1)));
        sha.update(java.util.Base64.getDecoder().decode(TestData.sha256Base64(p2)));
        String composite = java.util.Base64.getEncoder().encodeToString(sha.digest()) + "-2";
        assertEquals(composite, done.checksumSHA256());
        assertEquals(ChecksumType.COMPOSITE, done.checksumType());
        assertEquals(
                composite,
                s3.headObject(b -> b.bucket("mpu").key("sha.bin").checksumMode(ChecksumMode.ENABLED))
                        .checksumSHA256());

        // FULL_OBJECT CRC32: the CRC32 of the whole content
        String id2 = s3.createMultipartUpload(b -> b.bucket("mpu")
                        .key("crc.bin")
                        .checksumAlgorithm(ChecksumAlgorithm.CRC32)
                        .checksumType(ChecksumType.FULL_OBJECT))
                .uploadId();
        List<CompletedPart> crcParts = new ArrayList<>();
        for (int n = 1; n <= 2; n++) {
            int number = n;
            byte[] data = n == 1 ? p1 : p2;
            UploadPartResponse r = s3.uploadPart(
                    b -> b.bucket("mpu")
                            .key("crc.bin")
                            .uploadId(id2)
                            .partNumber(number)
                            .checksumAlgorithm(ChecksumAlgorithm.CRC32),
                    RequestBody.fromBytes(data));
            crcParts.add(CompletedPart.builder()
                    .partNumber(n)
                    .eTag(r.eTag())
                    .checksumCRC32(r.checksumCRC32())
                    .build());
        }
        byte[] whole = new byte[p1.length + p2.length];
        System.arraycopy(p1, 0, whole, 0, p1.length);
        System.arraycopy(p2, 0, whole, p1.length, p2.length);
        CompleteMultipartUploadResponse crc = complete("crc.bin", id2, crcParts);
        assertEquals(TestData.crc32Base64(whole), crc.checksumCRC32());
        assertEquals(ChecksumType.FULL_OBJECT, crc.checksumType());
        // the SDK validates the full-object CRC32 of the GET answer itself
        assertArrayEquals(
                whole,
                s3.getObjectAsBytes(b -> b.bucket("mpu").key("crc.bin").checksumMode(ChecksumMode.ENABLED))
                        .asByteArray());
        // listings name each object's checksum type too
        java.util.Map<String, ChecksumType> listed = new java.util.HashMap<>();
        s3.listObjectsV2(b -> b.bucket("mpu")).contents().forEach(o -> listed.put(o.key(), o.checksumType()));
        assertEquals(ChecksumType.COMPOSITE, listed.get("sha.bin"));
        assertEquals(ChecksumType.FULL_OBJECT, listed.get("crc.bin"));

        // a part whose checksum in the complete request is not the stored one
        String id3 = s3.createMultipartUpload(
                        b -> b.bucket("mpu").key("bad.bin").checksumAlgorithm(ChecksumAlgorithm.SHA256))
                .uploadId();
        UploadPartResponse r = s3.uploadPart(
                b -> b.bucket("mpu")
                        .key("bad.bin")
                        .uploadId(id3)
                        .partNumber(1)
                        .checksumAlgorithm(ChecksumAlgorithm.SHA256),
                RequestBody.fromBytes(p2));
        assertSdkError(
                400,
                "InvalidPart",
                () -> complete(
                        "bad.bin",
                        id3,
                        List.of(CompletedPart.builder()
                                .partNumber(1)
                                .eTag(r.eTag())
                                .checksumSHA256(TestData.sha256Base64(p1))
                                .build())));
    }

    @Test
    void deletingTheBucketDropsItsUploadsAndTheirParts() throws IOException {
        server.createBucket("doomed");
        server.server().awaitIdle(Duration.ofSeconds(10));
        Set<String> before = blobFiles();
        String id = s3.createMultipartUpload(b -> b.bucket("doomed").key("k")).uploadId();
        s3.uploadPart(
                b -> b.bucket("doomed").key("k").uploadId(id).partNumber(1),
                RequestBody.fromBytes(TestData.pattern(500, 15)));
        s3.deleteBucket(b -> b.bucket("doomed"));
        server.server().awaitIdle(Duration.ofSeconds(10));
        assertEquals(before, blobFiles());
        assertFalse(s3.listBuckets().buckets().stream().anyMatch(bk -> bk.name().equals("doomed")));
    }

    /**
     * {@code node/blobId} of every blob file on every node, once the queue is idle: a delete-blob task
     * running meanwhile would remove files under the directory walk.
     */
    private static Set<String> blobFiles() throws IOException {
        server.server().awaitIdle(Duration.ofSeconds(10));
        Set<String> all = new TreeSet<>();
        for (String node : List.of("stg1", "stg2", "stg3")) {
            Path blobs = server.dataDirectory().resolve(node).resolve("blobs");
            if (!Files.exists(blobs)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(blobs)) {
                all.addAll(files.filter(Files::isRegularFile)
                        .map(p -> node + "/" + p.getFileName())
                        .collect(Collectors.toSet()));
            }
        }
        return all;
    }
}
