package dev.mockstorage.internal.metadata;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A database at the current schema, made once by running the migrations and copied for each new
 * database, which then needs no migration: copying a file costs a fraction of running the schema's
 * statements, and every {@code @MockStorage} test and every container starts on a new database.
 *
 * <p>A template is kept in the {@link StartCache} as {@code schema-wal-<version>-<migrations>-<schema>.db},
 * in WAL mode (as every database is opened): the schema version, a hash of the migrations' text (a build
 * with other migrations never looks at it), and a hash of the schema it holds ({@code sqlite_master}).
 * A copy is used only when it is at the current version and holds exactly that schema; any other (stale,
 * damaged, or not made here) is deleted, and the new database is migrated as without a template. The first database migrated here
 * becomes the template ({@code VACUUM INTO}, the switch to WAL, then an atomic rename: JVMs starting
 * together may each save one, all alike).
 */
final class SchemaTemplate {
    private static final String MIGRATIONS_HASH = migrationsHash();

    /** Stamps of the template files that held their schema when checked in this JVM. */
    private static final Set<String> CHECKED = ConcurrentHashMap.newKeySet();

    private static final AtomicLong COPIES = new AtomicLong();

    /**
     * The template found last in each cache directory: a copy lists the directory only when it has none or the
     * one it knew is gone (every {@code @MockStorage} test copies one).
     */
    private static final Map<Path, Path> FOUND = new ConcurrentHashMap<>();

    /** {@link #copy}'s answer when the template it was given no longer exists. */
    private static final Copy GONE = new Copy("", false, null);

    private final Path dir;

    /** @param dir the cache directory holding templates */
    SchemaTemplate(Path dir) {
        this.dir = dir;
    }

    /** The templates of the default {@link StartCache}, or null when there is none. */
    static SchemaTemplate inDefaultCache() {
        Path dir = StartCache.directory(StartCache.defaultRoot(), "schema");
        return dir == null ? null : new SchemaTemplate(dir);
    }

    /**
     * A new database copied from a template.
     *
     * @param schemaHash the hash of the schema the copy must hold ({@link #holds})
     * @param checked    whether the template, unchanged since, was found to hold it earlier in this JVM, so
     *                   that the copy need not be checked again
     * @param stamp      the template file's identity, size and time while it was copied
     */
    record Copy(String schemaHash, boolean checked, String stamp) {}

    /**
     * Creates {@code db}, which must not exist, as a copy of the template, if there is one.
     *
     * @return the copy, or null when nothing was copied
     */
    Copy copyTo(Path db) {
        Path known = FOUND.get(dir);
        if (known != null) {
            Copy copy = copy(known, db);
            if (copy != GONE) {
                return copy;
            }
            FOUND.remove(dir, known);
        }
        Path template = find();
        if (template == null) {
            return null;
        }
        FOUND.put(dir, template);
        Copy copy = copy(template, db);
        return copy == GONE ? null : copy;
    }

    /** A copy of {@code template} as {@code db}; null when nothing was copied, {@link #GONE} when the template is gone. */
    private Copy copy(Path template, Path db) {
        String name = template.getFileName().toString();
        String schemaHash = name.substring(prefix().length(), name.length() - ".db".length());
        Path tmp = null;
        try {
            String before = stamp(template);
            // not Files.createTempFile, whose random names cost the JVM's first SecureRandom (15 ms at every
            // start); a name taken already is another start's file: no copy then (the migrations run)
            Path copy = db.resolveSibling("." + db.getFileName() + "-" + Long.toHexString(System.nanoTime()) + "-"
                    + COPIES.incrementAndGet() + ".tmp");
            try {
                tmp = copy;
                Files.copy(template, copy);
            } catch (FileAlreadyExistsException e) {
                tmp = null;
                return null;
            }
            String after = stamp(template);
            Files.move(tmp, db); // a rename: a killed start never leaves half a database; never over an existing file
            // a template is replaced only by a rename (a new file): the same stamp before and after is the same bytes
            return new Copy(
                    schemaHash, before.equals(after) && CHECKED.contains(after), before.equals(after) ? after : null);
        } catch (NoSuchFileException e) {
            return Files.exists(template) ? null : GONE;
        } catch (IOException | RuntimeException e) {
            return null;
        } finally {
            deleteQuietly(tmp);
        }
    }

