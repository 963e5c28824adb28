package dev.mockstorage.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;

/** Test bodies and the digests S3 computes over them, calculated independently of the server. */
final class TestData {

    private TestData() {}

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** The bytes {@code new Random(seed)} gives: for tests that only need content of their own. */
    static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** Deterministic pseudo-random bytes (an LCG), different for each seed. */
    static byte[] pattern(int size, long seed) {
        byte[] out = new byte[size];
        try (InputStream in = new PatternInputStream(size, seed)) {
            int n = in.readNBytes(out, 0, size);
            if (n != size) {
                throw new IllegalStateException("short pattern");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    static MessageDigest md5() {
        return digest("MD5");
    }

    static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String md5Hex(byte[] data) {
        return HexFormat.of().formatHex(md5().digest(data));
    }

    static String md5Base64(byte[] data) {
        return Base64.getEncoder().encodeToString(md5().digest(data));
    }

    /** The ETag S3 gives a single-part object: the quoted hex MD5 of its bytes. */
    static String etag(byte[] data) {
        return "\"" + md5Hex(data) + "\"";
    }

    static String md5HexOf(InputStream in) {
        MessageDigest md5 = md5();
        byte[] buf = new byte[64 * 1024];
        try (in) {
            int n;
            while ((n = in.read(buf)) != -1) {
                md5.update(buf, 0, n);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return HexFormat.of().formatHex(md5.digest());
    }

    static String crc32Base64(byte[] data) {
        CRC32 crc = new CRC32();
        crc.update(data);
        return Base64.getEncoder()
                .encodeToString(
                        ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    static String crc32cBase64(byte[] data) {
        CRC32C crc = new CRC32C();
        crc.update(data);
        return Base64.getEncoder()
                .encodeToString(
                        ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    static String sha1Base64(byte[] data) {
        return Base64.getEncoder().encodeToString(digest("SHA-1").digest(data));
    }

    static String sha256Base64(byte[] data) {
        return Base64.getEncoder().encodeToString(digest("SHA-256").digest(data));
    }

    static String crc64nvmeBase64(byte[] data) {
        return Base64.getEncoder()
                .encodeToString(ByteBuffer.allocate(8).putLong(crc64nvme(data)).array());
    }

    private static final long[] CRC64NVME_TABLE = new long[256];

    static {
        long poly = 0x9a6c9329ac4bc9b5L; // reflected 0xad93d23594c93659 (CRC-64/NVME)
        for (int i = 0; i < 256; i++) {
            long crc = i;
            for (int k = 0; k < 8; k++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ poly : crc >>> 1;
            }
            CRC64NVME_TABLE[i] = crc;
        }
    }

    /** CRC-64/NVME (the S3 default checksum), bitwise reference: check("123456789") = 0xae8b14860a799888. */
    static long crc64nvme(byte[] data) {
        long crc = -1L;
        for (byte b : data) {
            crc = CRC64NVME_TABLE[(int) ((crc ^ b) & 0xff)] ^ (crc >>> 8);
        }
        return ~crc;
    }

    /** Orders strings by their UTF-8 bytes, unsigned, the order S3 lists keys in. */
    static final Comparator<String> UTF8_ORDER = (a, b) -> Arrays.compareUnsigned(utf8(a), utf8(b));

    /** A stream of {@link #pattern} bytes that never holds the whole body in memory. */
    static final class PatternInputStream extends InputStream {
        private final long size;
        private long position;
        private long state;

        PatternInputStream(long size, long seed) {
            this.size = size;
            this.state = seed * 6364136223846793005L + 1442695040888963407L;
        }

        @Override
        public int read() {
            if (position >= size) {
                return -1;
            }
            position++;
            state = state * 6364136223846793005L + 1442695040888963407L;
            return (int) (state >>> 56) & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (position >= size) {
                return -1;
            }
            int n = (int) Math.min(len, size - position);
            for (int i = 0; i < n; i++) {
                state = state * 6364136223846793005L + 1442695040888963407L;
                b[off + i] = (byte) (state >>> 56);
            }
            position += n;
            return n;
        }
    }
}
