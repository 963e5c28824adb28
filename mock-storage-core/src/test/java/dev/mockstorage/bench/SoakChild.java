package dev.mockstorage.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.RandomAccessFile;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The standalone server ({@code dev.mockstorage.internal.cli.Main}, the jar's main class) in a child
 * JVM on the soak's data directory, with a GC log for the heap after each collection. Killed with
 * {@code kill -9} ({@link Process#destroyForcibly()}) and started again on the same directory and port.
 */
final class SoakChild implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("mock-storage listening on (http://\\S+)");
    /** "... 45M->12M(256M) ..." in a unified GC log line: the heap after the collection. */
    private static final Pattern AFTER_GC = Pattern.compile("->(\\d+)M\\(");

    final Process process;
    final URI endpoint;
    final int generation;
    private final Path gcLog;
    private long gcLogOffset;

    private SoakChild(Process process, URI endpoint, int generation, Path gcLog) {
        this.process = process;
        this.endpoint = endpoint;
        this.generation = generation;
        this.gcLog = gcLog;
    }

    /**
     * Starts a server and waits for its "listening" line.
     *
     * @param port    the port to listen on; 0 for any (the first start)
     * @param options further {@code --name=value} settings
     */
    static SoakChild start(Path dataDir, Path logDir, int generation, int port, String heap, List<String> options)
            throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path gcLog = logDir.resolve("gc-" + generation + ".log");
        Path log = logDir.resolve("server-" + generation + ".log");
        List<String> command = new ArrayList<>(List.of(
                java,
                "-Xmx" + heap,
                "-Xlog:gc:file=" + gcLog,
                "-cp",
                System.getProperty("java.class.path"),
                "dev.mockstorage.internal.cli.Main",
                "--server.host=127.0.0.1",
                "--server.port=" + port,
                "--storage.data_dir=" + dataDir));
        command.addAll(options);
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(log.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("MOCK_STORAGE_"));
        Process process = builder.start();
        CountDownLatch ready = new CountDownLatch(1);
        URI[] endpoint = new URI[1];
        Thread reader =
                new Thread(() -> drain(process.getInputStream(), endpoint, ready), "soak-server-stdout-" + generation);
        reader.setDaemon(true);
        reader.start();
        if (!ready.await(60, TimeUnit.SECONDS) || endpoint[0] == null) {
            process.destroyForcibly().waitFor();
            throw new IllegalStateException("the server did not start; its log " + log + ":\n" + Files.readString(log));
        }
        return new SoakChild(process, endpoint[0], generation, gcLog);
    }

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
            // the child died
        } finally {
            ready.countDown();
        }
    }

    /** The largest heap after a collection (MiB) logged since the last call, or -1 when none ran. */
    long heapAfterGcMiB() {
        long max = -1;
        try (RandomAccessFile f = new RandomAccessFile(gcLog.toFile(), "r")) {
            f.seek(gcLogOffset);
            String line;
            while ((line = f.readLine()) != null) {
                Matcher m = AFTER_GC.matcher(line);
                if (m.find()) {
                    max = Math.max(max, Long.parseLong(m.group(1)));
                }
            }
            gcLogOffset = f.getFilePointer();
        } catch (IOException e) {
            // no log yet
        }
        return max;
    }

    /** VmRSS in MiB and the thread count, from /proc; -1 when unknown. */
    long[] rssMiBAndThreads() {
        long rss = -1;
        long threads = -1;
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = Long.parseLong(line.replaceAll("\\D", "")) / 1024;
                } else if (line.startsWith("Threads:")) {
                    threads = Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone
        }
        return new long[] {rss, threads};
    }

    /** kill -9: no shutdown hook, no close, no flush. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            kill();
        }
    }
}
