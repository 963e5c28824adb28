package dev.mockstorage.internal.metadata;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import org.sqlite.SQLiteJDBCLoader;
import org.sqlite.util.LibraryLoaderUtil;

/**
 * SQLite JDBC's native library, taken out of the driver's jar once per driver version, platform and
 * Java runtime into the {@link StartCache} and loaded from there by every later JVM. Left to itself the
 * driver copies the library (1 MB) to a new file in the temporary directory at each JVM start, compares
 * it byte by byte with the jar's copy and lists the temporary directory for its earlier copies: about a
 * tenth of a second (and work for the JIT compilers) at every start of the standalone jar and the image.
 *
 * <p>It points the driver there through its own settings, {@code org.sqlite.lib.path} and
 * {@code org.sqlite.lib.name} (and {@code org.sqlite.tmpdir}, which its clean-up lists, at the same
 * directory), system properties of this JVM; nothing is done when any of them is set already (a choice
 * of the application's). Should the library there not load, the driver goes on to extract its own copy
 * as before.
 */
final class SqliteLibrary {
    static final String LIB_PATH = "org.sqlite.lib.path";
    static final String LIB_NAME = "org.sqlite.lib.name";
    static final String TMPDIR = "org.sqlite.tmpdir";

    private static boolean prepared;

    private SqliteLibrary() {}

    /** Once per JVM, before the first connection: see the class comment. Never fails. */
    static synchronized void prepare() {
        if (!prepared) {
            prepared = true;
            prepare(StartCache.defaultRoot());
        }
    }

    /**
     * Puts the library in {@code root}'s directory for this driver build (extracting it when missing) and
     * points the driver at it.
     *
     * @return the library file used, or null when the driver is left to do as it does by itself
     */
    static Path prepare(Path root) {
        if (System.getProperty(LIB_PATH) != null
                || System.getProperty(LIB_NAME) != null
                || System.getProperty(TMPDIR) != null) {
            return null;
        }
        Path library = cached(root);
        if (library != null) {
            System.setProperty(LIB_PATH, library.getParent().toString());
            System.setProperty(LIB_NAME, library.getFileName().toString());
            System.setProperty(TMPDIR, library.getParent().toString());
        }
        return library;
    }

    /**
     * The library in {@code root}'s directory for this driver build, extracted there when missing.
     *
     * @return the library file, or null when there is no cache or the library cannot be put in it
     */
    static Path cached(Path root) {
        try {
            // names never start with "sqlite-": the driver's clean-up deletes such entries of org.sqlite.tmpdir
            Path dir = StartCache.directory(root, "native-" + key());
            if (dir == null) {
                return null;
            }
            Path library = dir.resolve(LibraryLoaderUtil.getNativeLibName());
            if (!Files.isRegularFile(library) || Files.size(library) == 0) {
                extract(library);
            }
            return library;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * What the library depends on: the driver's version, the platform, and the Java runtime (a musl and a
     * glibc JDK on one machine need different builds of it).
     */
    static String key() {
        String platform = (System.getProperty("os.name") + "-" + System.getProperty("os.arch"))
                .replaceAll("[^A-Za-z0-9._-]", "_");
        return SQLiteJDBCLoader.getVersion() + "-" + platform + "-"
                + Integer.toHexString(System.getProperty("java.home", "").hashCode());
    }

    /** Copies the jar's library for this platform to {@code library}: to a temporary file, then renamed into place. */
    private static void extract(Path library) throws IOException {
        String resource = LibraryLoaderUtil.getNativeLibResourcePath() + "/" + library.getFileName();
        Path tmp = Files.createTempFile(
                library.getParent(),
                ".extract-",
                ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        try {
            try (InputStream in = SQLiteJDBCLoader.class.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IOException("no " + resource + " in the SQLite JDBC jar");
                }
                try (OutputStream out = Files.newOutputStream(tmp)) {
                    in.transferTo(out);
                }
            }
            Files.move(tmp, library, StandardCopyOption.ATOMIC_MOVE); // another JVM's identical copy may be replaced
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
