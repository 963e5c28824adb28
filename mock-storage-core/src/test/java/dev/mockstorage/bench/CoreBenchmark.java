package dev.mockstorage.bench;

import dev.mockstorage.server.MockStorageServer;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * Prints the core server's speed and memory figures (issue: core server). Not a test: numbers on a
 * shared 2-core machine are noisy, so they are reported, never asserted. Run with {@code make bench}:
 * the latency part in one JVM, then the 1 GiB transfer in a JVM with -Xmx128m, which proves the
 * memory bound for client and server together.
 */
public final class CoreBenchmark {
    private static final int SMALL = 4 * 1024;
    private static final long BIG = 1024L * 1024 * 1024;
    /** The warm-up runs in rounds of this length until the JIT compiler is quiet. */
    private static final double WARM_UP_ROUND_SECONDS = 5;
    /** Quiet: the JIT compiled for less than this (wall ms, all compiler threads) during one round. */
    private static final long QUIET_JIT_MS = 100;
    /** The warm-up gives up waiting for a quiet JIT after this long, and says so. */
    private static final double MAX_WARM_UP_SECONDS = 120;
    /**
     * 1-thread runs are repeated this many times, in turn with the other mixes, and each figure is the
     * median of the rounds: on this shared VM the same code measured 2-3x slower for a minute at a time
     * (the SDK against the canned responder as much as against the server), which one run would take
     * for the figure.
     */
    private static final int ROUNDS = 3;

