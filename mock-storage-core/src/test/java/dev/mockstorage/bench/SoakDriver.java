package dev.mockstorage.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * {@code make soak}: the standalone server in a child JVM under N clients (default 16) for
 * M minutes (default 10) of mixed AWS SDK v2 operations (PUT, GET, HEAD, DELETE, ListObjectsV2, copy,
 * multipart), a quarter of them on keys every client writes, while a fault driver takes nodes down and
 * up, makes one slow, makes one fail its next write (read-only), corrupts replicas, runs the
 * consistency check with repair, and every few minutes kills the server with {@code kill -9} and starts
 * it again on the same data. Every GET and HEAD is checked while running ({@link SoakModel}); at the end
 * the queue is drained, the consistency check runs until clean, and every key is read back and checked
 * against every acknowledged write, and the listing against the reads.
 *
 * <p>Prints, per minute: operations, errors by kind (explained by an injected fault or not), p50/p99 per
 * operation, the server's heap after GC, RSS and threads; then the kill cycles and the verdict. Exits 1
 * when an object was lost, torn or wrong, an error is unexplained, or the final check is not clean.
 * Not a test: it takes minutes and its figures are reported, never asserted.
 *
 * <p>Arguments: {@code [clients] [minutes] [kill every minutes] [seed]}; {@code -Dsoak.keep=true} keeps
 * the data directory and logs.
 */
public final class SoakDriver {
    private static final String BUCKET = "soak";
    private static final int OWNED_KEYS = 32;
    private static final int SHARED_KEYS = 24;
    private static final int NODES = 3;
    private static final String[] OPS = {"PUT", "GET", "HEAD", "DELETE", "LIST", "COPY", "MULTIPART"};
    private static final int[] WEIGHTS = {30, 33, 10, 8, 8, 10, 1};
    private static final long GRACE_NANOS = Duration.ofSeconds(2).toNanos();
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
    private static final int MIB = 1024 * 1024;
    /**
     * Blob files nothing refers to are orphans once this old: kills leave them (a blob renamed, its
     * metadata not committed) and so do deletions while a node is down (its copy stays). Longer than a
     * write can spend between its rename and its commit (the metadata lock waits at most 10 s).
     */
    private static final Duration ORPHAN_GRACE = Duration.ofSeconds(30);

    private final int clients;
    private final double minutes;
    private final double killEveryMinutes;
    private final long seed;
    private final Path root;
    private final byte[] pool = new byte[8 * MIB];
    private final SoakModel model = new SoakModel();
    private final Map<String, SoakModel.Key> keys = new LinkedHashMap<>();
    private final List<SoakModel.Key> shared = new ArrayList<>();
    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient admin = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private final AtomicReference<Server> server = new AtomicReference<>();
    private volatile boolean stopping;
    private final long startNanos = System.nanoTime();
    private int port;

    /** Fault windows (kind, start, end; end MAX while it lasts): errors inside one are explained by it. */
    private final List<Window> windows = new CopyOnWriteArrayList<>();
    /** Keys whose replica was corrupted (a 500 on them can be the corruption, with a node down). */
    private final Set<String> corrupted = ConcurrentHashMap.newKeySet();

    private final List<String> killLog = new CopyOnWriteArrayList<>();
    /** every fault with its times, for reading the errors against */
    private final List<String> timeline = new CopyOnWriteArrayList<>();

    private final Map<String, LongAdder> consistencyFindings = new ConcurrentHashMap<>();
    private final AtomicLong consistencyChecks = new AtomicLong();
    private final Map<String, LongAdder> faultsDone = new ConcurrentHashMap<>();

    // ---- statistics
    private final Map<String, LongAdder> errorsTotal = new ConcurrentHashMap<>();
    private final List<String> unexplainedSamples = new CopyOnWriteArrayList<>();
    private final Map<String, List<String>> samples = new ConcurrentHashMap<>();
    private final List<String> violations = new CopyOnWriteArrayList<>();
    private volatile Minute minute = new Minute(0);
    private final List<String> minuteLines = new ArrayList<>();
    private final AtomicLong opsTotal = new AtomicLong();
    private final AtomicLong requestsTotal = new AtomicLong();
    private final AtomicLong checkedReads = new AtomicLong();
    /** server-side requests answered, per generation: the last /api/v1/stats figure seen */
    private final Map<Integer, Long> servedByGeneration = new ConcurrentHashMap<>();

