package dev.mockstorage.junit5;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mockstorage.MockStorageRuntime;
import dev.mockstorage.server.MockStorageServer;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/** PER_METHOD servers with {@code junit.jupiter.execution.parallel.enabled=true}, methods concurrent. */
class ParallelTest {

    static final Set<Integer> PORTS = ConcurrentHashMap.newKeySet();
    /** Two tests wait for each other while holding their servers: passes only when they truly run at once. */
    static final CountDownLatch BOTH_RUNNING = new CountDownLatch(2);

    @Fixture
    @MockStorage(buckets = "bkt")
    static class Concurrent {
        @RepeatedTest(8)
        void test(MockStorageServer server, MockStorageRuntime runtime) {
            server.putObject("bkt", "k", "v".getBytes(), "text/plain");
            assertEquals(1, runtime.stats().objects().count(), "no other test's object");
            PORTS.add(server.port());
        }

        @Test
        void a(MockStorageServer server) throws InterruptedException {
            meet(server);
        }

        @Test
        void b(MockStorageServer server) throws InterruptedException {
            meet(server);
        }

        private static void meet(MockStorageServer server) throws InterruptedException {
            PORTS.add(server.port());
            BOTH_RUNNING.countDown();
            assertTrue(BOTH_RUNNING.await(20, TimeUnit.SECONDS), "the other test did not run concurrently");
        }
    }

    @Test
    void everyConcurrentTestHasItsOwnServer() {
        EngineExecutionResults results = Fixtures.run(
                Concurrent.class,
                Map.of(
                        "junit.jupiter.execution.parallel.enabled", "true",
                        "junit.jupiter.execution.parallel.mode.default", "concurrent",
                        "junit.jupiter.execution.parallel.config.strategy", "fixed",
                        "junit.jupiter.execution.parallel.config.fixed.parallelism", "4"));
        assertEquals(10, results.testEvents().succeeded().count(), () -> Fixtures.failures(results));
        assertEquals(10, PORTS.size(), "ports " + PORTS);
    }
}
