package dev.mockstorage.internal.checksum;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.zip.Checksum;

/** Adapters from the JDK's {@link Checksum} and {@link MessageDigest} to {@link Hasher}. */
final class Hashers {
    private Hashers() {}

    static Hasher digest(String jdkName) {
        try {
            return new DigestHasher(MessageDigest.getInstance(jdkName));
        } catch (NoSuchAlgorithmException e) {
            // every Java SE platform must provide MD5, SHA-1 and SHA-256
            throw new IllegalStateException("JDK lacks " + jdkName, e);
        }
    }

    /** A 32-bit JDK CRC; the digest is the value's low {@code width} bytes, big-endian. */
    static final class ChecksumHasher implements Hasher {
        private final Checksum checksum;
        private final int width;

        ChecksumHasher(Checksum checksum, int width) {
            this.checksum = checksum;
            this.width = width;
        }

        @Override
        public void update(byte[] bytes, int offset, int length) {
            checksum.update(bytes, offset, length);
        }

        @Override
        public byte[] digest() {
            return bigEndian(checksum.getValue(), width);
        }
    }

    static final class DigestHasher implements Hasher {
        private final MessageDigest digest;

        DigestHasher(MessageDigest digest) {
            this.digest = digest;
        }

        @Override
        public void update(byte[] bytes, int offset, int length) {
            digest.update(bytes, offset, length);
        }

        @Override
        public byte[] digest() {
            return digest.digest();
        }
    }

    static byte[] bigEndian(long value, int width) {
        byte[] out = new byte[width];
        for (int i = width - 1; i >= 0; i--) {
            out[i] = (byte) value;
            value >>>= 8;
        }
        return out;
    }
}