    /**
     * @param args {@code [seconds] [part]}: seconds per latency run (default 5); part {@code all} (default),
     *             {@code latency} (start-up and 4 KiB) or {@code big} (the 1 GiB transfer, meant for a
     *             JVM with -Xmx128m: a small heap would otherwise also slow the latency runs with GC)
     */
    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 && !args[0].isBlank() ? Double.parseDouble(args[0]) : 5;
        String part = args.length > 1 ? args[1] : "all";
        System.out.printf(
                Locale.ROOT,
                "mock-storage core benchmark: java %s, %d cores, max heap %d MiB%n",
                System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20);
        boolean latency = !part.equals("big");
        boolean big = !part.equals("latency");
        if (latency) {
            startup();
        }
        Path dir = Files.createTempDirectory("bench");
        try (MockStorageServer server =
                        MockStorageServer.builder().dataDirectory(dir).start();
                S3Client s3 = client(server)) {
            s3.createBucket(b -> b.bucket("bench"));
            if (latency) {
                oneThread(server, s3, seconds);
                eightThreads(server, s3, seconds);
            }
            if (big) {
                bigObject(s3);
            }
        } finally {
            deleteTree(dir);
        }
    }

    /** In-process start to first answered request, fresh temp dir and 3 nodes each time. */
    private static void startup() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        int warmup = 20;
        int runs = 100;
        double[] ms = new double[runs];
        for (int i = 0; i < warmup + runs; i++) {
            Path dir = Files.createTempDirectory("bench-start");
            long t0 = System.nanoTime();
            try (MockStorageServer server =
                    MockStorageServer.builder().dataDirectory(dir).nodes(3).start()) {
                HttpResponse<Void> r = http.send(
                        HttpRequest.newBuilder(server.endpoint().resolve("/health"))
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
                long t1 = System.nanoTime();
                if (r.statusCode() != 200) {
                    throw new IllegalStateException("health answered " + r.statusCode());
                }
                if (i >= warmup) {
                    ms[i - warmup] = (t1 - t0) / 1e6;
                }
            } finally {
                deleteTree(dir);
            }
        }
        Arrays.sort(ms);
        System.out.printf(
                Locale.ROOT,
                "start to first response (3 nodes, fresh dir, warm JVM, %d runs): median %.2f ms, p90 %.2f ms, min %.2f ms%n",
                runs,
                ms[runs / 2],
                ms[runs * 9 / 10],
                ms[0]);
    }

    /** What each client thread of a 4 KiB run does, over its own 1000 keys. */
    private enum Mix {
        PUT_THEN_GET("PUT then GET of the same key"),
        PUTS_ONLY("PUTs only (1000 keys overwritten in turn)"),
        GETS_ONLY("GETs only (the same 1000 keys)");

        final String label;

        Mix(String label) {
            this.label = label;
        }
    }

    /**
     * 4 KiB requests from one thread over keep-alive, after the warm-up: {@link #ROUNDS} rounds of PUT
     * then GET pairs, PUTs alone and GETs alone (a GET that follows a PUT shares the cores with that
     * PUT's background tasks and file-system work, so the pair and the separate runs differ), each also
     * as the server saw it, and the same pairs against {@link CannedResponder}, which stores nothing:
     * the SDK's own cost plus the loopback round trip, the part no server can remove.
     */
    private static void oneThread(MockStorageServer server, S3Client s3, double seconds) throws Exception {
        byte[] body = new byte[SMALL];
        ThreadLocalRandom.current().nextBytes(body);
        warmUp(s3, body);
        Map<String, Figures> figures = new LinkedHashMap<>();
        String floor = "the SDK alone, PUT then GET against a canned responder that stores nothing";
        try (CannedResponder canned = new CannedResponder(body);
                S3Client cannedClient = client(canned.endpoint(), "floor", "floor")) {
            run(cannedClient, 1, 2.0, body, Mix.PUT_THEN_GET);
            for (int round = 0; round < ROUNDS; round++) {
                for (Mix mix : Mix.values()) {
                    server.requests().clear();
                    figures.computeIfAbsent(mix.label, l -> new Figures())
                            .add(measure(s3, 1, seconds, body, mix), serverSide(server));
                }
                figures.computeIfAbsent(floor, l -> new Figures())
                        .add(measure(cannedClient, 1, seconds, body, Mix.PUT_THEN_GET), null);
            }
        }
        System.out.printf(
                Locale.ROOT,
                "4 KiB, 1 client thread, SDK sync (Apache5) at its defaults, keep-alive; median of %d rounds of %.0f s (each round's p50 in brackets):%n",
                ROUNDS,
                seconds);
        figures.forEach((label, f) -> f.print(label));
    }

    /** 4 KiB PUT then GET pairs from 8 threads, one run after a short warm-up (the code is compiled by now). */
    private static void eightThreads(MockStorageServer server, S3Client s3, double seconds) throws Exception {
        byte[] body = new byte[SMALL];
        ThreadLocalRandom.current().nextBytes(body);
        run(s3, 8, 3.0, body, Mix.PUT_THEN_GET); // fills the connection pool
        server.requests().clear();
        Figures f = new Figures();
        f.add(measure(s3, 8, seconds, body, Mix.PUT_THEN_GET), serverSide(server));
        System.out.printf(
                Locale.ROOT,
                "4 KiB, 8 client threads, SDK sync (Apache5) at its defaults, keep-alive, one run of %.0f s:%n",
                seconds);
        f.print(Mix.PUT_THEN_GET.label);
    }

    /** One run's end-to-end figures and how much the JIT compiled meanwhile. */
    private record Run(Samples samples, double seconds, long jitMillis) {
        double opsPerSecond() {
            return (samples.puts().size() + samples.gets().size()) / seconds;
        }
    }

    private static Run measure(S3Client s3, int threads, double seconds, byte[] body, Mix mix) throws Exception {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        long jitBefore = jit.getTotalCompilationTime();
        Samples samples = run(s3, threads, seconds, body, mix);
        return new Run(samples, seconds, jit.getTotalCompilationTime() - jitBefore);
    }

    /** The rounds of one line of figures: end to end, and as the server saw them (when it is ours). */
    private static final class Figures {
        private final List<Run> runs = new ArrayList<>();
        private final List<Samples> server = new ArrayList<>();

        void add(Run run, Samples serverSide) {
            runs.add(run);
            if (serverSide != null) {
                server.add(serverSide);
            }
        }

        void print(String label) {
            StringBuilder line = new StringBuilder("  ").append(label).append(':');
            appendOps(line, "PUT", runs.stream().map(r -> r.samples().puts()).toList());
            appendOps(line, "GET", runs.stream().map(r -> r.samples().gets()).toList());
            line.append(String.format(
                    Locale.ROOT,
                    " %.0f ops/s (JIT compiled %d ms meanwhile)",
                    median(runs.stream().map(Run::opsPerSecond).toList()),
                    runs.stream().mapToLong(Run::jitMillis).sum()));
            System.out.println(line);
            if (!server.isEmpty()) {
                StringBuilder seen = new StringBuilder(String.format(
                        Locale.ROOT,
                        "    as the server saw the last %d of each run:",
                        server.get(0).puts().size() + server.get(0).gets().size()));
                appendOps(seen, "PutObject", server.stream().map(Samples::puts).toList());
                appendOps(seen, "GetObject", server.stream().map(Samples::gets).toList());
                seen.setLength(seen.length() - 2); // the last " |"
                System.out.println(seen);
            }
        }

        private static void appendOps(StringBuilder line, String name, List<List<Long>> perRun) {
            if (perRun.stream().allMatch(List::isEmpty)) {
                return;
            }
            List<Double> p50 = perRun.stream().map(r -> pct(r, 50)).toList();
            List<Double> p99 = perRun.stream().map(r -> pct(r, 99)).toList();
            line.append(String.format(Locale.ROOT, " %s p50 %.3f ms", name, median(p50)));
            if (p50.size() > 1) {
                line.append(p50.stream()
                        .map(v -> String.format(Locale.ROOT, "%.2f", v))
                        .collect(Collectors.joining(" ", " [", "]")));
            }
            line.append(String.format(Locale.ROOT, " p99 %.3f ms |", median(p99)));
        }

        private static double median(List<Double> values) {
            List<Double> sorted = new ArrayList<>(values);
            sorted.sort(Comparator.naturalOrder());
            return sorted.get(sorted.size() / 2);
        }
    }

    /** Request latencies in nanoseconds, sorted. */
    private record Samples(List<Long> puts, List<Long> gets) {}

    /**
     * Runs the 4 KiB loop in rounds until the JIT compiler goes quiet. A request of the SDK and the
     * server calls most methods once, so C2 (tier 4, about 15 000 invocations) reaches them only after
     * tens of seconds at this rate, and compiles them on one of the two cores meanwhile: measured on
     * this machine, the p50s kept falling for about 45 s (PUT 1.5 ms at 5 s, 0.88 at 15 s, 0.70 at 30 s)
     * while the JIT compiled 2-5 s per 5 s round, and held once it compiled under 50 ms a round. A
     * fixed warm-up of 15 s measured the compiler's share of the cores as much as the requests.
     */
    private static void warmUp(S3Client s3, byte[] body) throws Exception {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        long start = System.nanoTime();
        long compiled;
        double elapsed;
        do {
            long before = jit.getTotalCompilationTime();
            run(s3, 1, WARM_UP_ROUND_SECONDS, body, Mix.PUT_THEN_GET);
            compiled = jit.getTotalCompilationTime() - before;
            elapsed = (System.nanoTime() - start) / 1e9;
        } while (compiled >= QUIET_JIT_MS && elapsed < MAX_WARM_UP_SECONDS);
        System.out.printf(
                Locale.ROOT,
                "warm-up: %.0f s of 4 KiB PUT/GET until the JIT compiled under %d ms in a %.0f s round (last round: %d ms%s)%n",
                elapsed,
                QUIET_JIT_MS,
                WARM_UP_ROUND_SECONDS,
                compiled,
                compiled >= QUIET_JIT_MS ? "; gave up waiting, the figures below still include compiling" : "");
    }

    /** The same requests as the server saw them (its request journal: the last 1000, head to last byte). */
    private static Samples serverSide(MockStorageServer server) {
        List<Long> puts = new ArrayList<>();
        List<Long> gets = new ArrayList<>();
        for (dev.mockstorage.journal.RecordedRequest r : server.requests().all()) {
            if ("PutObject".equals(r.operation())) {
                puts.add(r.durationNanos());
            } else if ("GetObject".equals(r.operation())) {
                gets.add(r.durationNanos());
            }
        }
        puts.sort(Comparator.naturalOrder());
        gets.sort(Comparator.naturalOrder());
        return new Samples(puts, gets);
    }

    private static Samples run(S3Client s3, int threads, double seconds, byte[] body, Mix mix) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            long end = System.nanoTime() + (long) (seconds * 1e9);
            List<Future<Samples>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    List<Long> puts = new ArrayList<>(200_000);
                    List<Long> gets = new ArrayList<>(200_000);
                    int i = 0;
                    while (System.nanoTime() < end) {
                        String key = "k-" + thread + "-" + (i++ % 1000);
                        if (mix != Mix.GETS_ONLY) {
                            long a = System.nanoTime();
                            s3.putObject(b -> b.bucket("bench").key(key), RequestBody.fromBytes(body));
                            puts.add(System.nanoTime() - a);
                        }
                        if (mix != Mix.PUTS_ONLY) {
                            long a = System.nanoTime();
                            byte[] got = s3.getObjectAsBytes(
                                            b -> b.bucket("bench").key(key))
                                    .asByteArrayUnsafe();
                            gets.add(System.nanoTime() - a);
                            if (got.length != body.length) {
                                throw new IllegalStateException("short read");
                            }
                        }
                    }
                    return new Samples(puts, gets);
                }));
            }
            List<Long> puts = new ArrayList<>();
            List<Long> gets = new ArrayList<>();
            for (Future<Samples> f : futures) {
                puts.addAll(f.get().puts());
                gets.addAll(f.get().gets());
            }
            puts.sort(Comparator.naturalOrder());
            gets.sort(Comparator.naturalOrder());
            return new Samples(puts, gets);
        } finally {
            pool.shutdownNow();
        }
    }

    /** 1 GiB streamed up and down; the heap of this whole JVM (client + server) is capped by -Xmx. */
    private static void bigObject(S3Client s3) throws IOException {
        System.gc();
        resetPeaks();
        long t0 = System.nanoTime();
        s3.putObject(b -> b.bucket("bench").key("big"), RequestBody.fromInputStream(new PatternStream(BIG), BIG));
        long t1 = System.nanoTime();
        long read = 0;
        byte[] buf = new byte[64 * 1024];
        try (ResponseInputStream<GetObjectResponse> in =
                s3.getObject(b -> b.bucket("bench").key("big"))) {
            for (int n; (n = in.read(buf)) > 0; ) {
                read += n;
            }
        }
        long t2 = System.nanoTime();
        if (read != BIG) {
            throw new IllegalStateException("read " + read + " of " + BIG);
        }
        System.out.printf(
                Locale.ROOT,
                "1 GiB PutObject (SDK default: aws-chunked, CRC32 trailer): %.1f s, %.0f MiB/s | GetObject: %.1f s, %.0f MiB/s | peak heap (client + server) %d MiB of max %d MiB%n",
                (t1 - t0) / 1e9,
                1024 / ((t1 - t0) / 1e9),
                (t2 - t1) / 1e9,
                1024 / ((t2 - t1) / 1e9),
                peakHeap() >> 20,
                Runtime.getRuntime().maxMemory() >> 20);
    }

    private static void resetPeaks() {
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                p.resetPeakUsage();
            }
        }
    }

    private static long peakHeap() {
        long sum = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                sum += p.getPeakUsage().getUsed();
            }
        }
        return sum;
    }

    private static double pct(List<Long> sorted, int p) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(sorted.size() * p / 100.0) - 1)) / 1e6;
    }

    private static S3Client client(MockStorageServer server) {
        return client(server.endpoint(), server.accessKey(), server.secretKey());
    }

    private static S3Client client(URI endpoint, String accessKey, String secretKey) {
        return S3Client.builder()
                .endpointOverride(endpoint)
                .forcePathStyle(true)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
                .build();
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** A generated stream of {@code size} bytes, nothing held in memory. */
    private static final class PatternStream extends InputStream {
        private final long size;
        private long pos;

        PatternStream(long size) {
            this.size = size;
        }

        @Override
        public int read() {
            return pos < size ? (int) (pos++ * 31 & 0xff) : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (pos >= size) {
                return -1;
            }
            int n = (int) Math.min(len, size - pos);
            for (int i = 0; i < n; i++) {
                b[off + i] = (byte) ((pos + i) * 31);
            }
            pos += n;
            return n;
        }
    }
}