    private record Server(SoakChild child, S3Client s3) {}

    private record Window(String kind, long start, long end) {
        boolean overlaps(long t0, long t1) {
            return start <= t1 + GRACE_NANOS && (end == Long.MAX_VALUE || end + GRACE_NANOS >= t0);
        }
    }

    /** One minute's figures: latencies of successful operations, operations and errors by kind. */
    private static final class Minute {
        final int index;
        final Map<String, List<Long>> latencies = new ConcurrentHashMap<>();
        final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
        final LongAdder ops = new LongAdder();

        Minute(int index) {
            this.index = index;
        }

        void ok(String op, long nanos) {
            latencies
                    .computeIfAbsent(op, o -> java.util.Collections.synchronizedList(new ArrayList<>()))
                    .add(nanos);
            ops.increment();
        }

        void error(String kind) {
            errors.computeIfAbsent(kind, k -> new LongAdder()).increment();
            ops.increment();
        }
    }

    private SoakDriver(int clients, double minutes, double killEveryMinutes, long seed, Path root) {
        this.clients = clients;
        this.minutes = minutes;
        this.killEveryMinutes = killEveryMinutes;
        this.seed = seed;
        this.root = root;
        new Random(seed).nextBytes(pool);
        for (int c = 0; c < clients; c++) {
            for (int k = 0; k < OWNED_KEYS; k++) {
                String name = "c" + c + "/key-" + k;
                keys.put(name, model.new Key(name, false));
            }
        }
        for (int k = 0; k < SHARED_KEYS; k++) {
            String name = "shared/key-" + k;
            SoakModel.Key key = model.new Key(name, true);
            keys.put(name, key);
            shared.add(key);
        }
    }

    /** @param args {@code [clients=16] [minutes=10] [kill every minutes=3] [seed=random]} */
    public static void main(String[] args) throws Exception {
        int clients = args.length > 0 && !args[0].isBlank() ? Integer.parseInt(args[0]) : 16;
        double minutes = args.length > 1 && !args[1].isBlank() ? Double.parseDouble(args[1]) : 10;
        double killEvery = args.length > 2 && !args[2].isBlank() ? Double.parseDouble(args[2]) : 3;
        long seed = args.length > 3 && !args[3].isBlank() ? Long.parseLong(args[3]) : System.nanoTime();
        Path root = Files.createTempDirectory("mock-storage-soak-");
        SoakDriver soak = new SoakDriver(clients, minutes, killEvery, seed, root);
        boolean ok;
        try {
            ok = soak.run();
        } finally {
            if (!Boolean.getBoolean("soak.keep")) {
                deleteTree(root);
            } else {
                System.out.println("kept " + root);
            }
        }
        System.exit(ok ? 0 : 1);
    }

    private boolean run() throws Exception {
        System.out.printf(
                Locale.ROOT,
                "mock-storage soak: %d clients, %.1f minutes, kill -9 every %.1f minutes, seed %d "
                        + "(replay: make soak SEED=%d); java %s, %d cores; load average at start %s; data in %s%n",
                clients,
                minutes,
                killEveryMinutes,
                seed,
                seed,
                System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(),
                loadAverage(),
                root);
        Files.createDirectories(root.resolve("data"));
        startServer(0);
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int id = c;
            threads.add(thread("soak-client-" + c, () -> client(id, new Random(seed * 31 + id))));
        }
        Thread faults = thread("soak-faults", () -> faults(new Random(seed * 17)));
        Thread reporter = thread("soak-reporter", this::reporter);
        threads.forEach(Thread::start);
        faults.start();
        reporter.start();

