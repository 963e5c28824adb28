package dev.mockstorage.internal.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mockstorage.internal.metadata.ObjectRecord;
import dev.mockstorage.internal.metadata.TaskRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The repair-blob task at the service level, with the workers paused where the order matters. */
class RepairTaskTest {
    @TempDir
    Path dir;

    private ServiceFixture f;

    @BeforeEach
    void setUp() {
        f = new ServiceFixture(dir);
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    private List<TaskRecord> open(String kind) {
        return f.metadata.openTasks(100).stream()
                .filter(t -> t.kind().equals(kind))
                .toList();
    }

    @Test
    void readsOfADamagedBlobQueueOneRepairThatRestoresTheCopy() throws IOException {
        ObjectRecord o = f.put("k", "some content");
        f.awaitIdle();
        byte[] intact = Files.readAllBytes(f.file("stg2", o.blobId()));
        Files.delete(f.file("stg1", o.blobId()));
        f.queue.pause();
        assertEquals("some content", f.read(o));
        assertEquals("some content", f.read(o));
        List<TaskRecord> repairs = open(RepairBlob.KIND);
        assertEquals(1, repairs.size(), "one repair however many reads");
        assertEquals(o.blobId() + " 12 " + o.etag() + " bkt k", repairs.get(0).payload());

        f.queue.resume();
        f.awaitIdle();
        assertArrayEquals(intact, Files.readAllBytes(f.file("stg1", o.blobId())));
        assertTrue(f.metadata.failedTasks(10).isEmpty());
    }

    @Test
    void aReadOfAnIntactBlobQueuesNothing() throws IOException {
        ObjectRecord o = f.put("k", "fine");
        f.awaitIdle();
        f.queue.pause();
        f.read(o);
        assertEquals(0, f.metadata.openTaskCount());
    }

    @Test
    void theRepairOfAnOverwrittenObjectsBlobBringsNothingBack() throws IOException {
        ObjectRecord old = f.put("k", "old");
        f.awaitIdle();
        Files.delete(f.file("stg1", old.blobId()));
        f.queue.pause();
        f.read(old); // queues the repair of the old blob
        f.put("k", "new"); // queues the old blob's deletion after it
        f.queue.resume();
        f.awaitIdle();
        assertFalse(Files.exists(f.file("stg1", old.blobId())));
        assertFalse(Files.exists(f.file("stg2", old.blobId())));
        assertTrue(f.metadata.failedTasks(10).isEmpty());
    }

    @Test
    void repairChecksTheContentAndRefusesWhenNoCopyIsIntact() throws IOException {
        ObjectRecord o = f.put("k", "abcdef");
        f.awaitIdle();
        Files.writeString(f.file("stg1", o.blobId()), "abcdeX"); // same size, other bytes: only the MD5 tells
        assertEquals(List.of("stg1"), f.blobs.replicas().repair(o.blobId(), o.size(), o.etag()));
        assertEquals("abcdef", Files.readString(f.file("stg1", o.blobId())));
        assertEquals(List.of(), f.blobs.replicas().repair(o.blobId(), o.size(), o.etag()), "nothing left to repair");

        Files.writeString(f.file("stg1", o.blobId()), "zzzzzz");
        Files.writeString(f.file("stg2", o.blobId()), "yyyyyy");
        IOException e =
                assertThrows(IOException.class, () -> f.blobs.replicas().repair(o.blobId(), o.size(), o.etag()));
        assertTrue(
                e.getMessage().startsWith("no node that is up holds an intact copy of blob " + o.blobId()),
                e.getMessage());
    }
}
