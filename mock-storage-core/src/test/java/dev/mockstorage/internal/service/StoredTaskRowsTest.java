package dev.mockstorage.internal.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mockstorage.internal.metadata.BucketStatsRecord;
import dev.mockstorage.internal.metadata.ObjectRecord;
import dev.mockstorage.internal.storage.PendingBlob;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
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
    @TempDir
    Path dir;

    private ServiceFixture f;

    @BeforeEach
    void setUp() {
        f = new ServiceFixture(dir);
        f.queue.pause();
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    @Test
    void rowsInTheFormatOfEarlierVersionsRun() throws IOException {
        String single = committedBlob("one");
        String first = committedBlob("two");
        String second = committedBlob("three");
        ObjectRecord damaged = f.put("a key with spaces", "some content");
        byte[] intact = Files.readAllBytes(f.file("stg1", damaged.blobId()));
        Files.delete(f.file("stg2", damaged.blobId()));
        Instant bucketCreated = f.metadata.bucket("bkt").orElseThrow().createdAt();
        f.queue.resume();
        f.awaitIdle(); // the put's own tasks
        f.queue.pause();
        BucketStatsRecord before = f.metadata.bucketStats("bkt").orElseThrow();

        insert("delete-blob", single);
        insert("delete-blobs", first + " " + second);
        insert("upload-completed", "bkt " + bucketCreated.toEpochMilli() + " 7 1700000000000");
        insert("repair-blob", damaged.blobId() + " 12 " + damaged.etag() + " bkt a key with spaces");
        insert("lifecycle-expiry", "1700000000000 bkt"); // a bucket without rules: nothing to do
        f.queue.resume();
        f.awaitIdle();

        assertTrue(f.metadata.failedTasks(10).isEmpty(), () -> "failed: " + f.metadata.failedTasks(10));
        for (String node : List.of("stg1", "stg2")) {
            for (String gone : List.of(single, first, second)) {
                assertFalse(Files.exists(f.file(node, gone)), node + " still holds " + gone);
            }
        }
        BucketStatsRecord after = f.metadata.bucketStats("bkt").orElseThrow();
        assertEquals(before.uploads() + 1, after.uploads());
        assertEquals(before.uploadedBytes() + 7, after.uploadedBytes());
        assertArrayEquals(intact, Files.readAllBytes(f.file("stg2", damaged.blobId())), "the repair restored the copy");
    }

    @Test
    void eachKindReadsBackWhatItWrites() {
        DeleteBlob deleteBlob = new DeleteBlob("0123456789abcdef0123456789abcdef");
        assertEquals(deleteBlob, DeleteBlob.decode(deleteBlob.payload()));
        DeleteBlobs deleteBlobs =
                new DeleteBlobs(List.of("0123456789abcdef0123456789abcdef", "fedcba9876543210fedcba9876543210"));
        assertEquals(deleteBlobs, DeleteBlobs.decode(deleteBlobs.payload()));
        UploadCompleted uploadCompleted =
                new UploadCompleted("bkt", Instant.ofEpochMilli(1_000), 42, Instant.ofEpochMilli(2_000));
        assertEquals("bkt 1000 42 2000", uploadCompleted.payload());
        assertEquals(uploadCompleted, UploadCompleted.decode(uploadCompleted.payload()));
        RepairBlob repairBlob = new RepairBlob(
                "0123456789abcdef0123456789abcdef", 12, "9a0364b9e99bb480dd25e1f0284c8555", "bkt", "a/b c");
        assertEquals(repairBlob, RepairBlob.decode(repairBlob.payload()));
        ExpireByLifecycle expire = new ExpireByLifecycle(Instant.ofEpochMilli(1_700_000_000_000L), "my-bucket");
        assertEquals("1700000000000 my-bucket", expire.payload());
        assertEquals(expire, ExpireByLifecycle.decode(expire.payload()));
        assertEquals(
                List.of("delete-blob", "delete-blobs", "upload-completed", "repair-blob", "lifecycle-expiry"),
                List.of(
                        deleteBlob.kind(),
                        deleteBlobs.kind(),
                        uploadCompleted.kind(),
                        repairBlob.kind(),
                        expire.kind()));
    }

    @Test
    void everyKindHasAHandler() throws ReflectiveOperationException {
        Set<String> kinds = new TreeSet<>();
        for (Class<?> kind : Task.class.getPermittedSubclasses()) {
            kinds.add((String) kind.getDeclaredField("KIND").get(null));
        }
        assertEquals(
                Set.of("delete-blob", "delete-blobs", "repair-blob", "upload-completed", "lifecycle-expiry"), kinds);
        assertEquals(kinds, Tasks.handlers(f.metadata, f.blobs).kinds());
    }

    @Test
    void aMalformedPayloadIsRefusedNamingItsKind() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> UploadCompleted.decode("bkt 1000 42"));
        assertEquals("malformed upload-completed payload (4 fields expected): bkt 1000 42", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> RepairBlob.decode("id twelve etag bkt k"));
        assertEquals("malformed repair-blob payload: id twelve etag bkt k", e.getMessage());
    }

    private void insert(String kind, String payload) {
        f.metadata.write(tx -> tx.enqueueTask(kind, payload));
    }

    private String committedBlob(String content) throws IOException {
        try (PendingBlob blob = f.blobs.prepare()) {
            blob.output().write(content.getBytes(StandardCharsets.UTF_8));
            return blob.commit();
        }
    }
}
