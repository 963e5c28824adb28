package dev.mockstorage.bench;

import dev.mockstorage.server.MockStorageServer;
import dev.mockstorage.stats.ConsistencyReport;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code make bench-scale}: how the store's costs grow with the number of objects. Loads
 * small objects into one bucket through the server's in-process upload path (every node, metadata,
 * tasks; several threads) and, at 10 000, 100 000 and 1 000 000 objects (and once more after 100 000
 * more in each of 10 further buckets), measures: PUT and GET p50 (AWS SDK v2, 4 KiB PUTs, GETs of random
 * loaded keys), ListObjectsV2 first and middle page with and without a delimiter, a ListObjectVersions
 * page, the admin listing's middle page, admin search (a substring and a glob), /api/v1/stats and
 * /metrics, the consistency check's time and the heap it needed, the database and data directory
 * sizes, and the heap after a collection. Reported, never asserted (the machine is shared and noisy).
 *
 * <p>The loaded objects are empty by default: three nodes of two million small files would need
 * 24 GiB of 4 KiB blocks, empty ones need only inodes and directory entries; the blob files, index
 * entries and metadata rows, which are what grows, are the same. {@code SIZE=n} loads n-byte objects.
 * Keys are {@code dir-NNN/key-NNNNNNN}, 1 000 directories, so a delimiter listing's page is 1 000
 * common prefixes over the whole bucket.
 *
 * <p>Arguments: {@code [objects=1000000] [objects per extra bucket=100000] [extra buckets=10] [size=0]
 * [loader threads=3]}.
 */
public final class ScaleBenchmark {
    private static final String BUCKET = "scale";
    private static final int PROBES = 1000;
    private static final int DIRS = 1000;

    private final MockStorageServer server;
    private final S3Client s3;
    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final Path dir;
    private final byte[] content;
    private final int loaders;
    private final List<String> rows = new ArrayList<>();
    private final Random random = new Random(42);
    private long probeSeq;

    private ScaleBenchmark(Path dir, int size, int loaders) {
        this.dir = dir;
        this.content = new byte[size];
        this.loaders = loaders;
        this.server = MockStorageServer.builder().dataDirectory(dir).start();
        this.s3 = S3Client.builder()
                .endpointOverride(server.endpoint())
                .forcePathStyle(true)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b")))
                .build();
    }

    public static void main(String[] args) throws Exception {
        long objects = arg(args, 0, 1_000_000);
        long perBucket = arg(args, 1, 100_000);
        int buckets = (int) arg(args, 2, 10);
        int size = (int) arg(args, 3, 0);
        int loaders = (int) arg(args, 4, 3);
        Path dir = Files.createTempDirectory("mock-storage-scale-");
        System.out.printf(
                Locale.ROOT,
                "mock-storage scale benchmark: %d objects in one bucket, then %d in each of %d more; "
                        + "%d-byte objects, %d loader threads; java %s, %d cores, max heap %d MiB; load average %s; data in %s%n",
                objects,
                perBucket,
                buckets,
                size,
                loaders,
                System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20,
                loadAverage(),
                dir);
        ScaleBenchmark bench = new ScaleBenchmark(dir, size, loaders);
        try {
            bench.run(objects, perBucket, buckets);
            bench.s3.close();
            bench.server.close();
            restart(dir);
        } finally {
            bench.s3.close();
            bench.server.close();
            deleteTree(dir);
        }
    }

