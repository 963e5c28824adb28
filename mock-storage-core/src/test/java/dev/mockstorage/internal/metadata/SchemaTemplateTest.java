package dev.mockstorage.internal.metadata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchemaTemplateTest {
    private static final Duration LOCK_TIMEOUT = Duration.ofSeconds(5);

    @TempDir
    Path tmp;

    @Test
    void theFirstNewDatabaseBecomesTheTemplateAndTheNextIsACopyOfIt() throws Exception {
        SchemaTemplate templates = templates();

        openAndClose(tmp.resolve("a/metadata.db"), templates);
        List<Path> saved = templateFiles();
        assertEquals(1, saved.size());
        assertEquals(schema(tmp.resolve("a/metadata.db")), schema(saved.get(0)));

        openAndClose(tmp.resolve("b/metadata.db"), templates);
        assertEquals(schema(tmp.resolve("a/metadata.db")), schema(tmp.resolve("b/metadata.db")));
        assertEquals(Schema.currentVersion(), userVersion(tmp.resolve("b/metadata.db")));
        assertEquals(saved, templateFiles());
    }

    @Test
    void theTemplateIsInWalModeSoACopyNeedsNoSwitch() throws Exception {
        SchemaTemplate templates = templates();
        openAndClose(tmp.resolve("a/metadata.db"), templates);
        byte[] header = Files.readAllBytes(templateFiles().get(0));
        assertEquals(2, header[18], "file format write version 2: WAL");
        assertEquals(2, header[19], "file format read version 2: WAL");
        assertEquals(List.of(templateFiles().get(0).getFileName().toString()), names(tmp.resolve("cache")));

        try (Database b = Database.open(tmp.resolve("b/metadata.db"), false, LOCK_TIMEOUT, templates)) {
            assertTrue(b.created());
            assertFalse(Files.exists(tmp.resolve("b/metadata.db-journal")));
            assertEquals("wal", journalMode(b));
        }
    }

    @Test
    void aTemplateRemovedAfterItWasUsedIsMadeAgainThenCopied() throws Exception {
        SchemaTemplate templates = templates();
        openAndClose(tmp.resolve("a/metadata.db"), templates);
        openAndClose(tmp.resolve("b/metadata.db"), templates); // a copy: this JVM now knows the template
        Path template = templateFiles().get(0);
        Files.delete(template);

        openAndClose(tmp.resolve("c/metadata.db"), templates);
        assertEquals(List.of(template), templateFiles(), "made again by the migrated database");
        openAndClose(tmp.resolve("d/metadata.db"), templates);

        for (String db : List.of("a", "b", "c", "d")) {
            assertEquals(schema(tmp.resolve("a/metadata.db")), schema(tmp.resolve(db + "/metadata.db")), db);
        }
    }

    @Test
    void aCopyIsAnIndependentEmptyDatabase() throws Exception {
        SchemaTemplate templates = templates();
        openAndClose(tmp.resolve("a/metadata.db"), templates);
        try (Database a = Database.open(tmp.resolve("a/metadata.db"), false, LOCK_TIMEOUT, templates)) {
            a.write("plant a bucket", db -> {
                db.execute("INSERT INTO buckets (name, created_at) VALUES ('only-in-a', 0)");
                return null;
            });
        }

        openAndClose(tmp.resolve("b/metadata.db"), templates);

        assertEquals(0, count(tmp.resolve("b/metadata.db"), "buckets"));
        assertEquals(0, count(templateFiles().get(0), "buckets"));
    }

    @Test
    void aDamagedTemplateIsNeverUsedAndIsMadeAgain() throws Exception {
        SchemaTemplate templates = templates();
        openAndClose(tmp.resolve("a/metadata.db"), templates);
        Path template = templateFiles().get(0);
        Files.write(template, new byte[] {1, 2, 3});

        openAndClose(tmp.resolve("b/metadata.db"), templates);

        assertEquals(schema(tmp.resolve("a/metadata.db")), schema(tmp.resolve("b/metadata.db")));
        assertEquals(Schema.currentVersion(), userVersion(tmp.resolve("b/metadata.db")));
        assertEquals(
                schema(tmp.resolve("a/metadata.db")), schema(templateFiles().get(0)), "made again");
    }

    @Test
    void aTemplateWithAnotherSchemaThanItsNameSaysIsNeverUsed() throws Exception {
        SchemaTemplate templates = templates();
        openAndClose(tmp.resolve("a/metadata.db"), templates);
        try (Connection c = DriverManager.getConnection(
                        "jdbc:sqlite:" + templateFiles().get(0));
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE planted (x)");
        }

        openAndClose(tmp.resolve("b/metadata.db"), templates);

        assertFalse(schema(tmp.resolve("b/metadata.db")).contains("planted"));
        assertEquals(schema(tmp.resolve("a/metadata.db")), schema(tmp.resolve("b/metadata.db")));
    }

    @Test
    void anExistingDatabaseIsNeverReplacedByTheTemplate() throws Exception {
        SchemaTemplate templates = templates();
        Path db = tmp.resolve("a/metadata.db");
        openAndClose(db, templates);
        try (Database a = Database.open(db, false, LOCK_TIMEOUT, templates)) {
            a.write("plant a bucket", sql -> {
                sql.execute("INSERT INTO buckets (name, created_at) VALUES ('kept', 0)");
                return null;
            });
        }

        openAndClose(db, templates);

        assertEquals(1, count(db, "buckets"));
    }

    @Test
    void databasesMadeTogetherAreAllAtTheCurrentSchema() throws Exception {
        SchemaTemplate templates = templates();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<Path>> opens = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                Path db = tmp.resolve("db" + i + "/metadata.db");
                opens.add(() -> {
                    openAndClose(db, templates);
                    return db;
                });
            }
            String expected = null;
            for (Future<Path> f : pool.invokeAll(opens)) {
                String schema = schema(f.get());
                expected = expected == null ? schema : expected;
                assertEquals(expected, schema);
                assertEquals(Schema.currentVersion(), userVersion(f.get()));
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, templateFiles().size());
        try (Stream<Path> left = Files.list(tmp.resolve("cache"))) {
            assertTrue(left.allMatch(p -> p.getFileName().toString().endsWith(".db")), "no temporary file left");
        }
    }

    @Test
    void aDatabaseCountsAsNewOnlyOnTheOpenThatCreatedIt() {
        SchemaTemplate templates = templates();
        Path migrated = tmp.resolve("a/metadata.db");
        Path copied = tmp.resolve("b/metadata.db");
        Path withoutCache = tmp.resolve("c/metadata.db");
        try (Database a = Database.open(migrated, false, LOCK_TIMEOUT, templates);
                Database b = Database.open(copied, false, LOCK_TIMEOUT, templates);
                Database c = Database.open(withoutCache, false, LOCK_TIMEOUT, null)) {
            assertTrue(a.created(), "migrated from scratch");
            assertTrue(b.created(), "a copy of the template");
            assertTrue(c.created(), "migrated from scratch, no cache");
        }
        for (Path db : List.of(migrated, copied, withoutCache)) {
            try (Database again = Database.open(db, false, LOCK_TIMEOUT, templates)) {
                assertFalse(again.created(), db + " opened again");
            }
        }
    }

    @Test
    void withoutACacheTheDatabaseIsMigratedAsBefore() throws Exception {
        assertNull(StartCache.directory(Files.writeString(tmp.resolve("not-a-directory"), ""), "schema"));

        openAndClose(tmp.resolve("a/metadata.db"), null);

        assertEquals(Schema.currentVersion(), userVersion(tmp.resolve("a/metadata.db")));
    }

    private SchemaTemplate templates() {
        return new SchemaTemplate(StartCache.directory(tmp, "cache"));
    }

    private List<Path> templateFiles() throws Exception {
        try (Stream<Path> files = Files.list(tmp.resolve("cache"))) {
            return files.filter(p -> p.getFileName().toString().startsWith("schema-"))
                    .toList();
        }
    }

    private static List<String> names(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static String journalMode(Database db) {
        return db.read("journal mode", sql -> {
            try (ResultSet rs = sql.prepare("PRAGMA journal_mode").executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        });
    }

    private static void openAndClose(Path db, SchemaTemplate templates) {
        Database.open(db, false, LOCK_TIMEOUT, templates).close();
    }

    private static String schema(Path db) throws SQLException {
        StringBuilder text = new StringBuilder();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT type, name, sql FROM sqlite_master ORDER BY name")) {
            while (rs.next()) {
                text.append(rs.getString(1))
                        .append(' ')
                        .append(rs.getString(2))
                        .append(' ')
                        .append(rs.getString(3))
                        .append('\n');
            }
        }
        return text.toString();
    }

    private static int userVersion(Path db) throws SQLException {
        return queryInt(db, "PRAGMA user_version");
    }

    private static int count(Path db, String table) throws SQLException {
        return queryInt(db, "SELECT count(*) FROM " + table);
    }

    private static int queryInt(Path db, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
