package dev.mockstorage.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Time from spawning a server to its first {@code 200} on {@code /health}, and the CPU it used until
 * then, for the standalone jar (plain {@code java -jar}, and any launcher command) and the Docker image,
 * each next to its floor: a JVM that only opens a socket ({@link SocketOnly}), on the host and in the base
 * image. The variants run in turn (one start of each, then the next round), so a busy minute on this
 * shared machine falls on all of them alike; one start of each is run first and not counted (page cache,
 * a launcher's first-run archive). Not a test: {@code make bench-start}.
 *
 * <p>A container is asked for {@code /health} once {@code docker run -d} has returned, as a client learns
 * that it started (Testcontainers polls after the start call). Asking earlier measures the engine, not
 * the server: a connection the port proxy accepts before the container's network is up has its SYN to
 * the container dropped, and TCP sends it again a second later (every such run took 1.1 s).
 *
 * <pre>
 * StartBenchmark [--runs N] [--jar NAME=JAR]... [--cmd NAME=COMMAND]... [--image NAME=IMAGE]... [--base-image IMAGE]
 * </pre>
 * A {@code --cmd} is split on spaces; {@code {port}} and {@code {dir}} (a fresh data directory) are
 * replaced in it. Without a Docker engine (or without {@code --image}) the container lines are left out.
 */
public final class StartBenchmark {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final byte[] HEALTH =
            "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    /** One way to start a server: argv with {@code {port}}, {@code {dir}} and {@code {name}} to fill in. */
    private record Variant(String name, List<String> argv, boolean docker) {}

    /** One start: wall time to the first 200 and CPU time used by then (NaN when unknown). */
    private record Sample(double ms, double cpuMs) {}

    private StartBenchmark() {}

    public static void main(String[] args) throws Exception {
        int runs = 20;
        List<Variant> variants = new ArrayList<>();
        List<String[]> images = new ArrayList<>();
        String baseImage = "local/jre17:offline";
        String classes = classesDirectory();
        variants.add(new Variant(
                "floor: a JVM that only opens a socket",
                List.of(java(), "-cp", classes, SocketOnly.class.getName(), "{port}"),
                false));
        for (int i = 0; i < args.length; i += 2) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            if (value == null) {
                throw new IllegalArgumentException(args[i] + " needs a value");
            }
            switch (args[i]) {
                case "--runs" -> runs = Integer.parseInt(value);
                case "--jar" ->
                    variants.add(new Variant(
                            name(value),
                            List.of(java(), "-jar", path(value), "--server.port={port}", "--storage.data_dir={dir}"),
                            false));
                case "--cmd" ->
                    variants.add(new Variant(name(value), List.of(path(value).split(" ")), false));
                case "--image" -> images.add(new String[] {name(value), path(value)});
                case "--base-image" -> baseImage = value;
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (!images.isEmpty()) {
            if (!dockerAnswers()) {
                System.out.println("(no Docker engine answers: the container lines are left out)");
            } else {
                variants.add(new Variant(
                        "floor: docker run, socket-only JVM (" + baseImage + ")",
                        List.of(
                                "docker",
                                "run",
                                "-d",
                                "--rm",
                                "--name",
                                "{name}",
                                "-p",
                                "127.0.0.1:{port}:8080",
                                "-v",
                                classes + ":/bench:ro",
                                baseImage,
                                "java",
                                "-cp",
                                "/bench",
                                SocketOnly.class.getName(),
                                "8080",
                                "0.0.0.0"),
                        true));
                for (String[] image : images) {
                    variants.add(new Variant(
                            image[0],
                            List.of(
                                    "docker",
                                    "run",
                                    "-d",
                                    "--rm",
                                    "--name",
                                    "{name}",
                                    "-p",
                                    "127.0.0.1:{port}:8080",
                                    image[1]),
                            true));
                }
            }
        }

        String loadBefore = loadAverage();
        Map<Variant, List<Sample>> samples = new LinkedHashMap<>();
        for (Variant v : variants) {
            start(v); // not counted: page cache, image layers, a launcher's first-run archive
            samples.put(v, new ArrayList<>());
        }
        for (int r = 0; r < runs; r++) {
            for (Variant v : variants) {
                samples.get(v).add(start(v));
            }
        }
        System.out.printf(
                Locale.ROOT,
                "start to the first 200 on /health: %d starts each, interleaved; java %s, %d cores;"
                        + " load average %s before, %s after%n",
                runs,
                System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(),
                loadBefore,
                loadAverage());
        System.out.printf(Locale.ROOT, "  %-62s %9s %9s %12s%n", "", "median", "p90", "CPU median");
        for (Map.Entry<Variant, List<Sample>> e : samples.entrySet()) {
            double[] ms = e.getValue().stream().mapToDouble(Sample::ms).sorted().toArray();
            double[] cpu = e.getValue().stream()
                    .mapToDouble(Sample::cpuMs)
                    .filter(c -> !Double.isNaN(c))
                    .sorted()
                    .toArray();
            System.out.printf(
                    Locale.ROOT,
                    "  %-62s %6.0f ms %6.0f ms %9s%n",
                    e.getKey().name(),
                    percentile(ms, 50),
                    percentile(ms, 90),
                    cpu.length == 0 ? "n/a" : String.format(Locale.ROOT, "%.0f ms", percentile(cpu, 50)));
        }
    }

    /** Starts {@code v}, waits for its first 200 on /health, stops it and removes what it made. */
    private static Sample start(Variant v) throws Exception {
        int port = freePort();
        Path dir = Files.createTempDirectory("mock-storage-bench-start-");
        String name = "mock-storage-bench-start-" + port;
        List<String> argv = v.argv().stream()
                .map(a -> a.replace("{port}", Integer.toString(port))
                        .replace("{dir}", dir.toString())
                        .replace("{name}", name))
                .toList();
        Path log = Files.createTempFile("mock-storage-bench-start-", ".log");
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(argv)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        try {
            long deadline = t0 + READY_TIMEOUT.toNanos();
            if (v.docker()) {
                // docker run -d returns once the container started (see the class comment)
                if (!p.waitFor(READY_TIMEOUT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                    throw new IllegalStateException(v.name() + ": docker run did not return within " + READY_TIMEOUT);
                }
                if (p.exitValue() != 0) {
                    throw new IllegalStateException(
                            v.name() + ": docker run exited with " + p.exitValue() + ": " + Files.readString(log));
                }
            }
            while (!healthy(port)) {
                if (!v.docker() && !p.isAlive()) {
                    throw new IllegalStateException(
                            v.name() + " exited with " + p.exitValue() + ": " + Files.readString(log));
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            v.name() + " did not answer within " + READY_TIMEOUT + ": " + Files.readString(log));
                }
                Thread.sleep(2);
            }
            double ms = (System.nanoTime() - t0) / 1e6;
            double cpu;
            if (v.docker()) {
                cpu = containerCpuMs(lastLine(Files.readString(log)));
            } else {
                cpu = p.toHandle()
                        .info()
                        .totalCpuDuration()
                        .map(d -> d.toNanos() / 1e6)
                        .orElse(Double.NaN);
            }
            return new Sample(ms, cpu);
        } finally {
            if (v.docker()) {
                new ProcessBuilder("docker", "rm", "-f", name)
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .start()
                        .waitFor();
            }
            p.destroy();
            if (!p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
            }
            deleteTree(dir);
            Files.deleteIfExists(log);
        }
    }

    /** True once {@code GET /health} on the port answers 200. */
    private static boolean healthy(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write(HEALTH);
            out.flush();
            InputStream in = s.getInputStream();
            byte[] status = in.readNBytes(12);
            return new String(status, StandardCharsets.US_ASCII).equals("HTTP/1.1 200");
        } catch (IOException e) {
            return false; // not listening yet, or (docker's port proxy) accepted and closed
        }
    }

    /** CPU the container used, from its cgroup (v1 cpuacct, or v2 cpu.stat); NaN when neither is readable. */
    private static double containerCpuMs(String id) {
        for (String file : new String[] {
            "/sys/fs/cgroup/cpuacct/docker/" + id + "/cpuacct.usage",
            "/sys/fs/cgroup/cpu,cpuacct/docker/" + id + "/cpuacct.usage"
        }) {
            try {
                return Long.parseLong(Files.readString(Path.of(file)).strip()) / 1e6;
            } catch (IOException | NumberFormatException e) {
                // try the next layout
            }
        }
        try {
            for (String line :
                    Files.readAllLines(Path.of("/sys/fs/cgroup/system.slice/docker-" + id + ".scope/cpu.stat"))) {
                if (line.startsWith("usage_usec ")) {
                    return Long.parseLong(line.substring("usage_usec ".length()).strip()) / 1e3;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not cgroup v2 with the systemd driver either
        }
        return Double.NaN;
    }

    /** The container id {@code docker run -d} printed (after any warning). */
    private static String lastLine(String output) {
        String[] lines = output.strip().split("\n");
        return lines[lines.length - 1].strip();
    }

    private static boolean dockerAnswers() {
        try {
            Process p = new ProcessBuilder("docker", "info")
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            return p.waitFor(20, java.util.concurrent.TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + "/" + f[1] + "/" + f[2];
        } catch (IOException e) {
            return "n/a";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** The directory (or jar) holding this class, so that a child JVM or a container can run {@link SocketOnly}. */
    private static String classesDirectory() throws URISyntaxException {
        return Path.of(SocketOnly.class
                        .getProtectionDomain()
                        .getCodeSource()
                        .getLocation()
                        .toURI())
                .toString();
    }

    private static String name(String nameIsValue) {
        int eq = nameIsValue.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException("expected NAME=VALUE: " + nameIsValue);
        }
        return nameIsValue.substring(0, eq);
    }

    private static String path(String nameIsValue) {
        return nameIsValue.substring(nameIsValue.indexOf('=') + 1);
    }

    private static double percentile(double[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, Math.max(0, (int) Math.ceil(p / 100.0 * sorted.length) - 1))];
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
