package dev.mockstorage.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mockstorage.internal.config.ConfigException;
import dev.mockstorage.internal.config.ConfigLoader;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code storage.buckets}: buckets created at start (what the container's {@code withBuckets} sets). */
class InitialBucketsTest {

    @TempDir
    Path dir;

    private static List<String> listBuckets(MockStorageServer server) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(server.endpoint().resolve("/"))
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        List<String> names = new ArrayList<>();
        Matcher m = Pattern.compile("<Name>([^<]*)</Name>").matcher(response.body());
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    @Test
    void theSettingIsACommaSeparatedListAndTheFileAnArray() throws IOException {
        assertEquals(
                List.of("alpha", "beta"),
                ConfigLoader.load(null, Map.of("storage.buckets", " alpha, beta,,alpha "))
                        .storage()
                        .buckets());
        assertEquals(
                List.of(),
                ConfigLoader.load(null, Map.of("storage.buckets", "")).storage().buckets());
        assertEquals(List.of(), ConfigLoader.load(null, Map.of()).storage().buckets());
        Path file = Files.writeString(
                dir.resolve("config.json"), "{\"storage\": {\"buckets\": [\"from-file\", \"second\"]}}");
        assertEquals(
                List.of("from-file", "second"),
                ConfigLoader.load(file, Map.of()).storage().buckets());
        assertEquals(
                List.of("env-wins"),
                ConfigLoader.load(
                                file, ConfigLoader.fromEnvironment(Map.of("MOCK_STORAGE_STORAGE_BUCKETS", "env-wins")))
                        .storage()
                        .buckets());
    }

    @Test
    void theBucketsExistWhenTheServerAnswersAndSurviveARestart() throws Exception {
        Path data = dir.resolve("data");
        try (MockStorageServer server = MockStorageServer.builder()
                .dataDirectory(data)
                .setting("storage.buckets", "photos,logs")
                .start()) {
            assertEquals(
                    List.of("logs", "photos"),
                    listBuckets(server).stream().sorted().toList());
        }
        // already there: kept, no error; a new one is added
        try (MockStorageServer server = MockStorageServer.builder()
                .dataDirectory(data)
                .setting("storage.buckets", "logs,videos")
                .start()) {
            assertEquals(
                    List.of("logs", "photos", "videos"),
                    listBuckets(server).stream().sorted().toList());
        }
    }

    @Test
    void anInvalidNameStopsTheStartNamingTheSetting() {
        ConfigException e = assertThrows(
                ConfigException.class,
                () -> MockStorageServer.builder()
                        .dataDirectory(dir.resolve("data"))
                        .setting("storage.buckets", "good-name,Bad_Name")
                        .start());
        assertTrue(e.getMessage().startsWith("storage.buckets: "), e.getMessage());
        assertTrue(e.getMessage().contains("Bad_Name"), e.getMessage());
    }
}
