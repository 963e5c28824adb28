package dev.mockstorage.internal.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.mockstorage.internal.config.Setting;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class MainTest {

    @TempDir
    Path dir;

    /** Runs Main with the given environment; returns exit code, stdout and stderr. */
    private record Outcome(int code, String out, String err) {}

    private static Outcome run(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(
                args,
                env,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static Main.Plan plan(Map<String, String> env, String... args) {
        return Main.Plan.of(Arguments.parse(args), env);
    }

    private Path configWithPort(int port) throws IOException {
        Path file = dir.resolve("config.json");
        Files.writeString(file, "{\"server\": {\"port\": " + port + "}}");
        return file;
    }

    @Nested
    class Parsing {
        @Test
        void noArgumentsServesTheDefaults() {
            Arguments a = Arguments.parse();
            assertEquals(new Arguments(Arguments.Command.SERVE, null, Map.of(), Map.of()), a);
        }

        @Test
        void everyFormOfOption() {
            Arguments a = Arguments.parse(
                    "serve",
                    "--config",
                    "c.json",
                    "--set",
                    "queue.size=5",
                    "--server.port=9000",
                    "--set=storage.data_dir=/d=x");
            assertEquals(Arguments.Command.SERVE, a.command());
            assertEquals(Path.of("c.json"), a.configFile());
            assertEquals(Map.of("queue.size", "5", "server.port", "9000", "storage.data_dir", "/d=x"), a.settings());
            assertEquals("command line --server.port", a.origins().get("server.port"));
            assertEquals("command line --set queue.size", a.origins().get("queue.size"));
        }

        @Test
        void laterOptionsWin() {
            assertEquals(
                    "2",
                    Arguments.parse("--server.port=1", "--set", "server.port=2")
                            .settings()
                            .get("server.port"));
            assertEquals(
                    Path.of("b"), Arguments.parse("--config=a", "--config", "b").configFile());
        }

        @Test
        void healthcheckAndHelpCommands() {
            assertEquals(
                    Arguments.Command.HEALTHCHECK,
                    Arguments.parse("healthcheck", "--server.port=1").command());
            assertEquals(
                    Arguments.Command.HELP,
                    Arguments.parse("--server.port=1", "--help").command());
            assertEquals(Arguments.Command.HELP, Arguments.parse("-h").command());
        }

        @Test
        void mistakesAreUsageErrorsNamingTheArgument() {
            assertTrue(assertThrows(UsageException.class, () -> Arguments.parse("--port=80"))
                    .getMessage()
                    .startsWith("unknown option --port=80; settings are --NAME=VALUE with NAME one of: server.host"));
            assertEquals(
                    "--config needs a value: --config FILE",
                    assertThrows(UsageException.class, () -> Arguments.parse("--config"))
                            .getMessage());
            assertEquals(
                    "--set queue.size: expected NAME=VALUE, e.g. --set server.port=9000",
                    assertThrows(UsageException.class, () -> Arguments.parse("--set", "queue.size"))
                            .getMessage());
            assertEquals(
                    "--server.port needs a value: --server.port=VALUE",
                    assertThrows(UsageException.class, () -> Arguments.parse("--server.port"))
                            .getMessage());
            assertTrue(assertThrows(UsageException.class, () -> Arguments.parse("--set", "x.y=1"))
                    .getMessage()
                    .startsWith("command line --set x.y=1: unknown setting; known: server.host"));
            assertEquals(
                    "unexpected argument \"config.json\"; commands are serve and healthcheck",
                    assertThrows(UsageException.class, () -> Arguments.parse("config.json"))
                            .getMessage());
            assertEquals(
                    "\"healthcheck\": only one command may be given",
                    assertThrows(UsageException.class, () -> Arguments.parse("serve", "healthcheck"))
                            .getMessage());
        }
    }

    @Nested
    class Resolution {
        @Test
        void withNothingGivenThePortIs8080() {
            Main.Plan p = plan(Map.of());
            assertNull(p.configFile());
            assertEquals(8080, p.config().server().port());
            assertEquals(Map.of("server.port", "8080", "console.enabled", "true"), p.builderSettings());
        }

        @Test
        void theJarServesTheConsoleUnlessToldNotTo() throws IOException {
            assertTrue(plan(Map.of()).config().console());
            assertEquals(
                    "false",
                    plan(Map.of("MOCK_STORAGE_CONSOLE_ENABLED", "false"))
                            .builderSettings()
                            .get("console.enabled"));
            Path file = Files.writeString(dir.resolve("console-off.json"), "{\"console\": {\"enabled\": false}}");
            assertEquals(
                    "false",
                    plan(Map.of(), "--config", file.toString())
                            .builderSettings()
                            .get("console.enabled"));
        }

        @Test
        void theConfigFilePortReachesTheBuilder() throws IOException {
            Main.Plan p = plan(Map.of(), "--config", configWithPort(9000).toString());
            assertEquals(9000, p.config().server().port());
            assertEquals("9000", p.builderSettings().get("server.port"));
        }

        @Test
        void defaultsThenFileThenEnvironmentThenCommandLine() throws IOException {
            String file = configWithPort(9000).toString();
            Map<String, String> env = Map.of("MOCK_STORAGE_SERVER_PORT", "9001", "MOCK_STORAGE_QUEUE_SIZE", "7");
            assertEquals(
                    9000, plan(Map.of(), "--config", file).config().server().port());
            assertEquals(9001, plan(env, "--config", file).config().server().port());
            Main.Plan p = plan(env, "--config", file, "--server.port=9002");
            assertEquals(9002, p.config().server().port());
            assertEquals(7, p.config().queue().size());
            assertEquals(
                    Map.of("server.port", "9002", "queue.size", "7", "console.enabled", "true"), p.builderSettings());
        }

        @Test
        void theConfigFileMayComeFromTheEnvironment() throws IOException {
            String file = configWithPort(9000).toString();
            assertEquals(
                    9000,
                    plan(Map.of("MOCK_STORAGE_CONFIG", file)).config().server().port());
            Path other = Files.writeString(dir.resolve("other.json"), "{\"server\": {\"port\": 9100}}");
            Main.Plan p = plan(Map.of("MOCK_STORAGE_CONFIG", file), "--config", other.toString());
            assertEquals(other, p.configFile());
            assertEquals(9100, p.config().server().port());
        }
    }

    @Nested
    class Errors {
        @Test
        void configurationErrorExits2NamingTheOption() {
            Outcome o = run(Map.of(), "--server.port=http");
            assertEquals(2, o.code());
            assertEquals(
                    "mock-storage: configuration error: command line --server.port: server.port: "
                            + "\"http\" is not a whole number\n",
                    o.err());
        }

        @Test
        void environmentErrorNamesTheVariable() {
            Outcome o = run(Map.of("MOCK_STORAGE_STORAGE_FSYNC", "sometimes"));
            assertEquals(2, o.code());
            assertEquals(
                    "mock-storage: configuration error: environment variable MOCK_STORAGE_STORAGE_FSYNC: "
                            + "storage.fsync: \"sometimes\" is not a boolean (use true or false)\n",
                    o.err());
        }

        @Test
        void configFileErrorNamesTheFileAndField() throws IOException {
            Path file = Files.writeString(dir.resolve("bad.json"), "{\"queue\": {\"size\": 0}}");
            Outcome o = run(Map.of(), "--config", file.toString());
            assertEquals(2, o.code());
            assertEquals(
                    "mock-storage: configuration error: " + file + ": queue.size: must be at least 1, got 0\n",
                    o.err());
        }

        @Test
        void usageErrorExits2() {
            Outcome o = run(Map.of(), "--verbose");
            assertEquals(2, o.code());
            assertTrue(o.err().startsWith("mock-storage: unknown option --verbose;"), o.err());
            assertTrue(o.err().endsWith("(see --help)\n"), o.err());
        }
    }

    /** A start that fails says which setting, its value and why, exits 1 and leaves nothing on disk. */
    @Nested
    @Timeout(60) // Main.run returns only on failure; a start that wrongly succeeds would wait for SIGTERM
    class StartErrors {
        @Test
        void aTakenPortNamesTheHostThePortAndTheCauseAndCreatesNoDataDirectory() throws IOException {
            Path data = dir.resolve("data");
            try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
                int port = taken.getLocalPort();
                Outcome o = run(Map.of(), "--server.port=" + port, "--storage.data_dir=" + data);
                assertEquals(1, o.code());
                assertEquals(
                        "mock-storage: could not start: server.port " + port + " on 127.0.0.1: address already in use"
                                + " (another process listens there; choose another server.port, or 0 for any free one)\n",
                        o.err());
                assertEquals("", o.out());
            }
            assertFalse(Files.exists(data), "the failed start created " + data);
        }

        @Test
        void aDataDirectoryBelowAFileSaysItIsNotADirectory() throws IOException {
            Path file = Files.writeString(dir.resolve("file.txt"), "not a directory");
            Path data = file.resolve("data");
            Outcome o = run(Map.of(), "--server.port=0", "--storage.data_dir=" + data);
            assertEquals(1, o.code());
            assertEquals(
                    "mock-storage: could not start: storage.data_dir " + data + ": not a directory (" + file
                            + " is a file)\n",
                    o.err());
        }

        @Test
        void aFailureAfterTheStoreWasSetUpRemovesWhatThisStartCreated() throws IOException {
            Path data = dir.resolve("data");
            Path log = Files.writeString(dir.resolve("file.txt"), "").resolve("access.log");
            Outcome o = run(Map.of(), "--server.port=0", "--storage.data_dir=" + data, "--log.access=" + log);
            assertEquals(1, o.code());
            assertEquals(
                    "mock-storage: could not start: log.access " + log + ": not a directory (" + dir.resolve("file.txt")
                            + " is a file)\n",
                    o.err());
            assertFalse(Files.exists(data), "the failed start left " + data);
        }
    }

    @Test
    void theJarLogsOneLinePerRecord() {
        String line = String.format(
                Main.LOG_FORMAT, java.time.ZonedDateTime.now(), "source", "logger", "WARNING", "node stg1 is down", "");
        assertTrue(line.matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d WARNING node stg1 is down\\R"), line);
    }

    @Test
    void listeningLineSaysWhatIsBoundAndWhereToReachIt() {
        Path data = Path.of("/srv/data");
        assertEquals(
                "mock-storage listening on http://127.0.0.1:8080 (data: /srv/data)",
                Main.listeningLine("127.0.0.1", 8080, data));
        assertEquals(
                "mock-storage listening on http://[::1]:8080 (data: /srv/data)", Main.listeningLine("::1", 8080, data));
        assertEquals(
                "mock-storage listening on http://0.0.0.0:8080 (every interface, e.g. http://127.0.0.1:8080;"
                        + " data: /srv/data)",
                Main.listeningLine("0.0.0.0", 8080, data));
        assertEquals(
                "mock-storage listening on http://[::]:9000 (every interface, e.g. http://127.0.0.1:9000;"
                        + " data: /srv/data)",
                Main.listeningLine("::", 9000, data));
    }

    /** The jar as the image runs it ({@code server.host=0.0.0.0}), in a child JVM: its first line, then SIGTERM. */
    @Test
    @Timeout(120)
    void onEveryInterfaceTheStartLineSaysSoAndTheAddressItSuggestsAnswers() throws Exception {
        Path data = dir.resolve("data");
        ProcessBuilder pb = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC", // as CrashRecoveryTest: a quick child
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "--server.host=0.0.0.0",
                "--server.port=0",
                "--storage.data_dir=" + data);
        pb.environment().keySet().removeIf(name -> name.startsWith("MOCK_STORAGE_"));
        pb.redirectError(dir.resolve("stderr.txt").toFile());
        Process child = pb.start();
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line = out.readLine();
            Matcher m = Pattern.compile("mock-storage listening on http://0\\.0\\.0\\.0:(\\d+) \\(every interface, "
                            + "e\\.g\\. http://127\\.0\\.0\\.1:(\\d+); data: (.+)\\)")
                    .matcher(String.valueOf(line));
            assertTrue(m.matches(), line + "\nstderr: " + Files.readString(dir.resolve("stderr.txt")));
            assertEquals(m.group(1), m.group(2));
            assertEquals(data.toString(), m.group(3));
            HttpURLConnection health = (HttpURLConnection) URI.create("http://127.0.0.1:" + m.group(2) + "/health")
                    .toURL()
                    .openConnection();
            assertEquals(200, health.getResponseCode());
            health.disconnect();
        } finally {
            child.destroy(); // SIGTERM: the shutdown hook closes the server
            assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the server did not stop on SIGTERM");
        }
    }

    @Test
    void helpListsEverySettingWithItsVariableAndDefault() {
        Outcome o = run(Map.of(), "--help");
        assertEquals(0, o.code());
        assertTrue(o.out().contains("--config FILE"));
        assertTrue(o.out().contains("MOCK_STORAGE_CONFIG"));
        for (Setting<?> s : Setting.values()) {
            assertTrue(
                    o.out()
                            .contains("  " + s.dottedName() + "\n      env " + s.envName() + ", default "
                                    + s.defaultText()),
                    s.dottedName());
        }
    }

    @Test
    void warmupStartsAnswersAndStopsLeavingNoDataDirectoryBehind() throws IOException {
        List<Path> before = warmupDirectories();

        Outcome o = run(Map.of(), "warmup", "--server.port=1", "--storage.nodes=2");

        assertEquals(0, o.code(), o.err());
        assertEquals(
                "mock-storage warmed up: started, answered 11 requests, stopped\n",
                o.out().replace("\r", ""));
        assertEquals(before, warmupDirectories());
    }

    private static List<Path> warmupDirectories() throws IOException {
        try (Stream<Path> dirs = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return dirs.filter(p -> p.getFileName().toString().startsWith("mock-storage-warmup-"))
                    .sorted()
                    .toList();
        }
    }

    @Nested
    class Healthcheck {
        private Outcome check(int status) throws IOException {
            HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            http.createContext("/health", exchange -> {
                exchange.sendResponseHeaders(status, -1);
                exchange.close();
            });
            http.start();
            try {
                return run(
                        Map.of("MOCK_STORAGE_SERVER_HOST", "0.0.0.0"),
                        "healthcheck",
                        "--server.port=" + http.getAddress().getPort());
            } finally {
                http.stop(0);
            }
        }

        @Test
        void healthyWhenTheServerAnswers200() throws IOException {
            Outcome o = check(200);
            assertEquals(0, o.code(), o.err());
            assertTrue(o.out().startsWith("healthy: http://127.0.0.1:"), o.out());
        }

        @Test
        void unhealthyOnAnyOtherStatus() throws IOException {
            Outcome o = check(503);
            assertEquals(1, o.code());
            assertTrue(o.err().contains("answered 503"), o.err());
        }

        @Test
        void unhealthyWhenNothingListens() throws IOException {
            int port;
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = socket.getLocalPort();
            }
            Outcome o = run(Map.of(), "healthcheck", "--server.port=" + port);
            assertEquals(1, o.code());
            assertTrue(o.err().startsWith("unhealthy: http://127.0.0.1:" + port + "/health: "), o.err());
        }

        @Test
        void anEphemeralPortCannotBeChecked() {
            Outcome o = run(Map.of(), "healthcheck", "--server.port=0");
            assertEquals(1, o.code());
            assertTrue(o.err().contains("server.port is 0"), o.err());
        }

        @Test
        void connectHostOfWildcardsIsLoopback() {
            assertEquals("127.0.0.1", Main.connectHost("0.0.0.0"));
            assertEquals("127.0.0.1", Main.connectHost("::"));
            assertEquals("[::1]", Main.connectHost("::1"));
            assertEquals("10.1.2.3", Main.connectHost("10.1.2.3"));
        }
    }
}
