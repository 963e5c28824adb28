package dev.mockstorage.internal.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mockstorage.internal.checksum.ChecksumAlgorithm;
import dev.mockstorage.internal.clock.ServerClock;
import dev.mockstorage.internal.error.ErrorCode;
import dev.mockstorage.internal.error.StorageException;
import dev.mockstorage.internal.metadata.MetadataStore;
import dev.mockstorage.internal.metadata.ObjectRecord;
import dev.mockstorage.internal.queue.TaskQueue;
import dev.mockstorage.internal.storage.BlobStore;
import dev.mockstorage.internal.storage.StorageNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The flows of DESIGN.md over real SQLite, real node directories and the real queue (no HTTP). */
class ObjectServiceTest {
    @TempDir
    Path dir;

    private MetadataStore metadata;
    private BlobStore blobs;
    private TaskQueue queue;
    private ObjectService service;

    @BeforeEach
    void setUp() {
        metadata = MetadataStore.open(dir.resolve("metadata.db"), false, Duration.ofSeconds(5));
        blobs = new BlobStore(
                List.of(
                        new StorageNode("stg1", dir.resolve("stg1")),
                        new StorageNode("stg2", dir.resolve("stg2")),
                        new StorageNode("stg3", dir.resolve("stg3"))),
                false);
        queue = new TaskQueue(metadata, 100, 1, Tasks.handlers(metadata, blobs), Clock.systemUTC(), "test");
        queue.start();
        service = new ObjectService(metadata, blobs, queue, new ServerClock(), false);
        service.buckets().create("bkt");
    }

    @AfterEach
    void tearDown() {
        queue.close();
        metadata.close();
    }

    @Test
    void overwriteKeepsOneBlobPerNodeOnceTheQueueRan() throws IOException {
        put("k", "first");
        ObjectRecord second = put("k", "second version");
        service.maintenance().awaitIdle(Duration.ofSeconds(10));
        assertEquals("second version", read(service.readThrough().headOrFetch("bkt", "k")));
        for (String node : List.of("stg1", "stg2", "stg3")) {
            assertEquals(List.of(second.blobId()), blobFiles(dir.resolve(node)), "node " + node);
        }
    }

    @Test
    void badDigestLeavesTheOldObjectAndNoNewFiles() throws IOException {
        ObjectRecord old = put("k", "original");
        String wrongMd5 = Base64.getEncoder().encodeToString(new byte[16]);
        StorageException e = assertThrows(
                StorageException.class, () -> service.writes().put(write("k", wrongMd5, Map.of()), body("new")));
        assertEquals(ErrorCode.BadDigest, e.code());
        assertEquals(old.blobId(), service.readThrough().headOrFetch("bkt", "k").blobId());
        assertEquals("original", read(service.readThrough().headOrFetch("bkt", "k")));
        assertEquals(List.of(old.blobId()), blobFiles(dir.resolve("stg1")));
        assertEquals(List.of(), tmpFiles(dir.resolve("stg1")));
    }

    @Test
    void aDeclaredLengthBeyondFiveGibIsEntityTooLargeBeforeAnyByteIsRead() throws IOException {
        InputStream unreadable = new InputStream() {
            @Override
            public int read() {
                throw new AssertionError("the body must not be read");
            }
        };
        ObjectWrite huge = new ObjectWrite(
                "bkt",
                "huge",
                null,
                Map.of(),
                Map.of(),
                null,
                null,
                Map.of(),
                Set.of(),
                Map::of,
                WriteChecks.MAX_OBJECT_BYTES + 1);
        StorageException e =
                assertThrows(StorageException.class, () -> service.writes().put(huge, unreadable));
        assertEquals(ErrorCode.EntityTooLarge, e.code());
        assertEquals(List.of(), blobFiles(dir.resolve("stg1")));
        assertEquals(List.of(), tmpFiles(dir.resolve("stg1")));
    }

    @Test
    void checksumsAreVerifiedAndStored() {
        Map<ChecksumAlgorithm, String> good = Map.of(ChecksumAlgorithm.CRC32, "rwg7LQ==");
        ObjectRecord stored = service.writes().put(write("c", null, good), body("hello world\n"));
        assertEquals("rwg7LQ==", stored.checksums().get("CRC32"));
        StorageException e = assertThrows(
                StorageException.class,
                () -> service.writes()
                        .put(write("d", null, Map.of(ChecksumAlgorithm.CRC32, "AAAAAA==")), body("hello world\n")));
        assertEquals(ErrorCode.BadDigest, e.code());
        assertEquals(
                ErrorCode.NoSuchKey,
                assertThrows(StorageException.class, () -> service.readThrough().headOrFetch("bkt", "d"))
                        .code());
    }

