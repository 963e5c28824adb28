package dev.mockstorage.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.mockstorage.server.MockStorageServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Crash recovery: the standalone server ({@code dev.mockstorage.internal.cli.Main}, the jar's
 * main class) runs as a child JVM on one data directory; writer threads PUT (0 B to 1.5 MiB, often
 * overwriting), and DELETE known keys; after a random number of acknowledged operations the child is
 * killed with SIGKILL ({@link Process#destroyForcibly()}) in the middle of the load, restarted on the
 * same directory, and checked:
 * <ul>
 *   <li>every key's last acknowledged state is what a GET returns, byte for byte (SHA-256 and size), or
 *       the state of the one operation that was in flight on the key at the kill (either outcome is
 *       fine, never a mix): a key acknowledged as deleted is absent unless re-put in flight;</li>
 *   <li>an object's user metadata (the SHA-256 of its body) always matches the body served with it;</li>
 *   <li>the listing holds exactly the keys that GET finds;</li>
 *   <li>no temp file survives the restart, and once the queue is idle ({@code POST /api/v1/await-idle})
 *       every node holds a blob for every live object; blobs beyond those are orphans of writes
 *       killed between their file commit and their metadata commit (counted and printed; the
 *       consistency checker removes them).</li>
 * </ul>
 * Each key belongs to one writer thread, so each key's history is sequential and has at most one
 * operation in flight at the kill. The seed is printed; {@code -Dcrash.seed=N} replays a run's choices.
 */
class CrashRecoveryTest {

    private static final String BUCKET = "crash";
    private static final int CYCLES = 8;
    private static final int WRITERS = 4;
    private static final int KEYS_PER_WRITER = 6;
    private static final Pattern LISTENING = Pattern.compile("mock-storage listening on (http://\\S+)");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path root;

    /** What the test knows of one key: its last acknowledged state and the operation in flight, if any. */
    static final class KeyState {
        final String key;
        /** SHA-256 hex of the acknowledged body, or null when the key is acknowledged absent. */
        volatile String acked;
        /** The body hash of a PUT in flight, {@link #DELETE} for a DELETE in flight, or null. */
        volatile String inFlight;

        KeyState(String key) {
            this.key = key;
        }
    }

    static final String DELETE = "<delete>";

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void everyAcknowledgedWriteSurvivesKillNineAndNothingTornIsServed() throws Exception {
        long seed = Long.getLong("crash.seed", System.nanoTime());
        System.out.println("CrashRecoveryTest seed " + seed + " (replay with -Dcrash.seed=" + seed + ")");
        Random random = new Random(seed);
        Path dataDir = Files.createDirectories(root.resolve("data"));
        List<KeyState> keys = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            for (int k = 0; k < KEYS_PER_WRITER; k++) {
                keys.add(new KeyState("w" + w + "/key-" + k));
            }
        }
        AtomicLong acknowledgedWrites = new AtomicLong();
        AtomicLong acknowledgedDeletes = new AtomicLong();
        long verifiedReads = 0;
        long inFlightLanded = 0;
        long inFlightLost = 0;
        long orphansSeen = 0;
        long orphansRemoved = 0;
        List<Path> leftAtKill = List.of();

        for (int cycle = 1; cycle <= CYCLES + 1; cycle++) {
            try (Child child = Child.start(dataDir, root.resolve("child-" + cycle + ".log"));
                    S3Client s3 = client(child.endpoint)) {
                // ---- verify what the previous cycle left (the first cycle sees an empty bucket)
                Map<String, String> found = new TreeMap<>();
                for (KeyState state : keys) {
                    String actual = read(s3, state.key);
                    String inFlight = state.inFlight;
                    String wanted = state.acked;
                    boolean ok = java.util.Objects.equals(actual, wanted)
                            || (inFlight != null
                                    && java.util.Objects.equals(actual, DELETE.equals(inFlight) ? null : inFlight));
                    if (!ok) {
                        fail("cycle " + cycle + ": key " + state.key + " reads " + describe(actual) + ", but the last "
                                + "acknowledged state is " + describe(wanted) + " and in flight was "
                                + (inFlight == null
                                        ? "nothing"
                                        : DELETE.equals(inFlight) ? "a DELETE" : "a PUT of " + inFlight)
                                + " (seed " + seed + ")");
                    }
                    if (inFlight != null) {
                        if (java.util.Objects.equals(actual, wanted)) {
                            inFlightLost++;
                        } else {
                            inFlightLanded++;
                        }
                    }
                    state.acked = actual;
                    state.inFlight = null;
                    if (actual != null) {
                        found.put(state.key, actual);
                    }
                    verifiedReads++;
                }
                Set<String> listed = new TreeSet<>();
                s3.listObjectsV2Paginator(b -> b.bucket(BUCKET)).contents().stream()
                        .map(S3Object::key)
                        .forEach(listed::add);
                assertEquals(
                        found.keySet(), listed, "cycle " + cycle + ": the listing holds exactly the readable keys");
                // a new process keeps spares of the blobs it deletes (the re-queued deletes), under new names
                List<Path> survivors =
                        tempFiles(dataDir).stream().filter(leftAtKill::contains).toList();
                assertEquals(List.of(), survivors, "cycle " + cycle + ": no temp file survives a restart");
                child.awaitIdle();
                long orphans = orphanBlobs(dataDir, found.size(), cycle);
                orphansSeen = Math.max(orphansSeen, orphans);
                // the consistency check with repair removes what a kill left behind; a second check is clean
                String repaired = child.checkConsistency(true);
                orphansRemoved += count(repaired, "\"ORPHAN\"");
                String after = child.checkConsistency(false);
                assertTrue(
                        after.contains("\"findings\" : [ ]") || after.contains("\"findings\":[]"),
                        "cycle " + cycle + ": a check after the repair still finds something: " + after);
                assertEquals(
                        0,
                        orphanBlobs(dataDir, found.size(), cycle),
                        "cycle " + cycle + ": orphans left after the repair");
                if (cycle > CYCLES) {
                    break; // the last start only verifies
                }

                // ---- load, then kill -9 after a random number of acknowledged operations
                int killAfter = 10 + random.nextInt(40);
                AtomicInteger acknowledged = new AtomicInteger();
                CountDownLatch killPoint = new CountDownLatch(1);
                AtomicBoolean stop = new AtomicBoolean();
                List<Thread> writers = new ArrayList<>();
                List<Throwable> unexpected = new java.util.concurrent.CopyOnWriteArrayList<>();
                for (int w = 0; w < WRITERS; w++) {
                    List<KeyState> mine = keys.subList(w * KEYS_PER_WRITER, (w + 1) * KEYS_PER_WRITER);
                    Random own = new Random(random.nextLong());
                    Thread t = new Thread(
                            () -> {
                                while (!stop.get()) {
                                    KeyState state = mine.get(own.nextInt(mine.size()));
                                    try {
                                        if (own.nextInt(10) < 7) {
                                            byte[] body = body(own);
                                            String hash = sha256(body);
                                            state.inFlight = hash;
                                            s3.putObject(
                                                    b -> b.bucket(BUCKET)
                                                            .key(state.key)
                                                            .metadata(Map.of("sha256", hash)),
                                                    RequestBody.fromBytes(body));
                                            state.acked = hash;
                                            acknowledgedWrites.incrementAndGet();
                                        } else {
                                            state.inFlight = DELETE;
                                            s3.deleteObject(
                                                    b -> b.bucket(BUCKET).key(state.key));
                                            state.acked = null;
                                            acknowledgedDeletes.incrementAndGet();
                                        }
                                        state.inFlight = null;
                                        if (acknowledged.incrementAndGet() >= killAfter) {
                                            killPoint.countDown();
                                        }
                                    } catch (RuntimeException e) {
                                        if (!stop.get()) {
                                            unexpected.add(e);
                                            killPoint.countDown();
                                        }
                                        return; // the operation stays in flight: its outcome is unknown
                                    }
                                }
                            },
                            "crash-writer-" + w);
                    t.setDaemon(true);
                    writers.add(t);
                }
                writers.forEach(Thread::start);
                assertTrue(killPoint.await(2, TimeUnit.MINUTES), "the load reached its kill point");
                stop.set(true);
                child.kill();
                leftAtKill = tempFiles(dataDir);
                for (Thread t : writers) {
                    t.join(TimeUnit.SECONDS.toMillis(60));
                    assertTrue(!t.isAlive(), t.getName() + " ended after the kill");
                }
                if (!unexpected.isEmpty()) {
                    fail(
                            "cycle " + cycle + ": an operation failed before the kill (seed " + seed + ")",
                            unexpected.get(0));
                }
            }
        }
        System.out.printf(
                "CrashRecoveryTest: %d kill -9 cycles, %d PUTs and %d DELETEs acknowledged, %d key states "
                        + "verified after restarts (%d in-flight operations landed, %d did not), at most %d orphan blobs "
                        + "per node, %d orphans removed by the consistency check (seed %d)%n",
                CYCLES,
                acknowledgedWrites.get(),
                acknowledgedDeletes.get(),
                verifiedReads,
                inFlightLanded,
                inFlightLost,
                orphansSeen,
                orphansRemoved,
                seed);
        assertTrue(acknowledgedWrites.get() >= CYCLES * 5L, "the load acknowledged writes in every cycle");
    }

    // ---- the workload ---------------------------------------------------------------------------------------------

    /** 0 B .. 64 KiB mostly; one in six between 1 MiB and 1.5 MiB (beyond the SDK's and server's buffers). */
    private static byte[] body(Random random) {
        int size = random.nextInt(6) == 0 ? (1 << 20) + random.nextInt(512 * 1024) : random.nextInt(64 * 1024);
        byte[] body = new byte[size];
        random.nextBytes(body);
        return body;
    }

    /** The SHA-256 of the key's body, or null when absent; fails when the metadata does not match the body. */
    private static String read(S3Client s3, String key) {
        ResponseBytes<GetObjectResponse> bytes;
        try {
            bytes = s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key));
        } catch (NoSuchKeyException e) {
            return null;
        }
        byte[] body = bytes.asByteArray();
        String hash = sha256(body);
        assertEquals(bytes.response().contentLength(), (long) body.length, key + ": Content-Length matches the body");
        assertEquals(
                hash,
                bytes.response().metadata().get("sha256"),
                key + ": the metadata served belongs to the body served (never a mix of two writes)");
        return hash;
    }

    private static String describe(String hash) {
        return hash == null ? "absent" : hash;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static S3Client client(URI endpoint) {
        return S3Client.builder()
                .endpointOverride(endpoint)
                .forcePathStyle(true)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        MockStorageServer.DEFAULT_ACCESS_KEY, MockStorageServer.DEFAULT_SECRET_KEY)))
                .overrideConfiguration(
                        o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()).apiCallTimeout(Duration.ofSeconds(60)))
                .build();
    }

    // ---- the data directory ---------------------------------------------------------------------------------------

    private static List<Path> tempFiles(Path dataDir) throws IOException {
        try (Stream<Path> files = Files.walk(dataDir)) {
            return files.filter(Files::isRegularFile)
                    .filter(p -> p.getParent().getFileName().toString().equals("tmp"))
                    .toList();
        }
    }

    /**
     * Blob files per node beyond the live objects (orphans: blob committed, metadata not, at a kill).
     * Fails when a node holds fewer blobs than there are live objects.
     */
    private static long count(String text, String needle) {
        long n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }

    private static long orphanBlobs(Path dataDir, int liveObjects, int cycle) throws IOException {
        long most = 0;
        try (Stream<Path> nodes = Files.list(dataDir)) {
            for (Path node :
                    nodes.filter(p -> Files.isDirectory(p.resolve("blobs"))).toList()) {
                long blobs;
                try (Stream<Path> files = Files.walk(node.resolve("blobs"))) {
                    blobs = files.filter(Files::isRegularFile).count();
                }
                assertTrue(
                        blobs >= liveObjects,
                        "cycle " + cycle + ": node " + node.getFileName() + " holds " + blobs + " blobs for "
                                + liveObjects + " live objects");
                most = Math.max(most, blobs - liveObjects);
            }
        }
        return most;
    }

    // ---- the child process ----------------------------------------------------------------------------------------

    /** The standalone server in its own JVM, on the test's classpath (the jar's main class and dependencies). */
    static final class Child implements AutoCloseable {
        final Process process;
        final URI endpoint;

        private Child(Process process, URI endpoint) {
            this.process = process;
            this.endpoint = endpoint;
        }

        static Child start(Path dataDir, Path log) throws IOException, InterruptedException {
            String java =
                    Path.of(System.getProperty("java.home"), "bin", "java").toString();
            List<String> command = List.of(
                    java,
                    "-Xmx256m",
                    "-XX:TieredStopAtLevel=1",
                    "-XX:+UseSerialGC",
                    "-cp",
                    System.getProperty("java.class.path"),
                    "dev.mockstorage.internal.cli.Main",
                    "--server.host=127.0.0.1",
                    "--server.port=0",
                    "--storage.data_dir=" + dataDir,
                    "--storage.buckets=" + BUCKET,
                    "--storage.orphan_grace_ms=0");
            ProcessBuilder builder = new ProcessBuilder(command).redirectError(log.toFile());
            builder.environment().keySet().removeIf(name -> name.startsWith("MOCK_STORAGE_"));
            Process process = builder.start();
            CountDownLatch ready = new CountDownLatch(1);
            URI[] endpoint = new URI[1];
            Thread reader = new Thread(() -> drain(process.getInputStream(), endpoint, ready), "crash-child-stdout");
            reader.setDaemon(true);
            reader.start();
            if (!ready.await(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS) || endpoint[0] == null) {
                process.destroyForcibly().waitFor();
                fail("the child server did not print its endpoint; stderr: " + Files.readString(log));
            }
            return new Child(process, endpoint[0]);
        }

        /** Reads the child's stdout to its end (so its pipe never fills), noting the endpoint line. */
        private static void drain(InputStream stdout, URI[] endpoint, CountDownLatch ready) {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(stdout, StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    Matcher m = LISTENING.matcher(line);
                    if (m.find() && endpoint[0] == null) {
                        endpoint[0] = URI.create(m.group(1));
                        ready.countDown();
                    }
                }
            } catch (IOException e) {
                // the child died: the start check or the test's reads say so
            } finally {
                ready.countDown();
            }
        }

        /** {@code POST /api/v1/await-idle}: every queued task (blob deletions from earlier cycles) has run. */
        void awaitIdle() throws IOException, InterruptedException {
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(endpoint.resolve("/api/v1/await-idle?timeout_ms=30000"))
                            .POST(HttpRequest.BodyPublishers.noBody())
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertTrue(response.statusCode() == 200 || response.statusCode() == 204, response::body);
        }

        /** {@code POST /api/v1/consistency/check?repair=...}: the report's JSON. */
        String checkConsistency(boolean repair) throws IOException, InterruptedException {
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(endpoint.resolve("/api/v1/consistency/check?repair=" + repair))
                            .POST(HttpRequest.BodyPublishers.noBody())
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode(), response::body);
            return response.body();
        }

        /** kill -9: no shutdown hook, no close, no flush. */
        void kill() throws InterruptedException {
            process.destroyForcibly();
            assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the child died");
        }

        @Override
        public void close() {
            process.destroyForcibly();
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
