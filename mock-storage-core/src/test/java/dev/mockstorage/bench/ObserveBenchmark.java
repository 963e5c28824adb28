package dev.mockstorage.bench;

import dev.mockstorage.server.MockStorageServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Locale;
import java.util.stream.Stream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The per-request cost of the request journal and metrics: 4 KiB GetObject latency from one SDK
 * client thread against a server with journal + metrics on (the defaults) and one with both off
 * ({@code journal.size=0}, {@code metrics.enabled=false}); the access log stays off in both. The two
 * runs alternate so drift hits both. Not a test: figures are printed, never asserted. Run with
 * {@code make bench-observe} ({@code BENCH_SECONDS=n} per phase, default 5).
 */
public final class ObserveBenchmark {
    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 5;
        Path dir = Files.createTempDirectory("bench-observe");
        try (MockStorageServer on = MockStorageServer.builder()
                        .dataDirectory(dir.resolve("on"))
                        .start();
                MockStorageServer off = MockStorageServer.builder()
                        .dataDirectory(dir.resolve("off"))
                        .setting("journal.size", "0")
                        .setting("metrics.enabled", "false")
                        .start();
                S3Client s3on = client(on);
                S3Client s3off = client(off)) {
            byte[] body = new byte[4096];
            for (S3Client c : new S3Client[] {s3on, s3off}) {
                c.createBucket(b -> b.bucket("bench"));
                c.putObject(b -> b.bucket("bench").key("k"), RequestBody.fromBytes(body));
            }
            gets(s3on, 1.0); // warm-up both
            gets(s3off, 1.0);
            double half = seconds / 2;
            long[] a1 = gets(s3on, half);
            long[] b1 = gets(s3off, half);
            long[] a2 = gets(s3on, half);
            long[] b2 = gets(s3off, half);
            report("journal+metrics on ", concat(a1, a2), seconds);
            report("journal+metrics off", concat(b1, b2), seconds);
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static long[] gets(S3Client s3, double seconds) throws IOException {
        long[] times = new long[1 << 20];
        int n = 0;
        long end = System.nanoTime() + (long) (seconds * 1e9);
        while (System.nanoTime() < end && n < times.length) {
            long t0 = System.nanoTime();
            s3.getObjectAsBytes(b -> b.bucket("bench").key("k"));
            times[n++] = System.nanoTime() - t0;
        }
        return Arrays.copyOf(times, n);
    }

    private static long[] concat(long[] a, long[] b) {
        long[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    private static void report(String label, long[] nanos, double seconds) {
        Arrays.sort(nanos);
        System.out.printf(
                Locale.ROOT,
                "4 KiB GET, 1 thread, %s: p50 %.3f ms  p90 %.3f ms  p99 %.3f ms  (%d requests, %.0f/s)%n",
                label,
                at(nanos, 50),
                at(nanos, 90),
                at(nanos, 99),
                nanos.length,
                nanos.length / seconds);
    }

    private static double at(long[] sorted, int p) {
        return sorted.length == 0 ? Double.NaN : sorted[Math.min(sorted.length - 1, sorted.length * p / 100)] / 1e6;
    }

    private static S3Client client(MockStorageServer server) {
        return S3Client.builder()
                .endpointOverride(server.endpoint())
                .forcePathStyle(true)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(server.accessKey(), server.secretKey())))
                .build();
    }
}
