package dev.mockstorage.internal.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigLoaderTest {

    @TempDir
    Path dir;

    private Path write(String json) throws IOException {
        Path file = dir.resolve("config.json");
        Files.writeString(file, json);
        return file;
    }

    private Config load(Path file, Map<String, String> settings) {
        return ConfigLoader.load(file, settings, Map.of(), dir);
    }

    /** Loads {@code json} and returns the error message, relative to the file name. */
    private String fileError(String json) throws IOException {
        Path file = write(json);
        ConfigException e = assertThrows(ConfigException.class, () -> load(file, Map.of()));
        String prefix = file + ": ";
        assertTrue(e.getMessage().startsWith(prefix), e.getMessage());
        return e.getMessage().substring(prefix.length());
    }

    private String settingError(String name, String value) {
        ConfigException e = assertThrows(ConfigException.class, () -> load(null, Map.of(name, value)));
        return e.getMessage();
    }

    @Nested
    class Defaults {
        @Test
        void everyFieldHasADefault() {
            Config c = load(null, Map.of());
            Path data = dir.resolve("data");
            assertEquals(new Config.Server("127.0.0.1", 8080), c.server());
            assertEquals(data, c.storage().dataDir());
            assertEquals(
                    List.of(
                            new Config.Node("stg1", data.resolve("stg1")),
                            new Config.Node("stg2", data.resolve("stg2")),
                            new Config.Node("stg3", data.resolve("stg3"))),
                    c.storage().nodes());
            assertFalse(c.storage().autoCreateBuckets());
            assertFalse(c.storage().fsync());
            assertEquals(new Config.Database("sqlite3", data.resolve("metadata.db")), c.database());
            assertEquals(new Config.Queue(1000, 2), c.queue());
        }

        @Test
        void anEmptyObjectIsAllDefaults() throws IOException {
            assertEquals(load(null, Map.of()), load(write("{}"), Map.of()));
        }

        @Test
        void nodesAndDatabaseFollowTheDataDirectory() throws IOException {
            Config c = load(write("{\"storage\": {\"data_dir\": \"elsewhere/x/..\"}}"), Map.of());
            Path data = dir.resolve("elsewhere");
            assertEquals(data, c.storage().dataDir());
            assertEquals(data.resolve("stg2"), c.storage().nodes().get(1).path());
            assertEquals(data.resolve("metadata.db"), c.database().file());
        }

        @Test
        void theRealWorkingDirectoryIsTheBaseOfRelativePaths() {
            Config c = ConfigLoader.load(null, Map.of());
            assertEquals(
                    Path.of("data").toAbsolutePath().normalize(), c.storage().dataDir());
        }

        @Test
        void aNodeWithoutPathLivesUnderTheDataDirectory() throws IOException {
            Config c = load(
                    write("{\"storage\": {\"nodes\": [{\"id\": \"a\"}, {\"id\": \"b\", \"path\": \"/srv/b\"}]}}"),
                    Map.of());
            assertEquals(
                    List.of(new Config.Node("a", dir.resolve("data/a")), new Config.Node("b", Path.of("/srv/b"))),
                    c.storage().nodes());
        }
    }

    @Nested
    class FullFile {
        @Test
        void readsEveryField() throws IOException {
            Config c = load(write("""
                    { "server": {"host": "0.0.0.0", "port": 9000},
                      "storage": {"data_dir": "/var/ms", "nodes": [{"id":"n1","path":"disk1"},{"id":"n2","path":"/mnt/n2"}],
                                  "auto_create_buckets": true, "fsync": true},
                      "database": {"driver": "sqlite", "dsn": "file:meta/m.db"},
                      "queue": {"size": 5, "workers": 1},
                      "journal": {"size": 7}, "metrics": {"enabled": false}, "log": {"access": "logs/access.log"} }
                    """), Map.of());
            assertEquals(
                    new Config(
                            new Config.Server("0.0.0.0", 9000),
                            new Config.Storage(
                                    Path.of("/var/ms"),
                                    List.of(
                                            new Config.Node("n1", dir.resolve("disk1")),
                                            new Config.Node("n2", Path.of("/mnt/n2"))),
                                    true,
                                    true),
                            new Config.Database("sqlite", dir.resolve("meta/m.db")),
                            new Config.Queue(5, 1),
                            Config.ThirdParty.DEFAULTS,
                            new Config.Observe(
                                    7, false, dir.resolve("logs/access.log").toString())),
                    c);
        }

        @Test
        void theConsoleIsOnForTheJarAndOffInProcessUnlessTheFileOrASettingTurnsItOn() throws IOException {
            assertTrue(ConfigLoader.load(null, Map.of(), Map.of(), dir).console());
            assertFalse(ConfigLoader.loadInProcess(null, Map.of()).console());
            Path on = write("{\"console\": {\"enabled\": true}}");
            assertTrue(ConfigLoader.loadInProcess(on, Map.of()).console());
            assertTrue(ConfigLoader.loadInProcess(null, Map.of("console.enabled", "yes"))
                    .console());
            ConfigException e = assertThrows(
                    ConfigException.class, () -> ConfigLoader.loadInProcess(null, Map.of("console.enabled", "maybe")));
            assertTrue(
                    e.getMessage().startsWith("setting: console.enabled: \"maybe\" is not a boolean"), e.getMessage());
        }

        @Test
        void theRepositoryConfigJsonIsValidAndCreatesBuckets() {
            Path repoConfig = Path.of("..", "config.json");
            Config c = ConfigLoader.load(repoConfig, Map.of(), Map.of(), dir);
            assertTrue(c.storage().autoCreateBuckets());
            assertEquals(8080, c.server().port());
            assertEquals(3, c.storage().nodes().size());
        }
    }

    @Nested
    class FileErrors {
        @Test
        void unknownFieldIsNamedWithItsPath() throws IOException {
            String msg = fileError("{\"storage\": {\"nodes\": [{\"id\": \"a\", \"pth\": \"x\"}]}}");
            assertTrue(msg.startsWith("storage.nodes[0].pth: unknown field (known here: id, path)"), msg);
        }

        @Test
        void unknownTopLevelSection() throws IOException {
            String msg = fileError("{\"serverr\": {}}");
            assertTrue(
                    msg.startsWith(
                            "serverr: unknown field (known here: auth, console, database, journal, log, metrics, queue, server, storage, third_party)"),
                    msg);
        }

        @Test
        void portAsStringThatHoldsNoNumberIsAWrongType() throws IOException {
            String msg = fileError("{\"server\": {\"port\": \"http\"}}");
            assertTrue(
                    msg.startsWith("server.port: expected a whole number, got string \"http\" (line 1, column"), msg);
        }

        @Test
        void fractionalPortIsAWrongType() throws IOException {
            assertTrue(fileError("{\"server\": {\"port\": 80.5}}")
                    .startsWith("server.port: expected a whole number, got number 80.5"));
        }

        @Test
        void hugePortIsOutOfRange() throws IOException {
            assertTrue(
                    fileError("{\"server\": {\"port\": 99999999999}}").startsWith("server.port: number out of range"));
        }

        @Test
        void numberForStringIsAWrongType() throws IOException {
            assertTrue(fileError("{\"server\": {\"host\": 127}}")
                    .startsWith("server.host: expected a string, got number 127"));
        }

        @Test
        void stringForBooleanIsAWrongType() throws IOException {
            String msg = fileError("{\"storage\": {\"fsync\": \"true\"}}");
            assertTrue(msg.startsWith("storage.fsync: expected true or false, got string \"true\""), msg);
        }

        @Test
        void numberForBooleanIsAWrongType() throws IOException {
            assertTrue(fileError("{\"storage\": {\"auto_create_buckets\": 1}}")
                    .startsWith("storage.auto_create_buckets: expected true or false, got number 1"));
        }

        @Test
        void objectForNodesIsAWrongType() throws IOException {
            String msg = fileError("{\"storage\": {\"nodes\": {\"id\": \"a\"}}}");
            assertTrue(msg.startsWith("storage.nodes: expected an array, got an object"), msg);
        }

        @Test
        void scalarForSectionIsAWrongType() throws IOException {
            String msg = fileError("{\"queue\": 5}");
            assertTrue(msg.startsWith("queue: expected an object, got number 5"), msg);
        }

        @Test
        void nullIsRefused() throws IOException {
            String msg = fileError("{\"server\": {\"port\": null}}");
            assertTrue(msg.startsWith("server.port: must not be null"), msg);
        }

        @Test
        void malformedJsonGivesLineAndColumn() throws IOException {
            String msg = fileError("{\n  \"server\": {\"port\": 8080,}\n}");
            assertTrue(msg.startsWith("malformed JSON"), msg);
            assertTrue(msg.contains("(line 2, column"), msg);
        }

        @Test
        void duplicateKeyIsMalformed() throws IOException {
            String msg = fileError("{\"server\": {\"port\": 1, \"port\": 2}}");
            assertTrue(msg.contains("server.port") && msg.contains("Duplicate field 'port'"), msg);
        }

        @Test
        void trailingGarbage() throws IOException {
            String msg = fileError("{} {}");
            assertTrue(
                    msg.startsWith("malformed JSON: more content after the end of the top-level object (line 1"), msg);
        }

        @Test
        void topLevelArray() throws IOException {
            assertTrue(fileError("[]").startsWith("top level: expected an object, got an array"));
        }

        @Test
        void emptyFile() throws IOException {
            assertTrue(fileError("  \n").startsWith("the file is empty"));
        }

        @Test
        void missingFile() {
            Path file = dir.resolve("nope.json");
            ConfigException e = assertThrows(ConfigException.class, () -> load(file, Map.of()));
            assertEquals(file + ": no such file", e.getMessage());
        }
    }

    @Nested
    class ImpossibleValues {
        @ParameterizedTest
        @CsvSource(
                delimiter = '|',
                value = {
                    "{\"server\": {\"port\": 65536}}                          | server.port: 65536 is outside 0..65535",
                    "{\"server\": {\"port\": -1}}                             | server.port: -1 is outside 0..65535",
                    "{\"server\": {\"host\": \" \"}}                          | server.host: \" \" is not a host name or address",
                    "{\"server\": {\"max_connections\": 0}}                | server.max_connections: must be at least 1, got 0",
                    "{\"server\": {\"head_timeout_ms\": 0}}                | server.head_timeout_ms: must be at least 1, got 0",
                    "{\"storage\": {\"nodes\": []}}                           | storage.nodes: no nodes; at least 1 is needed",
                    "{\"storage\": {\"nodes\": [{\"id\": \"\"}]}}             | storage.nodes[0].id: must not be empty",
                    "{\"storage\": {\"nodes\": [{\"id\": \"a b\"}]}}          | storage.nodes[0].id: \"a b\" may contain only letters, digits, '_' and '-'",
                    "{\"storage\": {\"nodes\": [{\"id\": \"a\"}, {\"id\": \"a\", \"path\": \"p\"}]}} | storage.nodes[1].id: \"a\" is already used by storage.nodes[0].id",
                    "{\"storage\": {\"nodes\": [{\"id\": \"stg1\", \"path\": \"./data/stg1\"}, {\"id\": \"stg2\", \"path\": \"./data/stg1\"}]}} | storage.nodes[1].path: \"./data/stg1\" is already used by node stg1",
                    "{\"storage\": {\"nodes\": [{\"id\": \"a\", \"path\": \"d\"}, {\"id\": \"b\", \"path\": \"d/b\"}]}} | storage.nodes[1].path: \"d/b\" is inside the directory of node a",
                    "{\"storage\": {\"nodes\": [{\"id\": \"a\", \"path\": \"d/a\"}, {\"id\": \"b\", \"path\": \"d\"}]}} | storage.nodes[1].path: \"d\" contains the directory of node a",
                    "{\"storage\": {\"nodes\": [{\"id\": \"a\", \"path\": \"\"}]}} | storage.nodes[0].path: must not be empty",
                    "{\"storage\": {\"data_dir\": \"\"}}                      | storage.data_dir: must not be empty",
                    "{\"database\": {\"driver\": \"postgres\"}}               | database.driver: \"postgres\" is not supported (only sqlite3 or sqlite)",
                    "{\"database\": {\"dsn\": \":memory:\"}}                  | database.dsn: \":memory:\": an in-memory database is not supported; give a file path",
                    "{\"database\": {\"dsn\": \"m.db?_journal=WAL\"}}         | database.dsn: \"m.db?_journal=WAL\": connection options are not supported; give the file path only",
                    "{\"database\": {\"dsn\": \"data/stg2/m.db\"}}            | database.dsn: \"data/stg2/m.db\" is inside the directory of node stg2",
                    "{\"queue\": {\"size\": 0}}                               | queue.size: must be at least 1, got 0",
                    "{\"queue\": {\"workers\": -1}}                           | queue.workers: must be at least 0, got -1",
                    "{\"queue\": {\"full_wait_ms\": -5}}                      | queue.full_wait_ms: must be at least 0, got -5",
                })
        void failNamingTheField(String json, String expected) throws IOException {
            assertEquals(expected, fileError(json));
        }
    }

    @Nested
    class Settings {
        @Test
        void settingsOverrideTheFile() throws IOException {
            Path file = write("{\"server\": {\"port\": 9000, \"host\": \"0.0.0.0\"}, \"queue\": {\"workers\": 3}}");
            Config c =
                    load(file, Map.of("server.port", "0", "queue.workers", "4", "storage.auto_create_buckets", "TRUE"));
            assertEquals(new Config.Server("0.0.0.0", 0), c.server());
            assertEquals(4, c.queue().workers());
            assertTrue(c.storage().autoCreateBuckets());
        }

        @Test
        void connectionLimitAndHeadTimeoutComeFromTheFileAndSettings() throws IOException {
            Path file = write("{\"server\": {\"max_connections\": 50, \"head_timeout_ms\": 2500}}");
            assertEquals(
                    new Config.Server("127.0.0.1", 8080, List.of("localhost"), 50, 2500),
                    load(file, Map.of()).server());
            Config c = load(file, Map.of("server.max_connections", "7"));
            assertEquals(7, c.server().maxConnections());
            assertEquals(2500, c.server().headTimeoutMs());
        }

        @Test
        void nodeCountMakesNodesUnderTheDataDirectory() {
            Config c = load(null, Map.of("storage.nodes", "2", "storage.data_dir", "/d"));
            assertEquals(
                    List.of(new Config.Node("stg1", Path.of("/d/stg1")), new Config.Node("stg2", Path.of("/d/stg2"))),
                    c.storage().nodes());
        }

        @Test
        void nodeListWithPaths() {
            Config c = load(null, Map.of("storage.nodes", "a=/p1, b=rel ,c"));
            assertEquals(
                    List.of(
                            new Config.Node("a", Path.of("/p1")),
                            new Config.Node("b", dir.resolve("rel")),
                            new Config.Node("c", dir.resolve("data/c"))),
                    c.storage().nodes());
        }

        @Test
        void nodesSettingReplacesTheFileNodes() throws IOException {
            Path file = write("{\"storage\": {\"nodes\": [{\"id\": \"x\"}]}}");
            assertEquals(1, load(file, Map.of()).storage().nodes().size());
            assertEquals(
                    4,
                    load(file, Map.of("storage.nodes", "4")).storage().nodes().size());
        }

        @Test
        void dataDirSettingMovesTheFileNodesWithoutPath() throws IOException {
            Path file = write("{\"storage\": {\"nodes\": [{\"id\": \"x\"}]}}");
            Config c = load(file, Map.of("storage.data_dir", "/other"));
            assertEquals(Path.of("/other/x"), c.storage().nodes().get(0).path());
            assertEquals(Path.of("/other/metadata.db"), c.database().file());
        }

        @ParameterizedTest
        @CsvSource(
                delimiter = '|',
                value = {
                    "server.prot                 | abc   | setting: server.prot: unknown setting (known: server.host, server.port,",
                    "server.port                 | abc   | setting: server.port: \"abc\" is not a whole number",
                    "server.port                 | 70000 | setting: server.port: 70000 is outside 0..65535",
                    "queue.size                  | 1.5   | setting: queue.size: \"1.5\" is not a whole number",
                    "storage.fsync               | maybe | setting: storage.fsync: \"maybe\" is not a boolean (use true or false)",
                    "storage.nodes               | 0     | setting: storage.nodes: 0 nodes; at least 1 is needed",
                    "storage.nodes               | a=/x,b=/x | setting: storage.nodes[1].path: \"/x\" is already used by node a",
                    "storage.nodes               | a,a   | setting: storage.nodes[1].id: \"a\" is already used by storage.nodes[0].id",
                    "storage.nodes               | a,,b  | setting: storage.nodes[1].id: must not be empty",
                    "storage.nodes               | a/b=x | setting: storage.nodes[0].id: \"a/b\" may contain only letters, digits, '_' and '-'",
                    "database.driver             | mysql | setting: database.driver: \"mysql\" is not supported (only sqlite3 or sqlite)",
                })
        void badSettingsFailNamingTheSetting(String name, String value, String expectedStart) {
            String msg = settingError(name, value);
            assertTrue(msg.startsWith(expectedStart), msg);
        }

        @Test
        void errorsNameTheOriginGiven() {
            ConfigException e = assertThrows(
                    ConfigException.class,
                    () -> ConfigLoader.load(
                            null,
                            Map.of("server.port", "x"),
                            Map.of("server.port", "command line --server.port"),
                            dir));
            assertEquals("command line --server.port: server.port: \"x\" is not a whole number", e.getMessage());
        }
    }

    @Nested
    class Environment {
        @Test
        void variablesMapToDottedNames() {
            Map<String, String> env = new LinkedHashMap<>();
            env.put("PATH", "/bin");
            env.put("MOCK_STORAGE_SERVER_PORT", "9001");
            env.put("MOCK_STORAGE_STORAGE_DATA_DIR", "/data");
            env.put("MOCK_STORAGE_STORAGE_AUTO_CREATE_BUCKETS", "true");
            env.put("MOCK_STORAGE_CONFIG", "/etc/ms.json");
            assertEquals(
                    Map.of("server.port", "9001", "storage.data_dir", "/data", "storage.auto_create_buckets", "true"),
                    ConfigLoader.fromEnvironment(env));
        }

        @Test
        void everySettingHasItsVariable() {
            for (Setting<?> s : Setting.values()) {
                assertEquals(Map.of(s.dottedName(), "v"), ConfigLoader.fromEnvironment(Map.of(s.envName(), "v")));
            }
            assertEquals("MOCK_STORAGE_QUEUE_WORKERS", Setting.QUEUE_WORKERS.envName());
        }

        @Test
        void unknownPrefixedVariableFails() {
            ConfigException e = assertThrows(
                    ConfigException.class, () -> ConfigLoader.fromEnvironment(Map.of("MOCK_STORAGE_SERVER_PROT", "1")));
            assertTrue(
                    e.getMessage().startsWith("environment: MOCK_STORAGE_SERVER_PROT: unknown variable (known: "),
                    e.getMessage());
        }

        @Test
        void variablesOfTheContainerModuleAndTheLauncherAreNotTheServers() {
            // a shell set up for the container tests (README: MOCK_STORAGE_BASE_IMAGE) still starts the jar
            Map<String, String> env = ConfigLoader.fromEnvironment(Map.of(
                    "MOCK_STORAGE_BASE_IMAGE", "local/jre17:offline",
                    "MOCK_STORAGE_JAR", "/opt/mock-storage.jar",
                    "MOCK_STORAGE_SERVER_PORT", "9000"));
            assertEquals(Map.of("server.port", "9000"), env);
        }

        @Test
        void environmentOriginsNameTheVariable() {
            Map<String, String> env = ConfigLoader.fromEnvironment(Map.of("MOCK_STORAGE_QUEUE_SIZE", "zero"));
            ConfigException e = assertThrows(
                    ConfigException.class,
                    () -> ConfigLoader.load(null, env, ConfigLoader.environmentOrigins(env), dir));
            assertEquals(
                    "environment variable MOCK_STORAGE_QUEUE_SIZE: queue.size: \"zero\" is not a whole number",
                    e.getMessage());
        }
    }
}
