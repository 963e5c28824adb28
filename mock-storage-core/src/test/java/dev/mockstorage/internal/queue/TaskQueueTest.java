package dev.mockstorage.internal.queue;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mockstorage.internal.error.ErrorCode;
import dev.mockstorage.internal.error.StorageException;
import dev.mockstorage.internal.metadata.MetadataStore;
import dev.mockstorage.internal.metadata.TaskRecord;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The queue over a real SQLite task table, with handlers written for each case. */
class TaskQueueTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private MetadataStore metadata;
    private TaskQueue queue;

    @BeforeEach
    void setUp() {
        metadata = MetadataStore.open(dir.resolve("m.db"), false, Duration.ofSeconds(5));
    }

    @AfterEach
    void tearDown() {
        if (queue != null) {
            queue.close();
        }
        metadata.close();
    }

    private void enqueue(String kind, String payload) {
        metadata.write(tx -> tx.enqueueTask(kind, payload));
    }

    /** Each reading is a minute after the last, so every backoff has passed by the next claim: no waiting. */
    private static Clock fastForward() {
        AtomicLong minutes = new AtomicLong();
        Instant base = Instant.now();
        return new Clock() {
            @Override
            public Instant instant() {
                return base.plus(Duration.ofMinutes(minutes.incrementAndGet()));
            }

            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }
        };
    }

    @Test
    void aTaskThatKeepsFailingIsRetriedThenParkedWithItsLastError() {
        AtomicInteger attempts = new AtomicInteger();
        queue = new TaskQueue(
                metadata,
                10,
                1,
                TaskHandlers.create().run("flaky", p -> {
                    throw new IllegalStateException("attempt " + attempts.incrementAndGet() + " on " + p);
                }),
                fastForward(),
                "t");
        enqueue("flaky", "payload-1");
        queue.start();
        queue.wakeUp();
        queue.awaitIdle(WAIT); // parked tasks are not open

        assertEquals(TaskQueue.MAX_ATTEMPTS, attempts.get());
        assertEquals(TaskQueue.MAX_ATTEMPTS - 1, queue.retriedCount());
        assertEquals(1, queue.failedCount());
        assertEquals(1, queue.parkedCount());
        List<TaskRecord> failed = metadata.failedTasks(10);
        assertEquals(1, failed.size());
        assertEquals(
                "IllegalStateException: attempt 5 on payload-1", failed.get(0).lastError());
        assertEquals(
                List.of("#" + failed.get(0).id() + " flaky payload-1 (failed, attempts 5, last error: "
                        + "IllegalStateException: attempt 5 on payload-1)"),
                queue.describeFailed(10));
    }

    @Test
    void aTaskThatRecoversIsDoneAfterItsRetries() {
        AtomicInteger attempts = new AtomicInteger();
        queue = new TaskQueue(
                metadata,
                10,
                1,
                TaskHandlers.create().run("twice", p -> {
                    if (attempts.incrementAndGet() < 3) {
                        throw new java.io.IOException("not yet");
                    }
                }),
                fastForward(),
                "t");
        enqueue("twice", null);
        queue.start();
        queue.awaitIdle(WAIT);
        assertEquals(3, attempts.get());
        assertEquals(1, queue.doneCount());
        assertEquals(0, queue.parkedCount());
    }

    @Test
    void onANewDatabaseTheWorkersStartWithTheFirstWakeUp() {
        AtomicInteger ran = new AtomicInteger();
        String prefix = "lazy-" + System.nanoTime();
        queue = new TaskQueue(
                metadata,
                10,
                2,
                TaskHandlers.create().run("count", p -> ran.incrementAndGet()),
                Clock.systemUTC(),
                prefix);
        queue.start();
        assertEquals(0, workers(prefix), "no task yet: no worker thread");

        enqueue("count", null);
        queue.wakeUp();

        await().atMost(WAIT).until(() -> ran.get() == 1); // not awaitIdle: it would start them itself
        assertEquals(2, workers(prefix));
    }

    @Test
    void onAReopenedDatabaseTasksLeftQueuedRunWithoutAWakeUp() {
        Path file = dir.resolve("m.db");
        enqueue("count", "left by the last run");
        metadata.close();
        metadata = MetadataStore.open(file, false, Duration.ofSeconds(5));
        assertFalse(metadata.isNew());
        AtomicInteger ran = new AtomicInteger();
        queue = new TaskQueue(
                metadata,
                10,
                1,
                TaskHandlers.create().run("count", p -> ran.incrementAndGet()),
                Clock.systemUTC(),
                "t");

        queue.start();

        await().atMost(WAIT).until(() -> ran.get() == 1);
    }

    private static long workers(String prefix) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith(prefix + "-worker-"))
                .count();
    }

    @Test
    void backoffDoublesFromOneHundredMillisecondsUpToTenSeconds() {
        assertEquals(Duration.ofMillis(100), TaskRunner.backoff(1));
        assertEquals(Duration.ofMillis(200), TaskRunner.backoff(2));
        assertEquals(Duration.ofMillis(800), TaskRunner.backoff(4));
        assertEquals(Duration.ofSeconds(10), TaskRunner.backoff(50));
    }

    @Test
    void bookkeepingTasksApplyExactlyOnceAndOneBadPayloadIsRolledBackAlone() {
        metadata.write(tx -> tx.createBucket("b", Instant.EPOCH));
        queue = new TaskQueue(
                metadata,
                100,
                1,
                TaskHandlers.create().inTransaction("count", (tx, p) -> {
                    tx.recordUpload("b", Instant.EPOCH, Long.parseLong(p), Instant.EPOCH);
                }),
                fastForward(),
                "t");
        queue.pause();
        queue.start();
        for (String p : List.of("1", "2", "oops", "4")) {
            enqueue("count", p);
        }
        queue.resume();
        queue.awaitIdle(WAIT);
        var stats = metadata.bucketStats("b").orElseThrow();
        assertEquals(3, stats.uploads());
        assertEquals(7, stats.uploadedBytes());
        assertEquals(3, queue.doneCount());
        assertEquals(
                List.of("oops"),
                metadata.failedTasks(10).stream().map(TaskRecord::payload).toList());
        assertTrue(metadata.failedTasks(10).get(0).lastError().startsWith("NumberFormatException"));
    }

    @Test
    void withoutWorkersTasksWaitAndAwaitIdleListsThem() {
        queue = new TaskQueue(metadata, 10, 0, Map.of("k", p -> {}), Clock.systemUTC(), "t");
        queue.start();
        enqueue("k", "first");
        enqueue("k", "second");
        IllegalStateException e =
                assertThrows(IllegalStateException.class, () -> queue.awaitIdle(Duration.ofMillis(1)));
        assertTrue(
                e.getMessage()
                        .startsWith(
                                "the task queue is not idle after 1 ms; open tasks: #1 k first (pending, attempts 0), "
                                        + "#2 k second (pending, attempts 0)"),
                e.getMessage());
        assertEquals(0, queue.workerCount());
        assertEquals(2, queue.openCount());
    }

    @Test
    void aFullQueueHoldsTheWriterBackThenAnswersSlowDown() {
        queue = new TaskQueue(
                metadata, 2, 0, TaskHandlers.create().run("k", p -> {}), Duration.ofMillis(50), Clock.systemUTC(), "t");
        queue.start();
        queue.awaitRoom();
        enqueue("k", "1");
        assertTrue(queue.hasRoom());
        enqueue("k", "2");
        assertEquals(false, queue.hasRoom());
        StorageException e = assertThrows(StorageException.class, queue::awaitRoom);
        assertEquals(ErrorCode.SlowDown, e.code());
        assertTrue(
                e.getMessage().contains("queue is full (2 open tasks, queue.size) and did not drain within 50 ms"),
                e.getMessage());
    }

    @Test
    void aWriterWaitingForRoomGoesOnOnceTheWorkersDrainTheQueue() throws Exception {
        List<String> ran = new CopyOnWriteArrayList<>();
        queue = new TaskQueue(metadata, 1, 1, TaskHandlers.create().run("k", ran::add), WAIT, Clock.systemUTC(), "t");
        queue.pause();
        queue.start();
        enqueue("k", "blocking");
        Thread resumer = new Thread(queue::resume);
        resumer.start();
        queue.awaitRoom(); // returns once the paused worker resumed and finished the task
        resumer.join();
        assertEquals(List.of("blocking"), ran);
    }

    @Test
    void tasksWithoutAHandlerAreParkedAtOnce() {
        queue = new TaskQueue(metadata, 10, 1, TaskHandlers.create(), Clock.systemUTC(), "t");
        queue.start();
        enqueue("unknown-kind", "p");
        queue.wakeUp();
        queue.awaitIdle(WAIT);
        assertEquals(
                List.of("IllegalStateException: no handler for task kind 'unknown-kind'"),
                metadata.failedTasks(10).stream().map(TaskRecord::lastError).toList());
    }
}
