package dev.mockstorage.internal.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code config.json} of the original service description, which writes the port as a string,
 * is read as written and starts the standalone server.
 */
class OriginalConfigJsonTest {

    /** The original file: the fields of the service description, the port a string. */
    static final String ORIGINAL = """
            {
              "server": {
                "port": "8080",
                "host": "127.0.0.1"
              },
              "storage": {
                "data_dir": "./data",
                "nodes": [
                  { "id": "stg1", "path": "./data/stg1" },
                  { "id": "stg2", "path": "./data/stg2" },
                  { "id": "stg3", "path": "./data/stg3" }
                ]
              },
              "database": {
                "driver": "sqlite3",
                "dsn": "./data/metadata.db"
              },
              "queue": {
                "size": 1000
              }
            }
            """;

    private static final Pattern LISTENING =
            Pattern.compile("mock-storage listening on (http://\\S+) \\(data: (.+)\\)");

    @TempDir
    Path dir;

    @Test
    void itIsReadAsWrittenAndSaysWhatTheDefaultsSay() throws IOException {
        Path file = Files.writeString(dir.resolve("config.json"), ORIGINAL);
        Config config = ConfigLoader.load(file, Map.of(), Map.of(), dir);
        assertEquals(8080, config.server().port());
        assertEquals(ConfigLoader.load(null, Map.of(), Map.of(), dir), config);
    }

    @Test
    void numbersInStringsAreNumbersInEverySection() throws IOException {
        Path file = Files.writeString(dir.resolve("config.json"), """
                {"storage": {"write_quorum": "2", "orphan_grace_ms": " 5 "}, "queue": {"size": "7"},
                 "third_party": {"retries": "0"}, "journal": {"size": "+3"}}
                """);
        Config config = ConfigLoader.load(file, Map.of(), Map.of(), dir);
        assertEquals(
                new Config.Consistency(2, 0, 5, 86_400_000), config.storage().consistency());
        assertEquals(7, config.queue().size());
        assertEquals(0, config.thirdParty().retries());
        assertEquals(3, config.observe().journalSize());
    }

    /**
     * The standalone jar in its own JVM, started in a fresh directory with that file as written; only
     * the port is overridden on the command line, because a test never binds a fixed port.
     */
    @Test
    void theStandaloneServerStartsWithIt() throws Exception {
        Files.writeString(dir.resolve("config.json"), ORIGINAL);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(List.of(
                        java,
                        "-XX:TieredStopAtLevel=1",
                        "-XX:+UseSerialGC",
                        "-cp",
                        System.getProperty("java.class.path"),
                        "dev.mockstorage.internal.cli.Main",
                        "--config",
                        "config.json",
                        "--server.port=0"))
                .directory(dir.toFile())
                .redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.startsWith(Setting.ENV_PREFIX));
        Process process = builder.start();
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            Matcher listening = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
                StringBuilder seen = new StringBuilder();
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                        return m;
                    }
                    seen.append(line).append('\n');
                }
                throw new AssertionError("the server ended without listening:\n" + seen);
            });
            assertEquals(
                    dir.resolve("data").toRealPath(),
                    Path.of(listening.group(2)).toRealPath());
            HttpResponse<String> health = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(listening.group(1) + "/health"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertEquals(200, health.statusCode(), health.body());
            assertTrue(Files.isRegularFile(dir.resolve("data/metadata.db")));
            assertTrue(Files.isDirectory(dir.resolve("data/stg3")));
        } finally {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }
}
