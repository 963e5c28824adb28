package dev.mockstorage.internal.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code third_party} section: defaults, both spellings (config.json and settings), and errors naming the field. */
class ThirdPartyConfigTest {

    @TempDir
    Path dir;

    private Config.ThirdParty file(String json) throws IOException {
        return ConfigLoader.load(Files.writeString(dir.resolve("config.json"), json), Map.of(), Map.of(), dir)
                .thirdParty();
    }

    private String fileError(String json) throws IOException {
        Path f = Files.writeString(dir.resolve("config.json"), json);
        String m = assertThrows(ConfigException.class, () -> ConfigLoader.load(f, Map.of(), Map.of(), dir))
                .getMessage();
        return m.substring(f.toString().length() + 2);
    }

    private String settingError(String name, String value) {
        return assertThrows(ConfigException.class, () -> ConfigLoader.load(null, Map.of(name, value), Map.of(), dir))
                .getMessage();
    }

    @Test
    void defaults() {
        assertEquals(
                Config.ThirdParty.DEFAULTS,
                ConfigLoader.load(null, Map.of(), Map.of(), dir).thirdParty());
        assertEquals(new Config.ThirdParty(true, null, null, Map.of(), 5000, 2, null), Config.ThirdParty.DEFAULTS);
    }

    @Test
    void theFullSectionInConfigJson() throws IOException {
        Config.ThirdParty tp = file("""
                {"third_party": {"enabled": true, "url": "https://cdn.example/{bucket}/{key}",
                  "buckets": ["photos", {"name": "docs", "url": "http://archive:8000/{key}"}],
                  "headers": {"Authorization": "Bearer x"}, "timeout_ms": 250, "retries": 0}}
                """);
        assertEquals(
                new Config.ThirdParty(
                        true,
                        "https://cdn.example/{bucket}/{key}",
                        List.of(
                                new Config.Bucket("photos", null),
                                new Config.Bucket("docs", "http://archive:8000/{key}")),
                        Map.of("Authorization", "Bearer x"),
                        250,
                        0,
                        null),
                tp);
        assertEquals(
                dir.resolve("s.json"),
                file("{\"third_party\": {\"scripts\": \"s.json\"}}").scripts());
    }

    @Test
    void theSameAsSettings() {
        Config.ThirdParty tp = ConfigLoader.load(
                        null,
                        Map.of(
                                "third_party.buckets",
                                "photos, docs=http://a/{key}",
                                "third_party.headers",
                                "Authorization=Bearer x,X-Trace=1",
                                "third_party.timeout_ms",
                                "100"),
                        Map.of(),
                        dir)
                .thirdParty();
        assertEquals(
                List.of(new Config.Bucket("photos", null), new Config.Bucket("docs", "http://a/{key}")), tp.buckets());
        assertEquals(Map.of("Authorization", "Bearer x", "X-Trace", "1"), tp.headers());
        assertEquals(100, tp.timeoutMs());
    }

    @Test
    void mistakesNameTheField() throws IOException {
        assertEquals(
                "third_party.url: \"ftp://x/{key}\" is not an http:// or https:// URL template",
                fileError("{\"third_party\": {\"url\": \"ftp://x/{key}\"}}"));
        assertEquals(
                "third_party.buckets[1].url: \"http://x/static\" has no {key} placeholder (e.g. http://host:port/{bucket}/{key})",
                fileError(
                        "{\"third_party\": {\"buckets\": [\"a\", {\"name\": \"b\", \"url\": \"http://x/static\"}]}}"));
        assertEquals(
                "third_party.buckets[1].name: bucket a is already listed at third_party.buckets[0]",
                fileError("{\"third_party\": {\"buckets\": [\"a\", {\"name\": \"a\"}]}}"));
        assertEquals(
                "third_party.buckets[0].nmae: unknown field (known here: name, url)",
                fileError("{\"third_party\": {\"buckets\": [{\"nmae\": \"a\"}]}}"));
        assertEquals(
                "third_party.buckets[0]: expected a bucket name or {\"name\", \"url\"}, got number 3",
                fileError("{\"third_party\": {\"buckets\": [3]}}"));
        assertEquals(
                "third_party.headers.Host: Host is set by the HTTP client itself and cannot be configured",
                fileError("{\"third_party\": {\"headers\": {\"Host\": \"x\"}}}"));
        assertEquals(
                "setting: third_party.timeout_ms: must be at least 1, got 0",
                settingError("third_party.timeout_ms", "0"));
        assertEquals("setting: third_party.retries: must be 0..10, got 11", settingError("third_party.retries", "11"));
        assertEquals(
                "setting: third_party.headers: \"Authorization\" is not Name=value",
                settingError("third_party.headers", "Authorization"));
        assertEquals(
                "setting: third_party.scripts: scripts are played by the in-process upstream, which is not used while "
                        + "third_party.url is set (setting)",
                assertThrows(
                                ConfigException.class,
                                () -> ConfigLoader.load(
                                        null,
                                        Map.of("third_party.url", "http://h/{key}", "third_party.scripts", "s.json"),
                                        Map.of(),
                                        dir))
                        .getMessage());
    }
}
