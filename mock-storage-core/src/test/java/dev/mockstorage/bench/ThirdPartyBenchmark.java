package dev.mockstorage.bench;

import com.sun.net.httpserver.HttpServer;
import dev.mockstorage.server.MockStorageServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.stream.Stream;

/**
 * Added latency of a third-party miss (fetch + store on 3 nodes + answer) over a GET hit, with a
 * local upstream (the JDK's HttpServer serving 4 KiB from memory on 127.0.0.1). Reported, never
 * asserted. Run with {@code make bench-thirdparty [BENCH_SECONDS=n]}.
 */
public final class ThirdPartyBenchmark {
    private static final int SIZE = 4 * 1024;

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 5;
        // without TCP_NODELAY the JDK server's separate head and body writes meet delayed ACKs: ~40 ms per call
        System.setProperty("sun.net.httpserver.nodelay", "true");
        byte[] body = new byte[SIZE];
        Arrays.fill(body, (byte) 'x');
        HttpServer upstream = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        upstream.setExecutor(Executors.newFixedThreadPool(4));
        upstream.createContext("/", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/octet-stream");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        upstream.start();
        Path dir = Files.createTempDirectory("bench-third-party");
        String template = "http://127.0.0.1:" + upstream.getAddress().getPort() + "/{bucket}/{key}";
        HttpClient http = HttpClient.newHttpClient();
        try (MockStorageServer server = MockStorageServer.builder()
                .dataDirectory(dir)
                .setting("third_party.url", template)
                .start()) {
            String base = server.endpoint() + "/bench/";
            send(
                    http,
                    HttpRequest.newBuilder(URI.create(server.endpoint() + "/bench"))
                            .PUT(HttpRequest.BodyPublishers.noBody())
                            .build());
            // direct upstream round trip, for reference
            double[] direct = measure(
                    seconds / 3,
                    i -> get(http, "http://127.0.0.1:" + upstream.getAddress().getPort() + "/bench/d" + i));
            double[] miss = measure(seconds / 3, i -> get(http, base + "miss-" + i));
            int stored = miss.length;
            double[] hit = measure(seconds / 3, i -> get(http, base + "miss-" + (i % stored)));
            System.out.printf(
                    Locale.ROOT,
                    "third-party read-through, %d B objects, java %s, %d cores%n",
                    SIZE,
                    System.getProperty("java.version"),
                    Runtime.getRuntime().availableProcessors());
            report("upstream GET direct", direct);
            report("GET miss (fetch+store+answer)", miss);
            report("GET hit", hit);
            System.out.printf(
                    Locale.ROOT,
                    "added latency of a miss over a hit (p50): %.2f ms%n",
                    percentile(miss, 50) - percentile(hit, 50));
        } finally {
            upstream.stop(0);
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        System.exit(0);
    }

    interface Call {
        void run(int i) throws Exception;
    }

    private static double[] measure(double seconds, Call call) throws Exception {
        for (int i = 0; i < 50; i++) {
            call.run(1_000_000 + i); // warm-up on other keys
        }
        double[] ms = new double[1 << 16];
        int n = 0;
        long end = System.nanoTime() + (long) (seconds * 1e9);
        while (System.nanoTime() < end && n < ms.length) {
            long t0 = System.nanoTime();
            call.run(n);
            ms[n++] = (System.nanoTime() - t0) / 1e6;
        }
        return Arrays.copyOf(ms, n);
    }

    private static void get(HttpClient http, String url) throws IOException, InterruptedException {
        HttpResponse<byte[]> r =
                http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200 || r.body().length != SIZE) {
            throw new IllegalStateException(
                    url + " answered " + r.statusCode() + " with " + r.body().length + " bytes");
        }
    }

    private static void send(HttpClient http, HttpRequest request) throws IOException, InterruptedException {
        int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        if (status != 200) {
            throw new IllegalStateException(request.uri() + " answered " + status);
        }
    }

    private static void report(String what, double[] ms) {
        System.out.printf(
                Locale.ROOT,
                "  %-32s n=%6d  p50 %7.2f ms  p99 %7.2f ms%n",
                what,
                ms.length,
                percentile(ms, 50),
                percentile(ms, 99));
    }

    private static double percentile(double[] ms, double p) {
        if (ms.length == 0) {
            return Double.NaN;
        }
        double[] sorted = ms.clone();
        Arrays.sort(sorted);
        return sorted[(int) Math.min(sorted.length - 1, Math.ceil(p / 100 * sorted.length) - 1)];
    }
}
