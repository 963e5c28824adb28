package dev.mockstorage.server;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * What a start is about to create on disk (data directory, lock file, database, node directories,
 * access log), so that a start that fails removes exactly that and leaves the disk as it found it.
 * {@link #before} is called before each creation and remembers the outermost path that does not
 * exist yet; anything that existed before is never touched.
 */
final class CreatedPaths {
    private final Deque<Path> created = new ArrayDeque<>();

    /** Call before creating {@code path} (and any missing parent): remembers the outermost one missing. */
    void before(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        for (Path known : created) {
            if (absolute.startsWith(known)) {
                return; // removed with it; no need to look at the disk (nodes, database: in a new data directory)
            }
        }
        Path outermost = null;
        for (Path p = absolute; p != null && Files.notExists(p, LinkOption.NOFOLLOW_LINKS); p = p.getParent()) {
            outermost = p;
        }
        if (outermost == null) {
            return;
        }
        for (Path known : created) {
            if (outermost.startsWith(known)) {
                return; // removed with it
            }
        }
        created.push(outermost);
    }

    /** Whether {@code path} is (below) something this start created. */
    boolean isNew(Path path) {
        Path p = path.toAbsolutePath().normalize();
        return created.stream().anyMatch(p::startsWith);
    }

    /**
     * Forgets everything: what looked new may be another server's (one whose lock this start could
     * not take), and must stay.
     */
    void forget() {
        created.clear();
    }

    /**
     * Deletes what this start created, newest first, after its files were closed; a path that cannot
     * be deleted is added to {@code failure} as a suppressed exception.
     */
    void remove(Throwable failure) {
        while (!created.isEmpty()) {
            Path path = created.pop();
            try {
                deleteTree(path);
            } catch (IOException | RuntimeException e) {
                failure.addSuppressed(new IOException("could not remove " + path + " created by the failed start", e));
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (Files.notExists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.deleteIfExists(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