    /** A new server on the full data directory: start to the first answered request. */
    private static void restart(Path dir) throws Exception {
        HttpClient http =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        long t = System.nanoTime();
        try (MockStorageServer again =
                MockStorageServer.builder().dataDirectory(dir).start()) {
            HttpResponse<String> health = http.send(
                    HttpRequest.newBuilder(URI.create(again.endpoint() + "/health"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            System.out.printf(
                    Locale.ROOT,
                    "a server started on this data directory answered /health (%d) after %.0f ms%n",
                    health.statusCode(),
                    (System.nanoTime() - t) / 1e6);
        }
    }

    private void run(long objects, long perBucket, int buckets) throws Exception {
        server.createBucket(BUCKET);
        warmUp();
        long loaded = 0;
        for (long checkpoint : new long[] {10_000, 100_000, 1_000_000, 10_000_000}) {
            if (checkpoint > objects) {
                checkpoint = objects;
            }
            if (checkpoint <= loaded) {
                break;
            }
            load(BUCKET, loaded, checkpoint);
            loaded = checkpoint;
            measure(String.format(Locale.ROOT, "%,d", loaded), loaded);
        }
        if (buckets > 0 && perBucket > 0) {
            for (int b = 0; b < buckets; b++) {
                server.createBucket("more-" + b);
                load("more-" + b, 0, perBucket);
            }
            measure(String.format(Locale.ROOT, "%,d + %d x %,d", loaded, buckets, perBucket), loaded);
        }
        System.out.println();
        System.out.println(
                "| objects | PUT p50 | GET p50 | list first page | list middle page | list first page, delimiter | "
                        + "list middle page, delimiter | versions page (first, middle) | admin page (middle) | search substring: first page; every page / glob | "
                        + "stats / metrics | consistency check | live heap during the check | database | data dir | heap after GC |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        rows.forEach(System.out::println);
        System.out.println(
                "(list, versions, admin and search times: median of 5; ms unless said otherwise; load average at the end "
                        + loadAverage() + ")");
    }

    // ---- loading -----------------------------------------------------------------------------------------------

    static String key(long i) {
        return String.format(Locale.ROOT, "dir-%03d/key-%07d", i % DIRS, i);
    }

    private void load(String bucket, long from, long to) throws Exception {
        long t0 = System.nanoTime();
        AtomicLong next = new AtomicLong(from);
        AtomicBoolean failed = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(loaders);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < loaders; t++) {
            futures.add(pool.submit(() -> {
                long i;
                while (!failed.get() && (i = next.getAndIncrement()) < to) {
                    server.putObject(bucket, key(i), content, "application/octet-stream");
                }
                return null;
            }));
        }
        long lastReport = System.nanoTime();
        for (Future<?> f : futures) {
            while (true) {
                try {
                    f.get(10, java.util.concurrent.TimeUnit.SECONDS);
                    break;
                } catch (java.util.concurrent.TimeoutException e) {
                    if (System.nanoTime() - lastReport > 60e9) {
                        lastReport = System.nanoTime();
                        System.out.printf(
                                Locale.ROOT,
                                "  loading %s: %,d of %,d (%.0f/s)%n",
                                bucket,
                                next.get() - from,
                                to - from,
                                (next.get() - from) / ((System.nanoTime() - t0) / 1e9));
                    }
                } catch (java.util.concurrent.ExecutionException e) {
                    failed.set(true);
                    throw e;
                }
            }
        }
        pool.shutdown();
        server.awaitIdle(Duration.ofMinutes(10));
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.printf(
                Locale.ROOT,
                "loaded %,d objects into %s in %.0f s (%.0f/s, queue drained)%n",
                to - from,
                bucket,
                s,
                (to - from) / s);
    }

    private void warmUp() {
        server.createBucket("warm-up");
        byte[] body = new byte[4096];
        long end = System.nanoTime() + 20_000_000_000L;
        for (int i = 0; System.nanoTime() < end; i++) {
            String k = "w/" + (i % 500);
            s3.putObject(b -> b.bucket("warm-up").key(k), RequestBody.fromBytes(body));
            s3.getObjectAsBytes(b -> b.bucket("warm-up").key(k));
            s3.listObjectsV2(b -> b.bucket("warm-up").maxKeys(100));
        }
    }

    // ---- measuring ----------------------------------------------------------------------------------------------

    private void measure(String label, long loaded) throws Exception {
        System.out.println("measuring at " + label + " objects (load average " + loadAverage() + ")");
        byte[] body = new byte[4096];
        long[] put = new long[PROBES];
        long[] get = new long[PROBES];
        for (int i = 0; i < PROBES; i++) {
            String k = "probe/" + (probeSeq++);
            long t = System.nanoTime();
            s3.putObject(b -> b.bucket(BUCKET).key(k), RequestBody.fromBytes(body));
            put[i] = System.nanoTime() - t;
            String existing = key((long) (random.nextDouble() * loaded));
            t = System.nanoTime();
            s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(existing));
            get[i] = System.nanoTime() - t;
        }
        server.awaitIdle(Duration.ofMinutes(1));
        String middle = key(loaded / 2);
        String middleDir = String.format(Locale.ROOT, "dir-%03d/", DIRS / 2);
        double listFirst = median(
                () -> s3.listObjectsV2(b -> b.bucket(BUCKET).maxKeys(1000)).keyCount());
        double listMiddle = median(
                () -> s3.listObjectsV2(b -> b.bucket(BUCKET).maxKeys(1000).startAfter(middle))
                        .keyCount());
        double delimFirst = median(
                () -> s3.listObjectsV2(b -> b.bucket(BUCKET).maxKeys(1000).delimiter("/"))
                        .keyCount());
        double delimMiddle = median(() -> s3.listObjectsV2(
                        b -> b.bucket(BUCKET).maxKeys(1000).delimiter("/").startAfter(middleDir))
                .keyCount());
        double versionsFirst =
                median(() -> s3.listObjectVersions(b -> b.bucket(BUCKET).maxKeys(1000))
                        .versions()
                        .size());
        double versionsMiddle = median(
                () -> s3.listObjectVersions(b -> b.bucket(BUCKET).maxKeys(1000).keyMarker(middle))
                        .versions()
                        .size());
        String cursor = Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString((BUCKET + "\n" + middle).getBytes(StandardCharsets.UTF_8));
        double adminMiddle = median(() -> admin("/api/v1/objects?limit=100&cursor=" + cursor));
        double searchSubstring = median(() -> admin("/api/v1/search?bucket=" + BUCKET + "&limit=100&q=key-0000042"));
        // a substring is checked key by key, at most a budget of keys per page: every page to the end
        long searchStart = System.nanoTime();
        int[] searchPages = searchEveryPage("/api/v1/search?bucket=" + BUCKET + "&limit=100&q=key-0000042");
        double searchAll = (System.nanoTime() - searchStart) / 1e6;
        double searchGlob =
                median(() -> admin("/api/v1/search?bucket=" + BUCKET + "&limit=100&q=" + middleDir + "key-00*"));
        double stats = median(() -> admin("/api/v1/stats"));
        double metrics = median(() -> admin("/metrics"));

        // the consistency check, report only: once timed, once with the live heap sampled (a full GC
        // every second while it runs: the heap it holds, not the garbage it leaves)
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long t = System.nanoTime();
        ConsistencyReport report = server.checkConsistency(false);
        double checkSeconds = (System.nanoTime() - t) / 1e9;
        System.gc();
        long before = memory.getHeapMemoryUsage().getUsed();
        AtomicLong peak = new AtomicLong(before);
        AtomicBoolean checking = new AtomicBoolean(true);
        Thread sampler = new Thread(() -> {
            while (checking.get()) {
                System.gc();
                peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        sampler.start();
        server.checkConsistency(false);
        checking.set(false);
        sampler.join();
        System.gc();
        long heapAfterGc = memory.getHeapMemoryUsage().getUsed();

        long db = size(dir.resolve("metadata.db")) + size(dir.resolve("metadata.db-wal"));
        long dataKiB = du(dir);
        Arrays.sort(put);
        Arrays.sort(get);
        String row = String.format(
                Locale.ROOT,
                "| %s | %.2f | %.2f | %.1f | %.1f | %.1f | %.1f | %.1f, %.1f | %.1f | %.1f; every page %.0f (%d pages, %d found) / %.1f "
                        + "| %.1f / %.1f | %.1f s (%,d objects, %,d files, %d findings) | %d MiB (%d MiB before) | %d MiB | %d MiB | %d MiB |",
                label,
                put[PROBES / 2] / 1e6,
                get[PROBES / 2] / 1e6,
                listFirst,
                listMiddle,
                delimFirst,
                delimMiddle,
                versionsFirst,
                versionsMiddle,
                adminMiddle,
                searchSubstring,
                searchAll,
                searchPages[0],
                searchPages[1],
                searchGlob,
                stats,
                metrics,
                checkSeconds,
                report.objects(),
                report.blobFiles(),
                report.findings().size(),
                peak.get() >> 20,
                before >> 20,
                db >> 20,
                dataKiB >> 10,
                heapAfterGc >> 20);
        rows.add(row);
        System.out.println(row);
    }

    /** Median milliseconds of 5 runs (after one unmeasured run). */
    private static double median(Supplier<Object> call) {
        call.get();
        double[] ms = new double[5];
        for (int i = 0; i < ms.length; i++) {
            long t = System.nanoTime();
            call.get();
            ms[i] = (System.nanoTime() - t) / 1e6;
        }
        Arrays.sort(ms);
        return ms[ms.length / 2];
    }

    private static final Pattern COUNT = Pattern.compile("\"count\"\\s*:\\s*(\\d+)");
    private static final Pattern NEXT_CURSOR = Pattern.compile("\"next_cursor\"\\s*:\\s*\"([^\"]+)\"");

    /** Follows {@code next_cursor} from the first page to the last: {@code [pages, objects found]}. */
    private int[] searchEveryPage(String path) {
        int pages = 0;
        int found = 0;
        String cursor = null;
        while (true) {
            String body = adminBody(path + (cursor == null ? "" : "&cursor=" + cursor));
            pages++;
            Matcher count = COUNT.matcher(body);
            if (count.find()) {
                found += Integer.parseInt(count.group(1));
            }
            Matcher next = NEXT_CURSOR.matcher(body);
            if (!next.find()) {
                return new int[] {pages, found};
            }
            cursor = next.group(1);
        }
    }

    private Object admin(String path) {
        return adminBody(path).length();
    }

    private String adminBody(String path) {
        try {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(URI.create(server.endpoint() + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException(path + " answered " + r.statusCode() + ": " + r.body());
            }
            return r.body();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static long size(Path file) {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    /** Disk usage of the directory in KiB ({@code du -sk}: blocks, not file lengths; empty files count as 0). */
    private static long du(Path dir) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("du", "-sk", dir.toString())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return Long.parseLong(out.trim().split("\\s+")[0]);
    }

    private static long arg(String[] args, int i, long fallback) {
        return args.length > i && !args[i].isBlank() ? Long.parseLong(args[i].replace("_", "")) : fallback;
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).strip().split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "n/a";
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