        long end = startNanos + (long) (minutes * 60e9);
        while (System.nanoTime() < end) {
            Thread.sleep(Math.min(1000, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
        }
        stopping = true;
        faults.join();
        for (Thread t : threads) {
            t.join();
        }
        reporter.interrupt();
        reporter.join();
        report(true);
        return finish();
    }

    // ---- the server ---------------------------------------------------------------------------------

    private void startServer(int generation) throws IOException, InterruptedException {
        if (port == 0) {
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
        }
        List<String> options = List.of(
                "--storage.buckets=" + BUCKET,
                "--storage.nodes=" + NODES,
                "--storage.write_quorum=" + (NODES - 1),
                "--queue.full_wait_ms=2000",
                "--storage.orphan_grace_ms=" + ORPHAN_GRACE.toMillis());
        SoakChild child;
        try {
            child = SoakChild.start(root.resolve("data"), root, generation, port, "256m", options);
        } catch (IllegalStateException e) {
            port = 0; // the port was taken meanwhile: take another, clients follow
            child = SoakChild.start(root.resolve("data"), root, generation, 0, "256m", options);
            port = child.endpoint.getPort();
        }
        S3Client s3 = S3Client.builder()
                .endpointOverride(child.endpoint)
                .forcePathStyle(true)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("soak", "soak")))
                .overrideConfiguration(
                        o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()).apiCallTimeout(CALL_TIMEOUT))
                .httpClient(software.amazon.awssdk.http.apache5.Apache5HttpClient.builder()
                        .maxConnections(clients + 8)
                        .build())
                .build();
        Server old = server.getAndSet(new Server(child, s3));
        if (old != null) {
            old.s3().close();
        }
    }

    private void killAndRestart() throws Exception {
        Server s = server.get();
        long t = System.nanoTime();
        Window window = new Window("kill", t, Long.MAX_VALUE);
        windows.add(window);
        s.child().kill();
        model.killed(t);
        pollServed(s);
        int generation = s.child().generation + 1;
        long restart = System.nanoTime();
        startServer(generation);
        long ready = System.nanoTime();
        windows.remove(window);
        windows.add(new Window("kill", t, ready));
        String line = String.format(
                Locale.ROOT,
                "kill -9 #%d at %s: restarted in %.0f ms",
                generation,
                elapsed(t),
                (ready - restart) / 1e6);
        killLog.add(line);
        timeline.add(elapsed(t) + " " + line);
        System.out.println("  " + line);
    }

    // ---- clients ------------------------------------------------------------------------------------

    private void client(int id, Random random) {
        List<SoakModel.Key> owned = new ArrayList<>();
        for (int k = 0; k < OWNED_KEYS; k++) {
            owned.add(keys.get("c" + id + "/key-" + k));
        }
        long seq = 0;
        while (!stopping) {
            String op = pick(random);
            boolean onShared = random.nextInt(4) == 0 && !op.equals("COPY") && !op.equals("MULTIPART");
            SoakModel.Key key =
                    onShared ? shared.get(random.nextInt(shared.size())) : owned.get(random.nextInt(owned.size()));
            S3Client s3 = server.get().s3();
            long t0 = System.nanoTime();
            SoakModel.Write write = null;
            try {
                switch (op) {
                    case "PUT" -> {
                        byte[] body = body(id, ++seq, random, size(random));
                        String sha = sha256(body);
                        write = key.begin(sha, t0);
                        s3.putObject(
                                b -> b.bucket(BUCKET).key(key.name).metadata(Map.of("sha256", sha)),
                                RequestBody.fromBytes(body));
                        requestsTotal.incrementAndGet();
                    }
                    case "GET" -> {
                        ResponseBytes<GetObjectResponse> got = getOrNull(s3, key.name);
                        requestsTotal.incrementAndGet();
                        checkRead(
                                key,
                                got == null ? null : sha256(got.asByteArray()),
                                got == null ? null : got.response().metadata().get("sha256"),
                                t0,
                                System.nanoTime());
                    }
                    case "HEAD" -> {
                        String sha = headOrNull(s3, key.name);
                        requestsTotal.incrementAndGet();
                        checkRead(key, sha, sha, t0, System.nanoTime());
                    }
                    case "DELETE" -> {
                        write = key.begin(null, t0);
                        s3.deleteObject(b -> b.bucket(BUCKET).key(key.name));
                        requestsTotal.incrementAndGet();
                    }
                    case "LIST" -> {
                        String prefix = onShared ? "shared/" : "c" + id + "/";
                        boolean delimited = random.nextBoolean();
                        var page = s3.listObjectsV2(b -> b.bucket(BUCKET)
                                .prefix(delimited ? "" : prefix)
                                .delimiter(delimited ? "/" : null)
                                .maxKeys(100));
                        requestsTotal.incrementAndGet();
                        for (S3Object o : page.contents()) {
                            if (!keys.containsKey(o.key())) {
                                violations.add("listing shows a key no client wrote: " + o.key());
                            }
                        }
                    }
                    case "COPY" -> {
                        SoakModel.Key source = owned.get(random.nextInt(owned.size()));
                        SoakModel.Write settled = source.settled();
                        if (source == key || settled == null || settled.value == null) {
                            continue; // only a copy whose source is known for sure
                        }
                        write = key.begin(settled.value, t0);
                        s3.copyObject(b -> b.sourceBucket(BUCKET)
                                .sourceKey(source.name)
                                .destinationBucket(BUCKET)
                                .destinationKey(key.name));
                        requestsTotal.incrementAndGet();
                    }
                    case "MULTIPART" -> {
                        byte[] first = body(id, ++seq, random, 5 * MIB);
                        byte[] second = body(id, ++seq, random, 1 + random.nextInt(MIB));
                        String sha = sha256(first, second);
                        write = key.begin(sha, t0);
                        String upload = s3.createMultipartUpload(
                                        b -> b.bucket(BUCKET).key(key.name).metadata(Map.of("sha256", sha)))
                                .uploadId();
                        String e1 = s3.uploadPart(
                                        b -> b.bucket(BUCKET)
                                                .key(key.name)
                                                .uploadId(upload)
                                                .partNumber(1),
                                        RequestBody.fromBytes(first))
                                .eTag();
                        String e2 = s3.uploadPart(
                                        b -> b.bucket(BUCKET)
                                                .key(key.name)
                                                .uploadId(upload)
                                                .partNumber(2),
                                        RequestBody.fromBytes(second))
                                .eTag();
                        s3.completeMultipartUpload(b -> b.bucket(BUCKET)
                                .key(key.name)
                                .uploadId(upload)
                                .multipartUpload(m -> m.parts(
                                        CompletedPart.builder()
                                                .partNumber(1)
                                                .eTag(e1)
                                                .build(),
                                        CompletedPart.builder()
                                                .partNumber(2)
                                                .eTag(e2)
                                                .build())));
                        requestsTotal.addAndGet(4);
                    }
                    default -> throw new IllegalStateException(op);
                }
                long t1 = System.nanoTime();
                if (write != null) {
                    key.acked(write, t1);
                }
                minute.ok(op, t1 - t0);
                opsTotal.incrementAndGet();
            } catch (RuntimeException e) {
                long t1 = System.nanoTime();
                requestsTotal.incrementAndGet();
                opsTotal.incrementAndGet();
                boolean answered = e instanceof S3Exception s && s.statusCode() > 0;
                if (write != null) {
                    if (answered) {
                        key.refused(write); // an S3 error: nothing changed
                    } else {
                        key.unknown(write, t1); // no answer: may have landed
                    }
                }
                String kind = classify(op, key.name, e, t0, t1);
                minute.error(kind);
                errorsTotal.computeIfAbsent(kind, k -> new LongAdder()).increment();
                if (kind.startsWith("unexplained") && unexplainedSamples.size() < 30) {
                    unexplainedSamples.add(elapsed(t1) + " " + op + " " + key.name + ": " + e);
                }
                samples.computeIfAbsent(kind, k -> new CopyOnWriteArrayList<>());
                if (samples.get(kind).size() < 2) {
                    samples.get(kind).add(elapsed(t1) + " " + op + " " + key.name + ": " + e.getMessage());
                }
                if (!answered) {
                    sleep(100); // the server is down or restarting: do not spin on refused connections
                }
            }
        }
    }

    private void checkRead(SoakModel.Key key, String bodySha, String metadataSha, long t0, long t1) {
        checkedReads.incrementAndGet();
        if (bodySha != null && !bodySha.equals(metadataSha)) {
            violations.add(elapsed(t1) + " TORN: " + key.name + " served a body whose SHA-256 " + bodySha
                    + " is not its metadata's " + metadataSha);
            return;
        }
        if (!key.readable(bodySha, t0, t1)) {
            violations.add(elapsed(t1) + " WRONG: " + key.name + " read " + (bodySha == null ? "absent" : bodySha)
                    + "; writes that could explain a read: " + key.describe(t0));
        }
    }

    private static ResponseBytes<GetObjectResponse> getOrNull(S3Client s3, String key) {
        try {
            return s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key));
        } catch (NoSuchKeyException e) {
            return null;
        }
    }

    private static String headOrNull(S3Client s3, String key) {
        try {
            HeadObjectResponse head = s3.headObject(b -> b.bucket(BUCKET).key(key));
            return head.metadata().get("sha256");
        } catch (NoSuchKeyException e) {
            return null;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return null; // HEAD errors carry no body, so no NoSuchKey code
            }
            throw e;
        }
    }

    /** Whether an error is explained by an injected fault: a kill, a node fault, a corrupted replica. */
    private String classify(String op, String key, RuntimeException e, long t0, long t1) {
        int status = e instanceof S3Exception s ? s.statusCode() : 0;
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        String what = status > 0
                ? status + " " + ((S3Exception) e).awsErrorDetails().errorCode()
                : e.getClass().getSimpleName()
                        + (cause == e ? "" : " (" + cause.getClass().getSimpleName() + ")");
        for (Window w : windows) {
            if (w.overlaps(t0, t1) && w.kind().equals("kill")) {
                return "injected kill: " + what;
            }
        }
        // with storage.write_quorum = nodes - 1, one node down, slow or failing its writes costs no request;
        // only a second fault at once (a corrupted replica while another node is down) may
        boolean nodeFault =
                windows.stream().anyMatch(w -> w.overlaps(t0, t1) && !w.kind().equals("kill"));
        if (nodeFault && status == 500 && corrupted.contains(key)) {
            return "injected corrupt + node fault: " + what;
        }
        return "unexplained " + op + ": " + what;
    }

    // ---- faults -------------------------------------------------------------------------------------

    private void faults(Random random) {
        long nextKill = startNanos + (long) (killEveryMinutes * 60e9);
        String[] nodes = new String[NODES];
        for (int i = 0; i < NODES; i++) {
            nodes[i] = "stg" + (i + 1);
        }
        try {
            pause(random, 5, 10);
            while (!stopping) {
                if (killEveryMinutes > 0 && System.nanoTime() >= nextKill) {
                    killAndRestart();
                    done("kill -9");
                    nextKill += (long) (killEveryMinutes * 60e9);
                    pause(random, 5, 10);
                    continue;
                }
                String node = nodes[random.nextInt(NODES)];
                switch (random.nextInt(5)) {
                    case 0 ->
                        fault(
                                "node down",
                                random,
                                5,
                                15,
                                () -> post("/api/v1/nodes/" + node + "/down"),
                                () -> post("/api/v1/nodes/" + node + "/up"));
                    case 1 ->
                        fault(
                                "node slow",
                                random,
                                5,
                                15,
                                () -> put("/api/v1/nodes/" + node + "/delay?ms=" + (50 + random.nextInt(150))),
                                () -> put("/api/v1/nodes/" + node + "/delay?ms=0"));
                    case 2 ->
                        fault(
                                "node read-only",
                                random,
                                5,
                                15,
                                () -> post("/api/v1/nodes/" + node + "/read-only"),
                                () -> post("/api/v1/nodes/" + node + "/up"));
                    case 3 -> {
                        for (int i = 0; i < 3; i++) {
                            List<String> names = new ArrayList<>(keys.keySet());
                            String key = names.get(random.nextInt(names.size()));
                            if (corrupted.contains(key)) {
                                continue; // one damaged replica per object until a check repaired it
                            }
                            int status = post("/api/v1/nodes/" + node + "/corrupt?bucket=" + BUCKET + "&key=" + key);
                            if (status == 204) {
                                corrupted.add(key);
                                timeline.add(elapsed(System.nanoTime()) + " corrupt " + node + " " + key);
                                done("corrupt replica");
                            }
                        }
                    }
                    default -> {
                        long t = System.nanoTime();
                        JsonNode report = consistencyCheck(true);
                        timeline.add(elapsed(t) + " consistency check with repair: " + kinds(report) + " in "
                                + report.path("duration_ms").asLong() + " ms");
                        corrupted.clear(); // every node is up between faults: the check repaired them
                        done("consistency check");
                    }
                }
                pause(random, 3, 8);
            }
        } catch (Exception e) {
            if (!stopping) {
                violations.add("the fault driver failed: " + e);
                e.printStackTrace();
            }
        }
    }

    private interface Call {
        int run() throws Exception;
    }

    private void fault(String kind, Random random, int minSeconds, int maxSeconds, Call begin, Call end)
            throws Exception {
        long t = System.nanoTime();
        Window open = new Window(kind, t, Long.MAX_VALUE);
        windows.add(open);
        int began = begin.run();
        pause(random, minSeconds, maxSeconds);
        int ended = end.run();
        windows.remove(open);
        windows.add(new Window(kind, t, System.nanoTime()));
        timeline.add(elapsed(t) + "-" + elapsed(System.nanoTime()) + " " + kind + " (" + began + ", " + ended + ")");
        done(kind);
    }

    private void done(String kind) {
        faultsDone.computeIfAbsent(kind, k -> new LongAdder()).increment();
    }

    private void pause(Random random, int minSeconds, int maxSeconds) throws InterruptedException {
        long until = System.nanoTime() + (long) ((minSeconds + random.nextDouble() * (maxSeconds - minSeconds)) * 1e9);
        while (!stopping && System.nanoTime() < until) {
            Thread.sleep(100);
        }
    }

    private JsonNode consistencyCheck(boolean repair) throws IOException, InterruptedException {
        HttpResponse<String> r = adminCall("POST", "/api/v1/consistency/check?repair=" + repair, Duration.ofMinutes(5));
        if (r.statusCode() != 200) {
            throw new IOException("consistency check answered " + r.statusCode() + ": " + r.body());
        }
        JsonNode report = json.readTree(r.body());
        consistencyChecks.incrementAndGet();
        for (JsonNode f : report.path("findings")) {
            consistencyFindings
                    .computeIfAbsent(f.path("kind").asText(), k -> new LongAdder())
                    .increment();
        }
        return report;
    }

    private int post(String path) throws IOException, InterruptedException {
        return adminCall("POST", path, Duration.ofSeconds(30)).statusCode();
    }

    private int put(String path) throws IOException, InterruptedException {
        return adminCall("PUT", path, Duration.ofSeconds(30)).statusCode();
    }

    private HttpResponse<String> adminCall(String method, String path, Duration timeout)
            throws IOException, InterruptedException {
        URI uri = server.get().child().endpoint.resolve(path);
        return admin.send(
                HttpRequest.newBuilder(uri)
                        .method(method, HttpRequest.BodyPublishers.noBody())
                        .timeout(timeout)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    // ---- reporting ----------------------------------------------------------------------------------

    private void reporter() {
        long next = startNanos + 60_000_000_000L;
        long nextPoll = System.nanoTime() + 10_000_000_000L;
        System.out.println(
                "minute | ops | ops/s | errors (injected / unexplained) | p50/p99 ms per operation | server: heap after GC max, RSS, threads");
        while (true) {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                return;
            }
            if (System.nanoTime() >= nextPoll) {
                pollServed(server.get());
                nextPoll += 10_000_000_000L;
            }
            if (System.nanoTime() >= next) {
                report(false);
                next += 60_000_000_000L;
            }
        }
    }

    private synchronized void report(boolean last) {
        Minute m = minute;
        minute = new Minute(m.index + 1);
        long ops = m.ops.sum();
        if (last && ops == 0) {
            return;
        }
        long injected = 0;
        long unexplained = 0;
        for (Map.Entry<String, LongAdder> e : m.errors.entrySet()) {
            if (e.getKey().startsWith("unexplained")) {
                unexplained += e.getValue().sum();
            } else {
                injected += e.getValue().sum();
            }
        }
        StringBuilder latencies = new StringBuilder();
        for (String op : OPS) {
            List<Long> l = m.latencies.get(op);
            if (l == null || l.isEmpty()) {
                continue;
            }
            long[] sorted;
            synchronized (l) {
                sorted = l.stream().mapToLong(Long::longValue).sorted().toArray();
            }
            latencies.append(String.format(
                    Locale.ROOT,
                    " %s %.1f/%.0f",
                    op,
                    sorted[sorted.length / 2] / 1e6,
                    sorted[(int) Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))] / 1e6));
        }
        Server s = server.get();
        long heap = s.child().heapAfterGcMiB();
        long[] rss = s.child().rssMiBAndThreads();
        double seconds = last ? Math.max(1, ((System.nanoTime() - startNanos) / 1e9) - m.index * 60) : 60;
        String line = String.format(
                Locale.ROOT,
                "%6d | %6d | %5.0f | %d / %d |%s | %s MiB, %d MiB, %d%s",
                m.index + 1,
                ops,
                ops / seconds,
                injected,
                unexplained,
                latencies,
                heap < 0 ? "-" : String.valueOf(heap),
                rss[0],
                rss[1],
                last ? " (last, partial minute)" : "");
        minuteLines.add(line);
        System.out.println(line);
    }

    private void pollServed(Server s) {
        try {
            HttpResponse<String> r = admin.send(
                    HttpRequest.newBuilder(s.child().endpoint.resolve("/api/v1/stats"))
                            .timeout(Duration.ofSeconds(10))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            long sum = 0;
            for (JsonNode req : json.readTree(r.body()).path("requests")) {
                sum += req.path("count").asLong();
            }
            servedByGeneration.put(s.child().generation, sum);
        } catch (IOException | InterruptedException | RuntimeException e) {
            // killed meanwhile: the last figure stands
        }
    }

    // ---- the end --------------------------------------------------------------------------------------

    private boolean finish() throws Exception {
        System.out.println("load stopped at " + elapsed(System.nanoTime()) + "; draining the queue, waiting "
                + ORPHAN_GRACE.toSeconds() + " s for the last orphans to come of age, checking");
        Thread.sleep(ORPHAN_GRACE.toMillis() + 1000);
        HttpResponse<String> idle = adminCall("POST", "/api/v1/await-idle?timeout_ms=120000", Duration.ofMinutes(3));
        JsonNode repaired = consistencyCheck(true);
        adminCall("POST", "/api/v1/await-idle?timeout_ms=120000", Duration.ofMinutes(3));
        JsonNode second = consistencyCheck(false);
        List<String> problems = new ArrayList<>(violations);
        if (idle.statusCode() != 204) {
            problems.add("the queue did not drain: " + idle.statusCode() + " " + idle.body());
        }
        if (second.path("findings").size() > 0) {
            problems.add("the consistency check after the repair still finds: " + second.path("findings"));
        }
        pollServed(server.get());

        // every key read back and checked against every acknowledged write
        S3Client s3 = server.get().s3();
        long now = System.nanoTime();
        int present = 0;
        int absent = 0;
        Set<String> readable = new TreeSet<>();
        for (SoakModel.Key key : keys.values()) {
            ResponseBytes<GetObjectResponse> got;
            try {
                got = getOrNull(s3, key.name);
            } catch (RuntimeException e) {
                problems.add("UNREADABLE at the end: " + key.name + ": " + e);
                continue;
            }
            String sha = got == null ? null : sha256(got.asByteArray());
            if (got != null && !sha.equals(got.response().metadata().get("sha256"))) {
                problems.add("TORN at the end: " + key.name);
            } else if (!key.readable(sha, now, now)) {
                problems.add("LOST or WRONG at the end: " + key.name + " reads " + (sha == null ? "absent" : sha)
                        + "; writes that could explain it: " + key.describe(now));
            }
            if (got == null) {
                absent++;
            } else {
                present++;
                readable.add(key.name);
            }
        }
        Set<String> listed = new TreeSet<>();
        s3.listObjectsV2Paginator(b -> b.bucket(BUCKET)).contents().stream()
                .map(S3Object::key)
                .forEach(listed::add);
        if (!listed.equals(readable)) {
            problems.add(
                    "the listing " + listed.size() + " keys differs from what GET finds (" + readable.size() + ")");
        }
        // the bucket's statistics are kept in the transactions that change objects: after all the kills they still
        // count
        JsonNode stats = json.readTree(
                adminCall("GET", "/api/v1/stats", Duration.ofSeconds(60)).body());
        for (JsonNode b : stats.path("buckets")) {
            if (b.path("name").asText().equals(BUCKET) && b.path("objects").asLong() != listed.size()) {
                problems.add("/api/v1/stats counts " + b.path("objects").asLong() + " objects in " + BUCKET
                        + ", the listing " + listed.size());
            }
        }
        long unexplained = errorsTotal.entrySet().stream()
                .filter(e -> e.getKey().startsWith("unexplained"))
                .mapToLong(e -> e.getValue().sum())
                .sum();
        if (unexplained > 0) {
            problems.add(unexplained + " errors no injected fault explains, e.g. " + unexplainedSamples);
        }
        Server s = server.get();
        s.s3().close();
        s.child().close();

        System.out.println();
        System.out.printf(
                Locale.ROOT,
                "soak summary (%d clients, %.1f minutes, seed %d; load average at the end %s)%n",
                clients,
                minutes,
                seed,
                loadAverage());
        System.out.printf(
                Locale.ROOT,
                "  operations: %d (%d S3 requests sent); server-side requests answered: %d over %d "
                        + "server lifetimes (each counted until its last poll, 10 s apart)%n",
                opsTotal.get(),
                requestsTotal.get(),
                servedByGeneration.values().stream().mapToLong(Long::longValue).sum(),
                servedByGeneration.size());
        System.out.printf(
                Locale.ROOT,
                "  reads checked while running: %d; keys checked at the end: %d (%d present, %d absent)%n",
                checkedReads.get(),
                keys.size(),
                present,
                absent);
        System.out.println("  faults injected: " + new TreeMap<>(sum(faultsDone)));
        System.out.println("  kill cycles: " + killLog.size());
        killLog.forEach(l -> System.out.println("    " + l));
        System.out.println("  fault timeline (start-end kind (admin statuses)):");
        timeline.forEach(l -> System.out.println("    " + l));
        System.out.println("  consistency checks: " + consistencyChecks.get() + ", findings by kind: "
                + new TreeMap<>(sum(consistencyFindings)) + "; the last repairing check found "
                + repaired.path("findings").size() + ", the check after it "
                + second.path("findings").size());
        System.out.println("  errors by kind:");
        new TreeMap<>(sum(errorsTotal)).forEach((k, v) -> {
            System.out.println("    " + v + "  " + k);
            samples.getOrDefault(k, List.of()).forEach(x -> System.out.println("          e.g. " + x));
        });
        System.out.println("  per minute:");
        minuteLines.forEach(l -> System.out.println("    " + l));
        if (problems.isEmpty()) {
            System.out.println(
                    "VERDICT: OK: no lost, torn or wrong object; every error explained by an injected fault; "
                            + "the consistency check is clean");
            return true;
        }
        System.out.println("VERDICT: FAILED (" + problems.size() + " problems):");
        problems.stream().limit(50).forEach(p -> System.out.println("  " + p));
        return false;
    }

    // ---- helpers ----------------------------------------------------------------------------------------

    private static String pick(Random random) {
        int total = Arrays.stream(WEIGHTS).sum();
        int r = random.nextInt(total);
        for (int i = 0; i < OPS.length; i++) {
            r -= WEIGHTS[i];
            if (r < 0) {
                return OPS[i];
            }
        }
        return OPS[0];
    }

    /** Mostly small: 0-4 KiB (60 %), 4-64 KiB (30 %), 64 KiB-1 MiB (10 %). */
    private static int size(Random random) {
        int r = random.nextInt(10);
        return r < 6
                ? random.nextInt(4096)
                : r < 9 ? 4096 + random.nextInt(60 * 1024) : 65536 + random.nextInt(MIB - 65536);
    }

    /** A body unique to (client, seq): those 16 bytes, then a slice of the random pool. */
    private byte[] body(int client, long seq, Random random, int size) {
        byte[] body = new byte[Math.max(16, size)];
        ByteBuffer.wrap(body).putLong(client).putLong(seq);
        int offset = random.nextInt(pool.length);
        for (int filled = 16; filled < body.length; ) {
            int n = Math.min(body.length - filled, pool.length - offset);
            System.arraycopy(pool, offset, body, filled, n);
            filled += n;
            offset = 0;
        }
        return body;
    }

    private static String sha256(byte[]... parts) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (byte[] p : parts) {
                md.update(p);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private String elapsed(long nanos) {
        long s = (nanos - startNanos) / 1_000_000_000L;
        return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    private static String kinds(JsonNode report) {
        Map<String, Integer> kinds = new TreeMap<>();
        report.path("findings").forEach(f -> kinds.merge(f.path("kind").asText(), 1, Integer::sum));
        return kinds.toString();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Map<String, Long> sum(Map<String, LongAdder> m) {
        Map<String, Long> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    private static Thread thread(String name, Runnable r) {
        Thread t = new Thread(
                () -> {
                    try {
                        r.run();
                    } catch (RuntimeException e) {
                        e.printStackTrace();
                    }
                },
                name);
        t.setDaemon(true);
        return t;
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip().split(" ", 4)[0] + " "
                    + Files.readString(Path.of("/proc/loadavg")).strip().split(" ", 4)[1] + " "
                    + Files.readString(Path.of("/proc/loadavg")).strip().split(" ", 4)[2];
        } catch (IOException e) {
            return "n/a";
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
