package dev.mockstorage.internal.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Locks: an upload whose metadata transaction waits for the write lock longer than the lock
 * timeout fails with {@code SlowDown} (503) and releases everything it took: its blob files on every
 * node, its temp files, and the lock (the next upload succeeds); the old object stays readable, and
 * reads are served while the lock is held. The lock is held deterministically by a transaction that
 * waits on a latch, so no timing decides the outcome; the timeout is 200 ms.
 */
class WriteLockTimeoutTest {
    private static final Duration LOCK_TIMEOUT = Duration.ofMillis(200);
    private static final List<String> NODES = List.of("stg1", "stg2", "stg3");

    @TempDir
    Path dir;

    private MetadataStore metadata;
    private TaskQueue queue;
    private ObjectService service;

    @BeforeEach
    void setUp() {
        metadata = MetadataStore.open(dir.resolve("metadata.db"), false, LOCK_TIMEOUT);
        BlobStore blobs = new BlobStore(
                NODES.stream().map(n -> new StorageNode(n, dir.resolve(n))).toList(), false);
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
    void anUploadWaitingBeyondTheLockTimeoutIsSlowDownAndLeavesNothingBehind() throws Exception {
        ObjectRecord old = service.writes().put(write("k"), body("the old version"));
        service.maintenance().awaitIdle(Duration.ofSeconds(10));
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread holder = new Thread(
                () -> metadata.write(tx -> {
                    held.countDown();
                    try {
                        release.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return null;
                }),
                "lock-holder");
        holder.start();
        assertTrue(held.await(30, TimeUnit.SECONDS), "the holder took the write lock");
        try {
            StorageException e = assertThrows(
                    StorageException.class,
                    () -> service.writes().put(write("k"), body("a new version that must not land")));
            assertEquals(ErrorCode.SlowDown, e.code(), e::getMessage);
            assertEquals(503, e.code().status());

            // readers are not blocked by the held write lock: the old version is served meanwhile
            ObjectRecord current = service.readThrough().headOrFetch("bkt", "k");
            assertEquals(old.blobId(), current.blobId());
            assertEquals("the old version", read(current));
            for (String node : NODES) {
                assertEquals(List.of(old.blobId()), blobFiles(dir.resolve(node)), "no new blob left on " + node);
                assertEquals(
                        List.of(),
                        tmpFiles(dir.resolve(node)).stream()
                                .filter(f -> !f.startsWith("spare-"))
                                .toList(),
                        "no temp file left on " + node
                                + " (a spare is the refused blob's committed file, kept for the next write)");
            }
        } finally {
            release.countDown();
            holder.join(30_000);
        }
        // the failed upload released the lock: the next one lands, and the old blob goes
        ObjectRecord next = service.writes().put(write("k"), body("the next version"));
        service.maintenance().awaitIdle(Duration.ofSeconds(10));
        assertEquals("the next version", read(service.readThrough().headOrFetch("bkt", "k")));
        for (String node : NODES) {
            assertEquals(List.of(next.blobId()), blobFiles(dir.resolve(node)), "one blob on " + node);
        }
    }

    private static ObjectWrite write(String key) {
        return new ObjectWrite(
                "bkt", key, "text/plain", Map.of(), Map.of(), null, null, Map.of(), Set.of(), Map::of, -1);
    }

    private static InputStream body(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }

    private String read(ObjectRecord r) throws IOException {
        try (InputStream in = service.reads().read(r, 0, r.size())) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
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
