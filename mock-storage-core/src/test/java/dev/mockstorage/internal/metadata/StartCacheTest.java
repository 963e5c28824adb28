package dev.mockstorage.internal.metadata;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteJDBCLoader;
import org.sqlite.util.LibraryLoaderUtil;

class StartCacheTest {

    @TempDir
    Path tmp;

    @Test
    void aCacheDirectoryIsMadeForThisUserOnly() throws Exception {
        Path dir = StartCache.directory(tmp.resolve("cache"), "native-x");

        assertEquals(tmp.resolve("cache").resolve("native-x"), dir);
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(tmp.resolve("cache"))));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
        assertEquals(dir, StartCache.directory(tmp.resolve("cache"), "native-x"), "found again by the next start");
    }

    @Test
    void aDirectoryOthersMayWriteToOrALinkIsNotUsed() throws Exception {
        Path shared = Files.createDirectory(tmp.resolve("shared"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path target = Files.createDirectory(
                tmp.resolve("target"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path link = Files.createSymbolicLink(tmp.resolve("link"), target);

        assertNull(StartCache.directory(shared, "native-x"));
        assertNull(StartCache.directory(link, "native-x"));
        assertNull(StartCache.directory(Files.writeString(tmp.resolve("file"), "x"), "native-x"));
    }

    @Test
    void theNativeLibraryIsExtractedOnceAndReused() throws Exception {
        Path library = SqliteLibrary.cached(tmp);

        assertNotNull(library);
        assertTrue(library.getParent()
                .getFileName()
                .toString()
                .startsWith("native-" + SQLiteJDBCLoader.getVersion() + "-"));
        assertArrayEquals(jarsLibrary(), Files.readAllBytes(library));
        FileTime written = Files.getLastModifiedTime(library);
        Files.setLastModifiedTime(library, FileTime.fromMillis(written.toMillis() - 60_000));
        FileTime backdated = Files.getLastModifiedTime(library);

        assertEquals(library, SqliteLibrary.cached(tmp));
        assertEquals(backdated, Files.getLastModifiedTime(library), "not written again");
    }

    @Test
    void startsTogetherEachGetTheWholeLibraryAndLeaveNoTemporaryFile() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<Path>> starts = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                starts.add(() -> SqliteLibrary.cached(tmp));
            }
            byte[] expected = jarsLibrary();
            for (Future<Path> f : pool.invokeAll(starts)) {
                assertNotNull(f.get());
                assertArrayEquals(expected, Files.readAllBytes(f.get()));
            }
        } finally {
            pool.shutdownNow();
        }
        Path dir = SqliteLibrary.cached(tmp).getParent();
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(
                    Set.of(LibraryLoaderUtil.getNativeLibName()),
                    files.map(p -> p.getFileName().toString()).collect(Collectors.toSet()));
        }
    }

    private static byte[] jarsLibrary() throws Exception {
        String resource = LibraryLoaderUtil.getNativeLibResourcePath() + "/" + LibraryLoaderUtil.getNativeLibName();
        try (InputStream in = SQLiteJDBCLoader.class.getResourceAsStream(resource)) {
            return in.readAllBytes();
        }
    }
}
