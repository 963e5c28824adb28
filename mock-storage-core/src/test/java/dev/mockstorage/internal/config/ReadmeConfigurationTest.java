package dev.mockstorage.internal.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keeps what the README says about configuration equal to what the code does. */
class ReadmeConfigurationTest {

    private static final Path REPO = Path.of("..");

    private static String readme() throws IOException {
        return Files.readString(REPO.resolve("README.md"));
    }

    @Test
    void configurationTableMatchesTheSettings() throws IOException {
        Matcher m = Pattern.compile("<!-- settings-table:start -->\n(.*?)<!-- settings-table:end -->", Pattern.DOTALL)
                .matcher(readme());
        assertTrue(m.find(), "README.md has no settings-table markers");
        assertEquals(
                Setting.markdownTable(),
                m.group(1),
                "README.md's settings table is stale; paste Setting.markdownTable() between the markers");
    }

    @Test
    void theErrorShownInTheReadmeIsTheOneYouGet(@TempDir Path dir) throws IOException {
        Matcher m = Pattern.compile(
                        "mock-storage: configuration error: config\\.json: (storage\\.nodes\\[1]\\.path: .*)")
                .matcher(readme());
        assertTrue(m.find(), "README.md no longer shows the example error");
        Path file = Files.writeString(
                dir.resolve("config.json"),
                "{\"storage\": {\"nodes\": [{\"id\": \"stg1\", \"path\": \"./data/stg1\"},"
                        + " {\"id\": \"stg2\", \"path\": \"./data/stg1\"}]}}");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(file, Map.of()));
        assertEquals(file + ": " + m.group(1), e.getMessage());
    }

    @Test
    void ciRunsTheReadmeTestCommand() throws IOException {
        assertTrue(readme().contains("\nmake test "), "README.md's set-up no longer says make test");
        assertTrue(Files.readString(REPO.resolve(".ci/run")).contains("\nmake test\n"));
        assertTrue(Files.isExecutable(REPO.resolve(".ci/run")), ".ci/run must be executable");
    }
}
