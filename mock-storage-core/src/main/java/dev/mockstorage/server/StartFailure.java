package dev.mockstorage.server;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Why a start failed, in the words a first-time user needs: the setting, its value and the cause,
 * e.g. {@code server.port 8080 on 127.0.0.1: address already in use (...)}. The JDK's own messages
 * are not enough: a {@code BindException} names neither address nor port, an
 * {@link AccessDeniedException}'s message is only the path. {@link MockStorageServer.Builder#start()}
 * throws it as {@link java.io.UncheckedIOException} with {@link #startMessage()}, and the standalone
 * jar prints that message as it is.
 */
final class StartFailure extends IOException {
    private static final long serialVersionUID = 1L;
    private static final String PREFIX = "mock-storage: could not start: ";
    private static final String ADDRESSES =
            "use 127.0.0.1, 0.0.0.0 for every interface, or an address this machine has";

    StartFailure(String message, Throwable cause) {
        super(message, cause);
    }

    /** {@code mock-storage: could not start: } and the message. */
    String startMessage() {
        return PREFIX + getMessage();
    }

    /** The address {@code server.host}:{@code server.port} could not be bound. */
    static StartFailure bind(String host, int port, IOException e) {
        String reason = String.valueOf(e.getMessage());
        String lower = reason.toLowerCase(Locale.ROOT);
        String where = "server.port " + port + " on " + host + ": ";
        String message;
        if (lower.contains("already in use")) {
            message = where + "address already in use (another process listens there; choose another server.port,"
                    + " or 0 for any free one)";
        } else if (lower.contains("cannot assign requested address")) {
            message = "server.host " + host + ": not an address of this machine (cannot assign requested address; "
                    + ADDRESSES + ")";
        } else if (lower.contains("unresolved")) {
            message = "server.host " + host + ": unknown host (cannot resolve it; " + ADDRESSES + ")";
        } else if (lower.contains("permission denied") && port > 0 && port < 1024) {
            message = where + "permission denied (ports below 1024 need privileges; choose one from 1024 up,"
                    + " or 0 for any free one)";
        } else {
            message = where + lowerFirst(reason);
        }
        return new StartFailure(message, e);
    }

    /**
     * A file or directory that {@code setting} names (its value {@code value}) could not be created or
     * used. {@code e} is the I/O error, or an exception wrapping it (or, for the database, SQLite's error).
     */
    static StartFailure path(String setting, Path value, Throwable e) {
        Throwable innermost = e;
        while (!(innermost instanceof IOException)
                && innermost.getCause() != null
                && innermost.getCause() != innermost) {
            innermost = innermost.getCause();
        }
        String cause = innermost instanceof IOException io
                ? cause(value, io)
                : String.valueOf(innermost.getMessage() != null ? innermost.getMessage() : innermost);
        return new StartFailure(setting + " " + value + ": " + cause, innermost instanceof IOException ? innermost : e);
    }

    /**
     * The cause of an I/O error on {@code value} (or a file below it) in a few words: the system's reason,
     * the file when it is not {@code value} itself, and what it says about the path.
     */
    static String cause(Path value, IOException e) {
        if (!(e instanceof FileSystemException f)) {
            return e.getMessage() != null ? e.getMessage() : e.toString();
        }
        String file = f.getFile();
        String on = file == null || Path.of(file).equals(value) ? "" : " on " + file;
        if (e instanceof AccessDeniedException) {
            return "permission denied" + on + " (mock-storage runs as " + runningUser() + ")";
        }
        if (e instanceof NoSuchFileException) {
            return "no such file or directory" + on;
        }
        String reason = f.getReason();
        if (e instanceof FileAlreadyExistsException // createDirectories: the path exists and is no directory
                || (reason != null && reason.toLowerCase(Locale.ROOT).contains("not a directory"))) {
            Path blocking = fileInTheWay(file == null ? value : Path.of(file));
            return "not a directory" + (blocking != null ? " (" + blocking + " is a file)" : on);
        }
        return reason != null ? lowerFirst(reason) + on : String.valueOf(e.getMessage());
    }

    /**
     * {@code user "NAME"}, or {@code uid N} for a user without a name (the image runs as uid 10001, so a
     * volume it cannot write shows who needs access).
     */
    private static String runningUser() {
        String name = System.getProperty("user.name");
        if (name != null && !name.isBlank() && !name.equals("?")) {
            return "user \"" + name + "\"";
        }
        try {
            return "uid " + Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException | RuntimeException e) {
            return "a user without a name";
        }
    }

    /** The path or its nearest existing ancestor when that is not a directory, else null. */
    private static Path fileInTheWay(Path path) {
        for (Path p = path.toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.exists(p, LinkOption.NOFOLLOW_LINKS) || Files.isSymbolicLink(p)) {
                return Files.isDirectory(p) ? null : p;
            }
        }
        return null;
    }

    private static String lowerFirst(String s) {
        if (s.length() > 1 && Character.isUpperCase(s.charAt(0)) && !Character.isUpperCase(s.charAt(1))) {
            return Character.toLowerCase(s.charAt(0)) + s.substring(1);
        }
        return s;
    }
}
