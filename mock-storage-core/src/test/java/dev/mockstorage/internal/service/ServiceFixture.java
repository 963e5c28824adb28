package dev.mockstorage.internal.service;

import dev.mockstorage.internal.clock.ServerClock;
import dev.mockstorage.internal.metadata.MetadataStore;
import dev.mockstorage.internal.metadata.ObjectRecord;
import dev.mockstorage.internal.queue.TaskQueue;
import dev.mockstorage.internal.storage.BlobStore;
import dev.mockstorage.internal.storage.StorageNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The services over real SQLite, two node directories ({@code stg1}, {@code stg2}) and the real queue
 * (one worker, started) in a test's directory; buckets are created by the first PUT. No HTTP.
 */
final class ServiceFixture implements AutoCloseable {
    final Path dir;
    final MetadataStore metadata;
    final BlobStore blobs;
    final TaskQueue queue;
    final ObjectService service;

    ServiceFixture(Path dir) {
        this.dir = dir;
        metadata = MetadataStore.open(dir.resolve("metadata.db"), false, Duration.ofSeconds(5));
        blobs = new BlobStore(
                List.of(new StorageNode("stg1", dir.resolve("stg1")), new StorageNode("stg2", dir.resolve("stg2"))),
                false);
        queue = new TaskQueue(metadata, 100, 1, Tasks.handlers(metadata, blobs), Clock.systemUTC(), "test");
        queue.start();
        service = new ObjectService(metadata, blobs, queue, new ServerClock(), true);
    }

    /** Stores {@code content} as {@code bkt/key}. */
    ObjectRecord put(String key, String content) {
        return service.writes()
                .put(
                        new ObjectWrite(
                                "bkt", key, null, Map.of(), Map.of(), null, null, Map.of(), Set.of(), Map::of, -1),
                        new ByteArrayInputStream(content.getBytes(StandardCharsets.UTF_8)));
    }

    /** The object's content, read as a GET reads it. */
    String read(ObjectRecord o) throws IOException {
        try (InputStream in = service.reads().read(o, 0, o.size())) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The blob's file on the node. */
    Path file(String node, String blobId) {
        return dir.resolve(node)
                .resolve("blobs")
                .resolve(blobId.substring(0, 2))
                .resolve(blobId);
    }

    /** Waits for the queue to run every task. */
    void awaitIdle() {
        service.maintenance().awaitIdle(Duration.ofSeconds(10));
    }

    @Override
    public void close() {
        queue.close();
        metadata.close();
    }
}
