package dev.mockstorage.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A start that fails, as the embedded API shows it: {@code start()} throws {@link UncheckedIOException}
 * whose message names the setting, its value and the cause (the standalone jar prints the same line),
 * and nothing this start created stays on disk.
 */
class StartFailureTest {

    @TempDir
    Path dir;

    /** Every path below {@code root}, relative, sorted; empty when it does not exist. */
    private static List<String> tree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return List.of();
        }
        try (Stream<Path> all = Files.walk(root)) {
            return all.map(p -> root.relativize(p).toString()).sorted().collect(Collectors.toList());
        }
    }

    @Nested
    class ThroughTheBuilder {
        @Test
        void aTakenPortNamesTheHostThePortAndTheCauseAndCreatesNothing() throws IOException {
            Path data = dir.resolve("data");
            try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
                int port = taken.getLocalPort();
                UncheckedIOException e = assertThrows(
                        UncheckedIOException.class,
                        () -> MockStorageServer.builder()
                                .dataDirectory(data)
                                .port(port)
                                .start());
                assertEquals(
                        "mock-storage: could not start: server.port " + port + " on 127.0.0.1: address already in use"
                                + " (another process listens there; choose another server.port, or 0 for any free one)",
                        e.getMessage());
                assertTrue(e.getCause() instanceof BindException, String.valueOf(e.getCause()));
            }
            assertFalse(Files.exists(data), "the failed start created " + data);
        }

        @Test
        void anAddressThisMachineDoesNotHaveNamesTheHost() {
            // 192.0.2.1 is TEST-NET-1 (RFC 5737): never assigned to a real interface
            UncheckedIOException e = assertThrows(
                    UncheckedIOException.class,
                    () -> MockStorageServer.builder()
                            .dataDirectory(dir.resolve("data"))
                            .host("192.0.2.1")
                            .start());
            assertEquals(
                    "mock-storage: could not start: server.host 192.0.2.1: not an address of this machine"
                            + " (cannot assign requested address; use 127.0.0.1, 0.0.0.0 for every interface, or an address this"
                            + " machine has)",
                    e.getMessage());
            assertFalse(Files.exists(dir.resolve("data")));
        }

        @Test
        void aDataDirectoryBelowAFileSaysItIsNotADirectory() throws IOException {
            Path file = Files.writeString(dir.resolve("file.txt"), "not a directory");
            Path data = file.resolve("data");
            UncheckedIOException e = assertThrows(
                    UncheckedIOException.class,
                    () -> MockStorageServer.builder().dataDirectory(data).start());
            assertEquals(
                    "mock-storage: could not start: storage.data_dir " + data + ": not a directory (" + file
                            + " is a file)",
                    e.getMessage());
        }

        @Test
        void aDatabaseBelowAFileNamesDatabaseDsnAndLeavesNoDataDirectory() throws IOException {
            Path file = Files.writeString(dir.resolve("file.txt"), "not a directory");
            Path data = dir.resolve("data");
            Path db = file.resolve("metadata.db");
            UncheckedIOException e = assertThrows(
                    UncheckedIOException.class,
                    () -> MockStorageServer.builder()
                            .dataDirectory(data)
                            .setting("database.dsn", db.toString())
                            .start());
            assertEquals(
                    "mock-storage: could not start: database.dsn " + db + ": not a directory (" + file + " is a file)",
                    e.getMessage());
            assertFalse(Files.exists(data), "the failed start left " + tree(data));
        }

        @Test
        void aFailureOnceTheStoreIsSetUpRemovesTheDataDirectoryItCreated() throws IOException {
            Path data = dir.resolve("data");
            Path nodes = dir.resolve("nodes"); // nodes outside the data directory: removed as well
            Path scripts = Files.writeString(dir.resolve("scripts.json"), "{ not json");
            assertThrows(
                    IllegalArgumentException.class,
                    () -> MockStorageServer.builder()
                            .dataDirectory(data)
                            .setting("storage.nodes", "a=" + nodes.resolve("a") + ",b=" + nodes.resolve("b"))
                            .setting("third_party.scripts", scripts.toString())
                            .start());
            assertFalse(Files.exists(data), "the failed start left " + tree(data));
            assertFalse(Files.exists(nodes), "the failed start left " + tree(nodes));
        }

        @Test
        void aFailedStartLeavesAnExistingDataDirectoryAsItWas() throws IOException {
            Path data = dir.resolve("data");
            try (MockStorageServer server =
                    MockStorageServer.builder().dataDirectory(data).start()) {
                server.createBucket("bkt");
                server.putObject("bkt", "k", "kept".getBytes(StandardCharsets.UTF_8), "text/plain");
                server.awaitIdle(java.time.Duration.ofSeconds(10));
            }
            List<String> before = tree(data);
            Path log = dir.resolve("logs").resolve("access.log");
            Path scripts = Files.writeString(dir.resolve("scripts.json"), "{ not json");
            assertThrows(
                    IllegalArgumentException.class,
                    () -> MockStorageServer.builder()
                            .dataDirectory(data)
                            .setting("log.access", log.toString())
                            .setting("third_party.scripts", scripts.toString())
                            .start());
            assertEquals(before, tree(data));
            assertFalse(Files.exists(dir.resolve("logs")), "the failed start left the access log it created");
            try (MockStorageServer again =
                    MockStorageServer.builder().dataDirectory(data).start()) {
                assertEquals(1, again.stats().objects().count(), "the object stored before is still there");
            }
        }

        @Test
        void aDataDirectoryInUseIsRefusedAndTheServerUsingItKeepsEverything() throws IOException {
            Path data = dir.resolve("data");
            try (MockStorageServer first =
                    MockStorageServer.builder().dataDirectory(data).start()) {
                first.createBucket("bkt");
                List<String> before = tree(data);
                UncheckedIOException e = assertThrows(
                        UncheckedIOException.class,
                        () -> MockStorageServer.builder().dataDirectory(data).start());
                assertEquals(
                        "mock-storage: could not start: storage.data_dir " + data + ": in use by another"
                                + " mock-storage server (lock file " + data.resolve(".lock")
                                + "); give each server its own data"
                                + " directory",
                        e.getMessage());
                assertEquals(before, tree(data));
                first.putObject("bkt", "k", new byte[] {1, 2, 3}, null);
                assertEquals(1, first.stats().objects().count());
            }
        }
    }

    @Nested
    class Causes {
        private final Path data = Path.of("/srv/data");
        private final String user = " (mock-storage runs as user \"" + System.getProperty("user.name") + "\")";

        @Test
        void permissionDeniedIsSaidAndNamesTheFileWhenItIsNotTheSettingItself() {
            assertEquals(
                    "permission denied on /srv/data/.lock" + user,
                    StartFailure.cause(data, new AccessDeniedException("/srv/data/.lock")));
            assertEquals("permission denied" + user, StartFailure.cause(data, new AccessDeniedException("/srv/data")));
            assertEquals(
                    "mock-storage: could not start: storage.data_dir /srv/data: permission denied on /srv/data/.lock"
                            + user,
                    StartFailure.path("storage.data_dir", data, new AccessDeniedException("/srv/data/.lock"))
                            .startMessage());
        }

        @Test
        void otherFileSystemErrorsGiveTheSystemsReason() {
            assertEquals(
                    "no such file or directory on /srv", StartFailure.cause(data, new NoSuchFileException("/srv")));
            assertEquals(
                    "read-only file system on /srv/data/.lock",
                    StartFailure.cause(
                            data, new FileSystemException("/srv/data/.lock", null, "Read-only file system")));
            assertEquals("disk full", StartFailure.cause(data, new IOException("disk full")));
        }

        @Test
        void theStartErrorsInTheReadmeAreTheOnesYouGet() throws IOException {
            String readme = Files.readString(Path.of("..", "README.md"));
            String port = StartFailure.bind("127.0.0.1", 8080, new BindException("Address already in use"))
                    .startMessage();
            assertTrue(readme.contains("\n" + port + "\n"), "README.md no longer shows " + port);
            String denied = StartFailure.path(
                            "storage.data_dir", Path.of("/data"), new AccessDeniedException("/data/.lock"))
                    .startMessage();
            String asInTheImage = denied.replace(user, " (mock-storage runs as uid 10001)");
            assertTrue(readme.contains("\n" + asInTheImage + "\n"), "README.md no longer shows " + asInTheImage);
        }

        @Test
        void bindErrorsSayWhatToChange() {
            assertArrayEquals(
                    new String[] {
                        "server.port 80 on 0.0.0.0: permission denied (ports below 1024 need privileges; choose one from 1024 up,"
                                + " or 0 for any free one)",
                        "server.host nowhere.invalid: unknown host (cannot resolve it; use 127.0.0.1, 0.0.0.0 for every"
                                + " interface, or an address this machine has)",
                        "server.port 9000 on 127.0.0.1: network is unreachable",
                    },
                    new String[] {
                        StartFailure.bind("0.0.0.0", 80, new BindException("Permission denied"))
                                .getMessage(),
                        StartFailure.bind("nowhere.invalid", 9000, new SocketException("Unresolved address"))
                                .getMessage(),
                        StartFailure.bind("127.0.0.1", 9000, new SocketException("Network is unreachable"))
                                .getMessage(),
                    });
        }
    }
}
