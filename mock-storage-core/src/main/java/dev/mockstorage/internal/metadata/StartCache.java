package dev.mockstorage.internal.metadata;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A directory of this user's where what SQLite needs at every start is made once and reused by later
 * starts and other JVMs: the driver's native library ({@link SqliteLibrary}) and a database at the
 * current schema ({@link SchemaTemplate}). By default {@code <java.io.tmpdir>/mock-storage-cache-<user>}.
 *
 * <p>A shared temporary directory is writable by every local user, and a native library found there is
 * loaded into this process, so the directory is used only when it is a real directory (not a link)
 * owned by this process's user and writable by nobody else; it is created {@code rwx------}. Files are
 * put in place by an atomic rename of a complete temporary file, so a reader never sees half of one and
 * JVMs starting together may both write the same file. On a file system without POSIX permissions, or
 * when anything here fails, there is no cache and every start does the work itself, as before.
 */
final class StartCache {
    private static final Set<PosixFilePermission> PRIVATE = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> OTHERS_WRITE =
            Set.of(PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE);

    /** Directories found trusted in this JVM (every {@code @MockStorage} test opens a database). */
    private static final Set<Path> TRUSTED = ConcurrentHashMap.newKeySet();

    private StartCache() {}

    /** {@code <java.io.tmpdir>/mock-storage-cache-<user.name>} (the name reduced to letters, digits, {@code .-_}). */
    static Path defaultRoot() {
        String user = System.getProperty("user.name", "");
        StringBuilder name = new StringBuilder("mock-storage-cache-");
        for (int i = 0; i < user.length(); i++) { // not replaceAll: a pattern compiled at every database's open
            char c = user.charAt(i);
            boolean plain = (c >= 'A' && c <= 'Z')
                    || (c >= 'a' && c <= 'z')
                    || (c >= '0' && c <= '9')
                    || c == '.'
                    || c == '_'
                    || c == '-';
            name.append(plain ? c : '_');
        }
        return Path.of(System.getProperty("java.io.tmpdir"), name.toString());
    }

    /**
     * The directory {@code root/name}, created (with {@code root}) when missing; null when either is not
     * a trusted directory of this user's or cannot be made one.
     */
    static Path directory(Path root, String name) {
        Path dir = root.resolve(name);
        if (TRUSTED.contains(dir) && Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return dir; // checked earlier in this JVM: only this user (or root) can remove it from its parent
        }
        try {
            Path parent = trusted(root);
            if (parent == null || trusted(dir) == null) {
                return null;
            }
            TRUSTED.add(dir);
            return dir;
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return null;
        }
    }

    /** {@code dir}, created {@code rwx------} when missing, if it is a directory only this user can write; else null. */
    private static Path trusted(Path dir) throws IOException {
        try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PRIVATE));
            return dir; // made just now by this process
        } catch (FileAlreadyExistsException e) {
            PosixFileAttributes a = Files.readAttributes(dir, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            boolean ours = a.isDirectory()
                    && a.owner().equals(currentUser(dir.getParent()))
                    && a.permissions().stream().noneMatch(OTHERS_WRITE::contains);
            return ours ? dir : null;
        }
    }

    /** The user this process runs as: the owner of {@code /proc/self} on Linux, else of a file made for asking. */
    private static UserPrincipal currentUser(Path scratch) throws IOException {
        Path self = Path.of("/proc/self");
        if (Files.isDirectory(self)) {
            return Files.getOwner(self);
        }
        Path probe = Files.createTempFile(scratch, ".owner-", ".tmp");
        try {
            return Files.getOwner(probe);
        } finally {
            Files.deleteIfExists(probe);
        }
    }
}
