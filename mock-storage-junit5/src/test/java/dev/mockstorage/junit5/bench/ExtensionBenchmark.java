package dev.mockstorage.junit5.bench;

import com.sun.management.OperatingSystemMXBean;
import dev.mockstorage.MockStorageRuntime;
import dev.mockstorage.junit5.Fixture;
import dev.mockstorage.junit5.MockStorage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/**
 * What {@code @MockStorage} adds to a test (PER_METHOD, 3 nodes, one bucket), alone and with one PUT and one
 * GET over HTTP, next to an empty test and to a test with a {@code @TempDir} and an SQLite database only (the
 * floor of what is left to win).
 * Each test's time is from the engine's "started" to "finished" events, so it includes the
 * extension's before/after callbacks and the closing of its store. Not a test: {@code make bench-junit5}
 * ({@code TESTS=1000} by default; rounds of 100, the four variants interleaved after a warm-up round).
 */
public final class ExtensionBenchmark {

    private static final int ROUND = 100;

    @Fixture
    static class Empty {
        @RepeatedTest(ROUND)
        void test() {}
    }

    @Fixture
    @MockStorage(nodes = 3, buckets = "bench")
    static class WithMockStorage {
        @RepeatedTest(ROUND)
        void test(MockStorageRuntime storage) {}
    }

    /** What a typical test pays: the store, one PUT and one GET over HTTP (the JDK's client: no SDK start-up). */
    @Fixture
    @MockStorage(nodes = 3, buckets = "bench")
    static class PutAndGet {
        private static final byte[] BODY = "hello".getBytes(StandardCharsets.UTF_8);

        @RepeatedTest(ROUND)
        void test(MockStorageRuntime storage) throws IOException {
            URL object = storage.endpoint().resolve("/bench/key").toURL();
            HttpURLConnection put = (HttpURLConnection) object.openConnection();
            put.setRequestMethod("PUT");
            put.setDoOutput(true);
            put.setFixedLengthStreamingMode(BODY.length);
            try (OutputStream out = put.getOutputStream()) {
                out.write(BODY);
            }
            if (put.getResponseCode() != 200) {
                throw new IllegalStateException("PUT: " + put.getResponseCode());
            }
            put.getInputStream().readAllBytes();
            HttpURLConnection get = (HttpURLConnection) object.openConnection();
            try (InputStream in = get.getInputStream()) {
                if (!Arrays.equals(BODY, in.readAllBytes())) {
                    throw new IllegalStateException("GET: not what was PUT");
                }
            }
        }
    }

    @Fixture
    static class TempDirAndSqlite {
        @RepeatedTest(ROUND)
        void test(@TempDir Path dir) throws SQLException {
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("metadata.db"));
                    Statement s = c.createStatement()) {
                s.execute("CREATE TABLE objects (bucket TEXT, key TEXT, PRIMARY KEY (bucket, key))");
            }
        }
    }

    private ExtensionBenchmark() {}

    public static void main(String[] args) {
        int tests = args.length > 0 && !args[0].isBlank() ? Integer.parseInt(args[0]) : 1000;
        int rounds = Math.max(1, tests / ROUND);
        List<Class<?>> variants = List.of(Empty.class, WithMockStorage.class, PutAndGet.class, TempDirAndSqlite.class);
        Map<Class<?>, List<Long>> micros = new HashMap<>();
        Map<Class<?>, List<Long>> cpuMicros = new HashMap<>(); // the whole JVM's CPU per test, one figure per round
        for (Class<?> v : variants) {
            run(v); // warm-up: class loading, JIT, SQLite's native library
            micros.put(v, new ArrayList<>());
            cpuMicros.put(v, new ArrayList<>());
        }
        for (int r = 0; r < rounds; r++) {
            for (Class<?> v : variants) {
                long cpu0 = processCpuNanos();
                micros.get(v).addAll(run(v));
                cpuMicros.get(v).add((processCpuNanos() - cpu0) / 1000 / ROUND);
            }
        }
        System.out.printf(
                "per-test time over %d tests each (engine started -> finished), %d cores; CPU: the JVM's, per test"
                        + " (median of rounds of %d); load average %s%n",
                rounds * ROUND,
                Runtime.getRuntime().availableProcessors(),
                ROUND,
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        long emptyMedian = percentile(micros.get(Empty.class), 50);
        long emptyP90 = percentile(micros.get(Empty.class), 90);
        long emptyP99 = percentile(micros.get(Empty.class), 99);
        for (Class<?> v : variants) {
            List<Long> m = micros.get(v);
            long median = percentile(m, 50);
            long p90 = percentile(m, 90);
            long p99 = percentile(m, 99);
            System.out.printf(
                    "  %-18s median %7.2f ms  p90 %7.2f ms  p99 %7.2f ms   added over empty: median %7.2f ms  p90 %7.2f ms"
                            + "  p99 %7.2f ms%n",
                    v.getSimpleName(),
                    median / 1000.0,
                    p90 / 1000.0,
                    p99 / 1000.0,
                    (median - emptyMedian) / 1000.0,
                    (p90 - emptyP90) / 1000.0,
                    (p99 - emptyP99) / 1000.0);
            System.out.printf("  %-18s CPU    %7.2f ms%n", "", percentile(cpuMicros.get(v), 50) / 1000.0);
        }
        System.out.println("target: @MockStorage adds under 5 ms median, 10 ms p99");
    }

    /** Microseconds per test of one run of the fixture class. */
    private static List<Long> run(Class<?> fixture) {
        EngineExecutionResults results = EngineTestKit.engine("junit-jupiter")
                .configurationParameter(Fixture.PARAMETER, "true")
                .selectors(DiscoverySelectors.selectClass(fixture))
                .execute();
        if (results.testEvents().failed().count() > 0
                || results.testEvents().succeeded().count() != ROUND) {
            throw new IllegalStateException(fixture.getSimpleName() + ": "
                    + results.testEvents().failed().list());
        }
        Map<String, Event> started = new HashMap<>();
        results.testEvents().started().stream()
                .forEach(e -> started.put(e.getTestDescriptor().getUniqueId().toString(), e));
        List<Long> out = new ArrayList<>();
        results.testEvents().finished().stream()
                .forEach(e -> out.add(Duration.between(
                                        started.get(e.getTestDescriptor()
                                                        .getUniqueId()
                                                        .toString())
                                                .getTimestamp(),
                                        e.getTimestamp())
                                .toNanos()
                        / 1000));
        return out;
    }

    private static long processCpuNanos() {
        return ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static long percentile(List<Long> values, int p) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }
}
