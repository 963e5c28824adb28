package dev.mockstorage.internal.storage;

import dev.mockstorage.internal.error.ErrorCode;
import dev.mockstorage.internal.error.StorageException;
import java.security.SecureRandom;

/** Blob ids: 32 lower-case hex chars (128 random bits). Checked before any id becomes a path. */
final class BlobIds {
    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private static final int LENGTH = 32;

    private BlobIds() {}

    /** A new random id. */
    static String random() {
        byte[] bytes = new byte[LENGTH / 2];
        Random.INSTANCE.nextBytes(bytes);
        char[] chars = new char[LENGTH];
        for (int i = 0; i < bytes.length; i++) {
            chars[2 * i] = HEX[(bytes[i] >> 4) & 0xf];
            chars[2 * i + 1] = HEX[bytes[i] & 0xf];
        }
        return new String(chars);
    }

    /**
     * Created at the first id, not at the server's start: the first {@code SecureRandom} of a JVM sets up
     * the JDK's security providers (15 ms).
     */
    private static final class Random {
        static final SecureRandom INSTANCE = new SecureRandom();
    }

    static boolean isValid(String id) {
        if (id == null || id.length() != LENGTH) {
            return false;
        }
        for (int i = 0; i < LENGTH; i++) {
            char c = id.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    static void requireValid(String id) {
        if (!isValid(id)) {
            String shown = id == null ? "null" : id.length() > 64 ? id.substring(0, 64) + "..." : id;
            throw new StorageException(
                    ErrorCode.InvalidArgument, "not a blob id (32 lower-case hex chars expected): " + shown);
        }
    }
}