    /** Remembers that the template {@code copy} came from holds what its name says: later copies skip the check. */
    static void checked(Copy copy) {
        if (copy.stamp() != null) {
            CHECKED.add(copy.stamp());
        }
    }

    /** File identity (device and inode), size and modification time, with the path. */
    private static String stamp(Path file) throws IOException {
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
        return file + "|" + a.fileKey() + "|" + a.size() + "|"
                + a.lastModifiedTime().toMillis();
    }

    /**
     * Whether the database on {@code db} is at the current schema version and its schema hashes to
     * {@code schemaHash}.
     */
    static boolean holds(SqlConnection db, String schemaHash) throws SQLException {
        return Schema.userVersion(db) == Schema.currentVersion() && schemaHash.equals(schemaHash(db));
    }

    /** Deletes the template whose copy did not hold what its name says, so that it is made again. */
    void discard(Copy copy) {
        String schemaHash = copy.schemaHash();
        Path template = dir.resolve(prefix() + schemaHash + ".db");
        FOUND.remove(dir, template);
        deleteQuietly(template);
    }

    /** Saves {@code db}, just migrated and still empty, as the template. Never fails. */
    void save(SqlConnection db) {
        Path tmp = null;
        try {
            tmp = Files.createTempFile(
                    dir,
                    ".save-",
                    ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try (PreparedStatement vacuum = db.connection().prepareStatement("VACUUM INTO ?")) {
                vacuum.setString(1, tmp.toString()); // into an empty file: allowed
                vacuum.execute();
            }
            // VACUUM INTO writes a rollback-journal database; in WAL mode already, a copy skips the switch (a
            // journal file made, written and deleted at every new database). Closing checkpoints: one file again.
            try (SqlConnection template = SqlConnection.open(tmp, false, 1000, false)) {
                template.execute("PRAGMA journal_mode = WAL");
            }
            Files.move(tmp, dir.resolve(prefix() + schemaHash(db) + ".db"), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | SQLException | RuntimeException e) {
            // no template this time; the next new database tries again
        } finally {
            deleteQuietly(tmp);
        }
    }

    /** The template for this build's migrations, or null. */
    private Path find() {
        try (DirectoryStream<Path> found = Files.newDirectoryStream(dir, prefix() + "*.db")) {
            for (Path p : found) {
                return p;
            }
        } catch (IOException | RuntimeException e) {
            // no template
        }
        return null;
    }

    private static String migrationsHash() {
        StringBuilder text = new StringBuilder();
        for (List<String> migration : Schema.MIGRATIONS) {
            for (String statement : migration) {
                text.append(statement).append('\u0000');
            }
            text.append('\u0001');
        }
        return hash(text.toString());
    }

    private static String prefix() {
        // "wal": templates in WAL mode; an older build's (rollback journal) are named without it, and neither
        // build's pattern matches the other's
        return "schema-wal-" + Schema.currentVersion() + "-" + MIGRATIONS_HASH + "-";
    }

    /** Hash of the schema objects (type, name, table, SQL), in name order. */
    static String schemaHash(SqlConnection db) throws SQLException {
        StringBuilder text = new StringBuilder();
        try (Statement statement = db.connection().createStatement();
                ResultSet rs =
                        statement.executeQuery("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name")) {
            while (rs.next()) {
                for (int i = 1; i <= 4; i++) {
                    text.append(rs.getString(i)).append('\u0000');
                }
            }
        }
        return hash(text.toString());
    }

    /** 64-bit FNV-1a of the UTF-8 bytes, in hex: to tell schemas apart, not a defence against forgery. */
    static String hash(String text) {
        long h = 0xcbf29ce484222325L;
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        String hex = Long.toHexString(h);
        return "0".repeat(16 - hex.length()) + hex;
    }

    private static void deleteQuietly(Path p) {
        if (p == null) {
            return;
        }
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // left for the next attempt
        }
    }
}
