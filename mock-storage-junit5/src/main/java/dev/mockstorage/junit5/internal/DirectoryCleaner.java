package dev.mockstorage.junit5.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.stream.Stream;

/**
 * Deletes the temporary directories of closed servers on a thread of its own, so that a test does not wait
 * for its directory's removal: removing the ten directories of a three-node server and its database files
 * was a third of what {@code @MockStorage} added to a test. The server is closed before its directory is
 * handed over, so nothing writes there any more, and every directory is new (never reused), so a later
 * test cannot see a half-deleted one.
 *
 * <p>At most {@link #PENDING} directories wait; past that the test's own thread deletes, so a suite that
 * outruns the disk slows down rather than piling up. When the JVM ends, a shutdown hook deletes what is
 * still waiting and lets the directory being deleted finish: a suite leaves nothing behind, as before.
 */
final class DirectoryCleaner {
    static final int PENDING = 64;

    private static final BlockingQueue<Path> QUEUE = new ArrayBlockingQueue<>(PENDING);
    /** Held while a directory is being deleted. */
    private static final Object BUSY = new Object();

    private static boolean started; // guarded by the class
    /** Set when the exit hook runs. */
    private static volatile boolean exiting;

    private DirectoryCleaner() {}

    /** Deletes {@code directory} (and everything in it) soon, on the cleaner's thread, or now when too many wait. */
    static void deleteLater(Path directory) {
        if (exiting || !ensureStarted() || !QUEUE.offer(directory)) {
            delete(directory); // the JVM is ending (a server closed by a shutdown hook), or too many wait
        }
    }

    /** Starts the worker and its exit hook once; false when the JVM is already shutting down. */
    private static synchronized boolean ensureStarted() {
        if (started) {
            return true;
        }
        try {
            Runtime.getRuntime()
                    .addShutdownHook(new Thread(DirectoryCleaner::drainAtExit, "mock-storage-cleaner-exit"));
        } catch (IllegalStateException shuttingDown) {
            return false;
        }
        Thread t = new Thread(DirectoryCleaner::run, "mock-storage-cleaner");
        t.setDaemon(true);
        t.start();
        started = true;
        return true;
    }

    private static void run() {
        while (true) {
            Path next;
            try {
                next = QUEUE.take();
            } catch (InterruptedException e) {
                return;
            }
            synchronized (BUSY) {
                delete(next);
            }
        }
    }

    /** The JVM is ending: deletes what waits, once the worker is done with the one it holds. */
    private static void drainAtExit() {
        exiting = true; // from now on deleteLater deletes at once
        synchronized (BUSY) {
            Path next;
            while ((next = QUEUE.poll()) != null) {
                delete(next);
            }
        }
    }

    /** Best effort: a file still open elsewhere must not fail a test; the OS cleans its temporary directory. */
    static void delete(Path directory) {
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | UncheckedIOException e) {
            // as above
        }
    }
}