    @Test
    void deleteQueuesTheBlobDeletion() throws IOException {
        put("gone", "x");
        assertTrue(service.writes().delete("bkt", "gone").isPresent());
        assertFalse(service.writes().delete("bkt", "gone").isPresent(), "deleting a missing key is not an error");
        service.maintenance().awaitIdle(Duration.ofSeconds(10));
        assertEquals(List.of(), blobFiles(dir.resolve("stg2")));
    }

    @Test
    void listRollsUpCommonPrefixesAndPagesAcrossThem() {
        for (String k : List.of(
                "a.txt", "photos/2024/x.jpg", "photos/2024/y.jpg", "photos/2025/z.jpg", "videos/v.mp4", "z.txt")) {
            put(k, k);
        }
        ListPage all = service.listings().list("bkt", "", "/", null, 1000);
        assertEquals(List.of("a.txt", "z.txt"), keys(all));
        assertEquals(List.of("photos/", "videos/"), all.commonPrefixes());

        List<String> paged = new ArrayList<>();
        String after = null;
        ListPage page;
        do {
            page = service.listings().list("bkt", "", "/", after, 1);
            paged.addAll(keys(page));
            paged.addAll(page.commonPrefixes());
            after = page.lastEntry();
        } while (page.truncated());
        assertEquals(List.of("a.txt", "photos/", "videos/", "z.txt"), paged);

        ListPage nested = service.listings().list("bkt", "photos/", "/", null, 1000);
        assertEquals(List.of("photos/2024/", "photos/2025/"), nested.commonPrefixes());
        ListPage flat = service.listings().list("bkt", "photos/", null, "photos/2024/x.jpg", 1000);
        assertEquals(List.of("photos/2024/y.jpg", "photos/2025/z.jpg"), keys(flat));
    }

    @Test
    void bucketRulesAndNotEmpty() {
        assertEquals(
                ErrorCode.InvalidBucketName,
                assertThrows(StorageException.class, () -> service.buckets().create("api"))
                        .code());
        assertEquals(
                ErrorCode.InvalidBucketName,
                assertThrows(StorageException.class, () -> service.buckets().create("Upper"))
                        .code());
        assertEquals(
                ErrorCode.BucketAlreadyOwnedByYou,
                assertThrows(StorageException.class, () -> service.buckets().create("bkt"))
                        .code());
        put("k", "v");
        assertEquals(
                ErrorCode.BucketNotEmpty,
                assertThrows(StorageException.class, () -> service.buckets().delete("bkt"))
                        .code());
        service.writes().delete("bkt", "k");
        service.buckets().delete("bkt");
        assertEquals(
                ErrorCode.NoSuchBucket,
                assertThrows(StorageException.class, () -> service.buckets().require("bkt"))
                        .code());
    }

    private ObjectRecord put(String key, String content) {
        return service.writes().put(write(key, null, Map.of()), body(content));
    }

    private static ObjectWrite write(String key, String md5, Map<ChecksumAlgorithm, String> checksums) {
        return new ObjectWrite(
                "bkt", key, "text/plain", Map.of(), Map.of(), md5, null, checksums, Set.of(), Map::of, -1);
    }

    private static InputStream body(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }

    private String read(ObjectRecord r) throws IOException {
        try (InputStream in = service.reads().read(r, 0, r.size())) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static List<String> keys(ListPage page) {
        return page.objects().stream().map(ObjectRecord::key).toList();
    }

    private static List<String> blobFiles(Path node) throws IOException {
        try (Stream<Path> s = Files.walk(node.resolve("blobs"))) {
            return s.filter(Files::isRegularFile)
                    .map(p -> p.getFileName().toString())
                    .sorted()
                    .toList();
        }
    }

    private static List<String> tmpFiles(Path node) throws IOException {
        try (Stream<Path> s = Files.list(node.resolve("tmp"))) {
            return s.map(p -> p.getFileName().toString()).toList();
        }
    }
}
