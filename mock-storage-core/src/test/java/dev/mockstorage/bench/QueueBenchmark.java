package dev.mockstorage.bench;

import dev.mockstorage.internal.clock.ServerClock;
import dev.mockstorage.internal.metadata.MetadataStore;
import dev.mockstorage.internal.queue.TaskQueue;
import dev.mockstorage.internal.service.ObjectService;
import dev.mockstorage.internal.service.ObjectWrite;
import dev.mockstorage.internal.service.Tasks;
import dev.mockstorage.internal.storage.BlobStore;
import dev.mockstorage.internal.storage.StorageNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Prints how many tasks per second the queue's workers drain, with 1 and 2 workers.
 * Tasks pile up with the workers paused: N uploads queue N {@code upload-completed} tasks
 * (bookkeeping, applied in the completing transaction), then N deletes queue N {@code delete-blob}
 * tasks (three files each, one per node); each pile is then timed from resume to idle. Runs at the
 * service level (no HTTP) over real SQLite and node directories. Not a test: figures from a shared
 * machine are reported, never asserted. {@code make bench-queue} runs it with N = 20000; the first
 * argument overrides N.
 */
public final class QueueBenchmark {
    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        System.out.printf(
                Locale.ROOT,
                "mock-storage queue benchmark: java %s, %d cores, %d tasks of each kind%n",
                System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(),
                n);
        for (int workers : List.of(1, 2)) {
            run(n, workers);
        }
    }

    private static void run(int n, int workers) throws IOException {
        Path dir = Files.createTempDirectory("queue-bench");
        MetadataStore metadata = MetadataStore.open(dir.resolve("metadata.db"), false, Duration.ofSeconds(10));
        BlobStore blobs = new BlobStore(
                List.of(
                        new StorageNode("stg1", dir.resolve("stg1")),
                        new StorageNode("stg2", dir.resolve("stg2")),
                        new StorageNode("stg3", dir.resolve("stg3"))),
                false);
        TaskQueue queue =
                new TaskQueue(metadata, n + 1, workers, Tasks.handlers(metadata, blobs), Clock.systemUTC(), "bench");
        try {
            queue.pause();
            queue.start();
            ObjectService service = new ObjectService(metadata, blobs, queue, new ServerClock(), true);
            byte[] body = "x".repeat(100).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            for (int i = 0; i < n; i++) {
                service.writes()
                        .put(
                                new ObjectWrite(
                                        "bench", "k" + i, null, Map.of(), Map.of(), null, null, Map.of(), Set.of(),
                                        Map::of, -1),
                                new ByteArrayInputStream(body));
            }
            report(queue, n, workers, "upload-completed");
            queue.pause();
            for (int i = 0; i < n; i++) {
                service.writes().delete("bench", "k" + i);
            }
            report(queue, n, workers, "delete-blob");
        } finally {
            queue.close();
            metadata.close();
            deleteTree(dir);
        }
    }

    private static void report(TaskQueue queue, int n, int workers, String kind) {
        long start = System.nanoTime();
        queue.resume();
        queue.awaitIdle(Duration.ofMinutes(10));
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(
                Locale.ROOT,
                "  %d worker(s): %6d %-16s tasks drained in %6.2f s = %8.0f tasks/s%n",
                workers,
                n,
                kind,
                seconds,
                n / seconds);
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
