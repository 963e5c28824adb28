package dev.mockstorage.internal.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mockstorage.internal.metadata.MetadataStore;
import dev.mockstorage.internal.metadata.ObjectRecord;
import dev.mockstorage.internal.metadata.TaskRecord;
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
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The repair-blob task at the service level, with the workers paused where the order matters. */
class RepairTaskTest {
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
        queue.start();
        service = new ObjectService(metadata, blobs, queue, Clock.systemUTC(), true);
    }

    @AfterEach
    void tearDown() {
        queue.close();
        metadata.close();
    }

    private ObjectRecord put(String key, String content) {
        return service.writes().put(new ObjectWrite("bkt", key, null, Map.of(), Map.of(), null, null, Map.of(), Set.of(), Map::of, -1),
                new ByteArrayInputStream(content.getBytes(StandardCharsets.UTF_8)));
    }

    private String read(ObjectRecord o) throws IOException {
        try (InputStream in = service.reads().read(o, 0, o.size())) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private Path file(String node, String blobId) {
        return dir.resolve(node).resolve("blobs").resolve(blobId.substring(0, 2)).resolve(blobId);
    }

    private List<TaskRecord> open(String kind) {
        return metadata.openTasks(100).stream().filter(t -> t.kind().equals(kind)).toList();
    }

    @Test
    void readsOfADamagedBlobQueueOneRepairThatRestoresTheCopy() throws IOException {
        ObjectRecord o = put("k", "some content");
        service.maintenance().awaitIdle(Duration.ofSeconds(10));
        byte[] intact = Files.readAllBytes(file("stg2", o.blobId()));
        Files.delete(file("stg1", o.blobId()));
        queue.pause();
        assertEquals("some content", read(o));
        assertEquals("some content", read(o));
        List<TaskRecord> repairs = open(RepairBlob.KIND);
        assertEquals(1, repairs.size(), "one repair however many reads");
        assertEquals(o.blobId() + " 12 " + o.etag() + " bkt k", repairs.get(0).payload());

        queue.resume();
        service.maintenance().awaitIdle(Duration.ofSeconds(10));
        assertArrayEquals(intact, Files.readAllBytes(file("stg1", o.blobId())));
        assertTrue(metadata.failedTasks(10).isEmpty());
    }

    @Test
    void aReadOfAnIntactBlobQueuesNothing() throws IOException {
        ObjectRecord o = put("k", "fine");
        service.maintenance().awaitIdle(Duration.ofSeconds(10));
        queue.pause();
        read(o);
        assertEquals(0, metadata.openTaskCount());
    }

    @Test
    void theRepairOfAnOverwrittenObjectsBlobBringsNothingBack() throws IOException {
        ObjectRecord old = put("k", "old");
        service.maintenance().awaitIdle(Duration.ofSeconds(10));
        Files.delete(file("stg1", old.blobId()));
        queue.pause();
        read(old); // queues the repair of the old blob
        put("k", "new"); // queues the old blob's deletion after it
        queue.resume();
        service.maintenance().awaitIdle(Duration.ofSeconds(10));
        assertFalse(Files.exists(file("stg1", old.blobId())));
        assertFalse(Files.exists(file("stg2", old.blobId())));
        assertTrue(metadata.failedTasks(10).isEmpty());
    }

    @Test
    void repairChecksTheContentAndRefusesWhenNoCopyIsIntact() throws IOException {
        ObjectRecord o = put("k", "abcdef");
        service.maintenance().awaitIdle(Duration.ofSeconds(10));
        Files.writeString(file("stg1", o.blobId()), "abcdeX"); // same size, other bytes: only the MD5 tells
        assertEquals(List.of("stg1"), blobs.replicas().repair(o.blobId(), o.size(), o.etag()));
        assertEquals("abcdef", Files.readString(file("stg1", o.blobId())));
        assertEquals(List.of(), blobs.replicas().repair(o.blobId(), o.size(), o.etag()), "nothing left to repair");

        Files.writeString(file("stg1", o.blobId()), "zzzzzz");
        Files.writeString(file("stg2", o.blobId()), "yyyyyy");
        IOException e = assertThrows(IOException.class, () -> blobs.replicas().repair(o.blobId(), o.size(), o.etag()));
        assertTrue(e.getMessage().startsWith("no node that is up holds an intact copy of blob " + o.blobId()), e.getMessage());
    }
}
