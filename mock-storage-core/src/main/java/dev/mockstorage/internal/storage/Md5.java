package dev.mockstorage.internal.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The MD5 a blob's content is checked against: a fresh digest per use, and whether a file holds that content. */
final class Md5 {
    private static final MessageDigest PROTOTYPE;

    static {
        try {
            PROTOTYPE = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private Md5() {}

    /** A fresh MD5 digest: cloned from a prototype, far cheaper than a provider lookup per read. */
    static MessageDigest digest() {
        try {
            return (MessageDigest) PROTOTYPE.clone();
        } catch (CloneNotSupportedException e) {
            try {
                return MessageDigest.getInstance("MD5");
            } catch (NoSuchAlgorithmException e2) {
                throw new IllegalStateException(e2);
            }
        }
    }

    /** True when {@code content} has the MD5 {@code md5Hex} (any case). */
    static boolean matches(byte[] content, String md5Hex) {
        return md5Hex.equalsIgnoreCase(HexFormat.of().formatHex(digest().digest(content)));
    }

    /**
     * True when {@code file} has exactly {@code size} bytes and, when {@code md5Hex} is given, that
     * content (read whole); false when it is missing or unreadable.
     */
    static boolean isIntact(Path file, long size, String md5Hex) {
        try {
            if (Files.size(file) != size) {
                return false;
            }
            if (md5Hex == null) {
                return true;
            }
            MessageDigest md5 = digest();
            try (InputStream in = Files.newInputStream(file)) {
                byte[] buffer = new byte[64 * 1024];
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    md5.update(buffer, 0, n);
                }
            }
            return HexFormat.of().formatHex(md5.digest()).equalsIgnoreCase(md5Hex);
        } catch (IOException e) {
            return false;
        }
    }
}
