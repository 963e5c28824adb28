package dev.mockstorage.bench;

import dev.mockstorage.MockStorageServer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

import java.io.IOException;
import java.io.InputStream;
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
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * Prints the core server's speed and memory figures (issue: core server). Not a test: numbers on a
 * shared 2-core machine are noisy, so they are reported, never asserted. Run with {@code make bench}:
 * the latency part in one JVM, then the 1 GiB transfer in a JVM with -Xmx128m, which proves the
 * memory bound for client and server together.
 */
public final class CoreBenchmark {
    private static final int SMALL = 4 * 1024;
    private static final long BIG = 1024L * 1024 * 1024;
    private static final double WARM_UP_SECONDS = 15;

    /**
     * @param args {@code [seconds] [part]}: seconds per latency run (default 5); part {@code all} (default),
     *             {@code latency} (start-up and 4 KiB) or {@code big} (the 1 GiB transfer, meant for a
     *             JVM with -Xmx128m: a small heap would otherwise also slow the latency runs with GC)
     */
    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 && !args[0].isBlank() ? Double.parseDouble(args[0]) : 5;
        String part = args.length > 1 ? args[1] : "all";
        System.out.printf(Locale.ROOT, "mock-storage core benchmark: java %s, %d cores, max heap %d MiB%n",
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20);
        boolean latency = !part.equals("big");
        boolean big = !part.equals("latency");
        if (latency) {
            startup();
        }
        Path dir = Files.createTempDirectory("bench");
        try (MockStorageServer server = MockStorageServer.builder().dataDirectory(dir).start();
             S3Client s3 = client(server)) {
            s3.createBucket(b -> b.bucket("bench"));
            if (latency) {
                smallObjects(s3, 1, seconds);
                serverSide(server, 1);
                smallObjects(s3, 8, seconds);
                serverSide(server, 8);
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
            try (MockStorageServer server = MockStorageServer.builder().dataDirectory(dir).nodes(3).start()) {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(server.endpoint().resolve("/health")).build(),
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
        System.out.printf(Locale.ROOT, "start to first response (3 nodes, fresh dir, warm JVM, %d runs): median %.2f ms, p90 %.2f ms, min %.2f ms%n",
                runs, ms[runs / 2], ms[runs * 9 / 10], ms[0]);
    }

    /** 4 KiB PutObject then GetObject pairs over keep-alive, per thread count. */
    private static void smallObjects(S3Client s3, int threads, double seconds) throws Exception {
        byte[] body = new byte[SMALL];
        ThreadLocalRandom.current().nextBytes(body);
        // warm-up: the JIT is still compiling the SDK's request path (C2 busy on one of the 2 cores)
        // for 10-20 s of requests; a shorter warm-up measured the compiler more than the requests
        // (the first run warms up for the later ones)
        run(s3, threads, Math.max(threads == 1 ? WARM_UP_SECONDS : 3.0, seconds), body);
        List<long[]> results = run(s3, threads, seconds, body);
        List<Long> puts = new ArrayList<>();
        List<Long> gets = new ArrayList<>();
        long ops = 0;
        for (long[] r : results) {
            for (int i = 0; i + 1 < r.length; i += 2) {
                if (r[i] == 0) {
                    break;
                }
                puts.add(r[i]);
                gets.add(r[i + 1]);
                ops += 2;
            }
        }
        puts.sort(Comparator.naturalOrder());
        gets.sort(Comparator.naturalOrder());
        System.out.printf(Locale.ROOT, "4 KiB, %d client thread(s), SDK sync (Apache5), keep-alive: PUT p50 %.3f ms p99 %.3f ms | GET p50 %.3f ms p99 %.3f ms | %.0f ops/s%n",
                threads, pct(puts, 50), pct(puts, 99), pct(gets, 50), pct(gets, 99), ops / seconds);
    }

    /** The same requests as the server saw them (its request journal: the last 1000, head to last byte). */
    private static void serverSide(MockStorageServer server, int threads) {
        List<dev.mockstorage.journal.RecordedRequest> recent = server.requests().all();
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  server side, %d client thread(s), last %d requests:",
                threads, recent.size()));
        for (String operation : List.of("PutObject", "GetObject")) {
            List<Long> nanos = new ArrayList<>();
            for (dev.mockstorage.journal.RecordedRequest r : recent) {
                if (operation.equals(r.operation())) {
                    nanos.add(r.durationNanos());
                }
            }
            nanos.sort(Comparator.naturalOrder());
            line.append(String.format(Locale.ROOT, " %s p50 %.3f ms p99 %.3f ms;", operation, pct(nanos, 50), pct(nanos, 99)));
        }
        System.out.println(line);
        server.requests().clear();
    }

    private static List<long[]> run(S3Client s3, int threads, double seconds, byte[] body) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            long end = System.nanoTime() + (long) (seconds * 1e9);
            List<Future<long[]>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    long[] samples = new long[400_000];
                    int n = 0;
                    int i = 0;
                    while (System.nanoTime() < end && n + 2 <= samples.length) {
                        String key = "k-" + thread + "-" + (i++ % 1000);
                        long a = System.nanoTime();
                        s3.putObject(b -> b.bucket("bench").key(key), RequestBody.fromBytes(body));
                        long b2 = System.nanoTime();
                        byte[] got = s3.getObjectAsBytes(b -> b.bucket("bench").key(key)).asByteArrayUnsafe();
                        long c = System.nanoTime();
                        if (got.length != body.length) {
                            throw new IllegalStateException("short read");
                        }
                        samples[n++] = b2 - a;
                        samples[n++] = c - b2;
                    }
                    return samples;
                }));
            }
            List<long[]> out = new ArrayList<>();
            for (Future<long[]> f : futures) {
                out.add(f.get());
            }
            return out;
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
        try (ResponseInputStream<GetObjectResponse> in = s3.getObject(b -> b.bucket("bench").key("big"))) {
            for (int n; (n = in.read(buf)) > 0; ) {
                read += n;
            }
        }
        long t2 = System.nanoTime();
        if (read != BIG) {
            throw new IllegalStateException("read " + read + " of " + BIG);
        }
        System.out.printf(Locale.ROOT, "1 GiB PutObject (SDK default: aws-chunked, CRC32 trailer): %.1f s, %.0f MiB/s | GetObject: %.1f s, %.0f MiB/s | peak heap (client + server) %d MiB of max %d MiB%n",
                (t1 - t0) / 1e9, 1024 / ((t1 - t0) / 1e9), (t2 - t1) / 1e9, 1024 / ((t2 - t1) / 1e9),
                peakHeap() >> 20, Runtime.getRuntime().maxMemory() >> 20);
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
        return S3Client.builder().endpointOverride(server.endpoint()).forcePathStyle(true).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(server.accessKey(), server.secretKey())))
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
