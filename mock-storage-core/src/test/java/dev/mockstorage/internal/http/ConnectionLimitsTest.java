package dev.mockstorage.internal.http;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mockstorage.testing.RawHttp;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Bounded connections: many clients that connect and send half a request head, a slowloris,
 * and connections beyond the limit, each while another client keeps being answered. Behaviour is
 * asserted (who is answered, who is refused or closed, how many threads the server runs); latencies
 * and memory are printed, never asserted, because this machine is shared and noisy.
 *
 * <p>3 000 client sockets plus the server's 3 000 ends need 6 000 file descriptors in this JVM. The
 * JVM raises its soft open-files limit to the hard limit at start (HotSpot's {@code MaxFDLimit}), 20 000
 * on these machines, so the test raises nothing; it checks the limit first and says so if it is lower.
 */
class ConnectionLimitsTest {
    private static final int FLOOD = 3000;
    private static final byte[] HALF_HEAD = "GET /".getBytes(StandardCharsets.US_ASCII);

    private final List<SocketChannel> flood = new ArrayList<>();
    private HttpServer server;

    @AfterEach
    void tearDown() {
        for (SocketChannel c : flood) {
            try {
                c.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        if (server != null) {
            server.stop();
        }
    }

    private HttpServer start(ConnectionLimits limits) throws IOException {
        server = new HttpServer(
                "127.0.0.1",
                0,
                request -> {
                    request.body().readAllBytes();
                    return HttpResponse.status(200).body("ok " + request.rawPath(), "text/plain");
                },
                limits,
                e -> HttpResponse.status(e.code().status()).body(e.code() + ": " + e.getMessage(), "text/plain"));
        server.start();
        return server;
    }

    @Test
    void threeThousandConnectionsSendingHalfAHeadHoldNoThreadWhileAnotherClientIsAnswered() throws Exception {
        requireFileDescriptors(2 * FLOOD + 200);
        ConnectionLimits limits = new ConnectionLimits(FLOOD + 100, Duration.ofSeconds(60));
        start(limits);
        try (RawHttp.Connection probe = raw()) {
            assertEquals(
                    200,
                    probe.send("GET /before HTTP/1.1\r\nHost: x\r\n\r\n")
                            .readResponse()
                            .status());
            long opened = System.nanoTime();
            openFlood(FLOOD);
            await().atMost(Duration.ofSeconds(60)).until(() -> server.openConnections() == FLOOD + 1);
            double openMs = (System.nanoTime() - opened) / 1e6;

            long[] nanos = probeLatencies(probe, 200);
            try (RawHttp.Connection fresh = raw()) {
                assertEquals(
                        200,
                        fresh.send("GET /fresh HTTP/1.1\r\nHost: x\r\n\r\n")
                                .readResponse()
                                .status(),
                        "a new client is answered too");
            }
            int serverThreads = serverThreads();
            System.out.printf(
                    Locale.ROOT,
                    "ConnectionLimitsTest: %d connections holding half a head (opened in %.0f ms): "
                            + "the server runs %d threads (dispatcher + workers); probe on another keep-alive connection: "
                            + "p50 %.2f ms, max %.2f ms over %d requests; JVM: %d threads, heap used %d MiB, RSS %s%n",
                    FLOOD,
                    openMs,
                    serverThreads,
                    nanos[nanos.length / 2] / 1e6,
                    nanos[nanos.length - 1] / 1e6,
                    nanos.length,
                    ManagementFactory.getThreadMXBean().getThreadCount(),
                    usedHeapMiB(),
                    rss());
            assertTrue(
                    serverThreads <= 1 + 8,
                    "idle connections hold no thread: the server runs " + serverThreads + " threads for " + (FLOOD + 1)
                            + " connections");
            assertEquals(0, server.refusedConnections());
            for (SocketChannel c : flood) {
                assertEquals(0, readNow(c).length, "a half-sent head gets no answer before its timeout");
            }
        }
    }

    @Test
    void connectionsBeyondTheLimitAreAnsweredSlowDownAndClosedWhileAdmittedOnesAreServed() throws Exception {
        requireFileDescriptors(2 * FLOOD + 200);
        start(ConnectionLimits.DEFAULTS);
        int limit = ConnectionLimits.DEFAULT_MAX_CONNECTIONS;
        try (RawHttp.Connection probe = raw()) {
            assertEquals(
                    200,
                    probe.send("GET /before HTTP/1.1\r\nHost: x\r\n\r\n")
                            .readResponse()
                            .status());
            openFlood(FLOOD);
            int expectedRefused = FLOOD - (limit - 1);
            Map<SocketChannel, byte[]> answers = new HashMap<>();
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                for (SocketChannel c : flood) {
                    byte[] got = readNow(c);
                    if (got.length > 0) {
                        answers.merge(c, got, ConnectionLimitsTest::concat);
                    }
                }
                return answers.values().stream()
                                .filter(b -> new String(b, StandardCharsets.ISO_8859_1).contains("SlowDown"))
                                .count()
                        == expectedRefused;
            });
            assertEquals(expectedRefused, answers.size(), "only the connections beyond the limit got an answer");
            for (byte[] answer : answers.values()) {
                String text = new String(answer, StandardCharsets.ISO_8859_1);
                assertTrue(
                        text.startsWith("HTTP/1.1 503 Service Unavailable\r\n")
                                && text.contains("Connection: close\r\n"),
                        text);
            }
            assertEquals(expectedRefused, server.refusedConnections());
            assertEquals(limit, server.openConnections());
            long[] nanos = probeLatencies(probe, 200);
            int serverThreads = serverThreads();
            System.out.printf(
                    Locale.ROOT,
                    "ConnectionLimitsTest: %d connections against server.max_connections=%d: %d refused "
                            + "with 503 SlowDown, %d open; server threads %d; probe p50 %.2f ms, max %.2f ms; RSS %s%n",
                    FLOOD,
                    limit,
                    server.refusedConnections(),
                    server.openConnections(),
                    serverThreads,
                    nanos[nanos.length / 2] / 1e6,
                    nanos[nanos.length - 1] / 1e6,
                    rss());
            assertTrue(serverThreads <= 1 + 8, "server threads: " + serverThreads);
        }
    }

    @Test
    void slowlorisHeadsAreClosedAtTheHeadTimeoutWithoutHoldingThreadsWhileOthersAreAnswered() throws Exception {
        start(new ConnectionLimits(1000, Duration.ofSeconds(2)));
        int lorises = 200;
        byte[] head = "GET /slow HTTP/1.1\r\nHost: x\r\nX-Padding: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < lorises; i++) {
            SocketChannel c = SocketChannel.open(new InetSocketAddress("127.0.0.1", server.port()));
            c.configureBlocking(false);
            flood.add(c);
        }
        AtomicInteger sent = new AtomicInteger();
        AtomicInteger closedByServer = new AtomicInteger();
        ScheduledExecutorService slowly = Executors.newSingleThreadScheduledExecutor();
        try (RawHttp.Connection probe = raw()) {
            // one byte per second on every slowloris connection
            slowly.scheduleAtFixedRate(
                    () -> {
                        int i = sent.getAndIncrement();
                        int closed = 0;
                        for (SocketChannel c : flood) {
                            try {
                                if (!c.isOpen() || c.read(ByteBuffer.allocate(256)) != 0) {
                                    throw new IOException("answered or closed by the server");
                                }
                                c.write(ByteBuffer.wrap(head, i % head.length, 1));
                            } catch (IOException e) {
                                closed++;
                                try {
                                    c.close();
                                } catch (IOException ignored) {
                                    // counted
                                }
                            }
                        }
                        closedByServer.set(closed);
                    },
                    0,
                    1,
                    TimeUnit.SECONDS);
            List<Long> probeNanos = new ArrayList<>();
            int[] maxThreads = {0};
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> {
                        long t = System.nanoTime();
                        assertEquals(
                                200,
                                probe.send("GET /probe HTTP/1.1\r\nHost: x\r\n\r\n")
                                        .readResponse()
                                        .status());
                        probeNanos.add(System.nanoTime() - t);
                        maxThreads[0] = Math.max(maxThreads[0], serverThreads());
                        return closedByServer.get() == lorises;
                    });
            long[] nanos =
                    probeNanos.stream().mapToLong(Long::longValue).sorted().toArray();
            System.out.printf(
                    Locale.ROOT,
                    "ConnectionLimitsTest: %d slowloris connections (1 byte/s) closed by the "
                            + "2 s head timeout after %d bytes each; server threads at most %d; probe p50 %.2f ms, max %.2f ms "
                            + "over %d requests%n",
                    lorises,
                    sent.get(),
                    maxThreads[0],
                    nanos[nanos.length / 2] / 1e6,
                    nanos[nanos.length - 1] / 1e6,
                    nanos.length);
            assertTrue(sent.get() < head.length, "closed before the head was complete");
            assertEquals(lorises, server.headTimeouts(), "each slowloris was closed by the head timeout");
            assertTrue(maxThreads[0] <= 1 + 8, "a slowloris holds no thread: the server ran " + maxThreads[0]);
            assertEquals(1, server.openConnections(), "only the probe is open");
        } finally {
            slowly.shutdownNow();
        }
    }

    @Test
    void aSilentNewConnectionGoesAtTheHeadTimeoutAnIdleKeepAliveOneAtTheIdleTimeout() throws Exception {
        start(new ConnectionLimits(10, 4, Duration.ofMillis(300), Duration.ofMillis(1500)));
        try (RawHttp.Connection silent = raw();
                RawHttp.Connection idle = raw()) {
            assertEquals(
                    200,
                    idle.send("GET /once HTTP/1.1\r\nHost: x\r\n\r\n")
                            .readResponse()
                            .status());
            long t = System.nanoTime();
            assertTrue(silent.closedByPeer(), "a connection that sends nothing is closed at the head timeout");
            double silentMs = (System.nanoTime() - t) / 1e6;
            assertEquals(1, server.openConnections(), "the idle keep-alive connection is still open");
            assertTrue(idle.closedByPeer(), "an idle keep-alive connection is closed at the idle timeout");
            double idleMs = (System.nanoTime() - t) / 1e6;
            System.out.printf(
                    Locale.ROOT,
                    "ConnectionLimitsTest: silent connection closed after %.0f ms (head timeout 300), "
                            + "idle keep-alive after %.0f ms (idle timeout 1500)%n",
                    silentMs,
                    idleMs);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> server.openConnections() == 0);
    }

    // ---- helpers ----------------------------------------------------------------------------------

    /** A keep-alive connection to the server that the test drives. */
    private RawHttp.Connection raw() throws IOException {
        return new RawHttp("127.0.0.1", server.port()).open();
    }

    private void openFlood(int n) throws IOException {
        for (int i = 0; i < n; i++) {
            SocketChannel c = SocketChannel.open(new InetSocketAddress("127.0.0.1", server.port()));
            flood.add(c);
            c.write(ByteBuffer.wrap(HALF_HEAD));
            c.configureBlocking(false);
        }
    }

    private static long[] probeLatencies(RawHttp.Connection probe, int requests) throws IOException {
        long[] nanos = new long[requests];
        for (int i = 0; i < requests; i++) {
            long t = System.nanoTime();
            RawHttp.Response r = probe.send("GET /probe/" + i + " HTTP/1.1\r\nHost: x\r\n\r\n")
                    .readResponse();
            nanos[i] = System.nanoTime() - t;
            assertEquals(200, r.status());
            assertEquals("ok /probe/" + i, r.bodyText());
        }
        Arrays.sort(nanos);
        return nanos;
    }

    /** What a non-blocking channel has received so far (empty when nothing, or when it is at its end). */
    private static byte[] readNow(SocketChannel c) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(4096);
        int n = c.read(buf);
        return n <= 0 ? new byte[0] : Arrays.copyOf(buf.array(), n);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    private int serverThreads() {
        String prefix = "mock-storage-http-" + server.port();
        return (int) Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith(prefix))
                .count();
    }

    private static long usedHeapMiB() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() >> 20;
    }

    private static String rss() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .filter(l -> l.startsWith("VmRSS:"))
                    .map(l -> l.substring(6).strip())
                    .findFirst()
                    .orElse("n/a");
        } catch (IOException e) {
            return "n/a";
        }
    }

    private static void requireFileDescriptors(long needed) {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            long max = unix.getMaxFileDescriptorCount();
            assertTrue(
                    max >= needed + unix.getOpenFileDescriptorCount(),
                    "this test needs " + needed + " more file descriptors, the open-files limit of this JVM is " + max
                            + " (raise the hard limit, ulimit -Hn)");
        }
    }
}
