package dev.mockstorage.internal.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mockstorage.internal.metadata.BucketStatsRecord;
import dev.mockstorage.internal.metadata.MetadataStore;
import dev.mockstorage.internal.metadata.ObjectRecord;
import dev.mockstorage.internal.queue.TaskQueue;
import dev.mockstorage.internal.storage.BlobStore;
import dev.mockstorage.internal.storage.PendingBlob;
import dev.mockstorage.internal.storage.StorageNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Task rows are the write-ahead log, so a data directory holds rows written by earlier versions: their
 * kind names and payloads are spelled out here as those versions wrote them, never taken from the
 * task types, and each must still run.
 */
class StoredTaskRowsTest {
    private static final Duration IDLE = Duration.ofSeconds(10);

    @TempDir
    Path dir;
    private MetadataStore metadata;
    private BlobStore blobs;
    private TaskQueue queue;
    private ObjectService service;

    @BeforeEach
    void setUp() {
        metadata = MetadataStore.open(dir.resolve("metadata.db"), false, Duration.ofSeconds(5));
        blobs = new BlobStore(List.of(new StorageNode("stg1", dir.resolve("stg1")), new StorageNode("stg2", dir.resolve("stg2"))),
                false);
        queue = new TaskQueue(metadata, 100, 1, Tasks.handlers(metadata, blobs), Clock.systemUTC(), "test");
        queue.pause();
        queue.start();
        service = new ObjectService(metadata, blobs, queue, Clock.systemUTC(), true);
    }

    @AfterEach
    void tearDown() {
        queue.close();
        metadata.close();
    }

    @Test
    void rowsInTheFormatOfEarlierVersionsRun() throws IOException {
        String single = committedBlob("one");
        String first = committedBlob("two");
        String second = committedBlob("three");
        ObjectRecord damaged = service.writes().put(write("a key with spaces"), body("some content"));
        byte[] intact = Files.readAllBytes(file("stg1", damaged.blobId()));
        Files.delete(file("stg2", damaged.blobId()));
        Instant bucketCreated = metadata.bucket("bkt").orElseThrow().createdAt();
        queue.resume();
        service.maintenance().awaitIdle(IDLE); // the put's own tasks
        queue.pause();
        BucketStatsRecord before = metadata.bucketStats("bkt").orElseThrow();

        insert("delete-blob", single);
        insert("delete-blobs", first + " " + second);
        insert("upload-completed", "bkt " + bucketCreated.toEpochMilli() + " 7 1700000000000");
        insert("repair-blob", damaged.blobId() + " 12 " + damaged.etag() + " bkt a key with spaces");
        queue.resume();
        service.maintenance().awaitIdle(IDLE);

        assertTrue(metadata.failedTasks(10).isEmpty(), () -> "failed: " + metadata.failedTasks(10));
        for (String node : List.of("stg1", "stg2")) {
            for (String gone : List.of(single, first, second)) {
                assertFalse(Files.exists(file(node, gone)), node + " still holds " + gone);
            }
        }
        BucketStatsRecord after = metadata.bucketStats("bkt").orElseThrow();
        assertEquals(before.uploads() + 1, after.uploads());
        assertEquals(before.uploadedBytes() + 7, after.uploadedBytes());
        assertArrayEquals(intact, Files.readAllBytes(file("stg2", damaged.blobId())), "the repair restored the copy");
    }

    @Test
    void eachKindReadsBackWhatItWrites() {
        DeleteBlob deleteBlob = new DeleteBlob("0123456789abcdef0123456789abcdef");
        assertEquals(deleteBlob, DeleteBlob.decode(deleteBlob.payload()));
        DeleteBlobs deleteBlobs = new DeleteBlobs(List.of("0123456789abcdef0123456789abcdef", "fedcba9876543210fedcba9876543210"));
        assertEquals(deleteBlobs, DeleteBlobs.decode(deleteBlobs.payload()));
        UploadCompleted uploadCompleted = new UploadCompleted("bkt", Instant.ofEpochMilli(1_000), 42, Instant.ofEpochMilli(2_000));
        assertEquals("bkt 1000 42 2000", uploadCompleted.payload());
        assertEquals(uploadCompleted, UploadCompleted.decode(uploadCompleted.payload()));
        RepairBlob repairBlob = new RepairBlob("0123456789abcdef0123456789abcdef", 12, "9a0364b9e99bb480dd25e1f0284c8555", "bkt",
                "a/b c");
        assertEquals(repairBlob, RepairBlob.decode(repairBlob.payload()));
        assertEquals(List.of("delete-blob", "delete-blobs", "upload-completed", "repair-blob"),
                List.of(deleteBlob.kind(), deleteBlobs.kind(), uploadCompleted.kind(), repairBlob.kind()));
    }

    @Test
    void everyKindHasAHandler() throws ReflectiveOperationException {
        Set<String> kinds = new TreeSet<>();
        for (Class<?> kind : Task.class.getPermittedSubclasses()) {
            kinds.add((String) kind.getDeclaredField("KIND").get(null));
        }
        assertEquals(Set.of("delete-blob", "delete-blobs", "repair-blob", "upload-completed"), kinds);
        assertEquals(kinds, Tasks.handlers(metadata, blobs).kinds());
    }

    @Test
    void aMalformedPayloadIsRefusedNamingItsKind() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> UploadCompleted.decode("bkt 1000 42"));
        assertEquals("malformed upload-completed payload (4 fields expected): bkt 1000 42", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> RepairBlob.decode("id twelve etag bkt k"));
        assertEquals("malformed repair-blob payload: id twelve etag bkt k", e.getMessage());
    }

    private void insert(String kind, String payload) {
        metadata.write(tx -> tx.enqueueTask(kind, payload));
    }

    private String committedBlob(String content) throws IOException {
        try (PendingBlob blob = blobs.prepare()) {
            blob.output().write(content.getBytes(StandardCharsets.UTF_8));
            return blob.commit();
        }
    }

    private static ObjectWrite write(String key) {
        return new ObjectWrite("bkt", key, null, Map.of(), Map.of(), null, null, Map.of(), Set.of(), Map::of, -1);
    }

    private static ByteArrayInputStream body(String content) {
        return new ByteArrayInputStream(content.getBytes(StandardCharsets.UTF_8));
    }

    private Path file(String node, String blobId) {
        return dir.resolve(node).resolve("blobs").resolve(blobId.substring(0, 2)).resolve(blobId);
    }
}
