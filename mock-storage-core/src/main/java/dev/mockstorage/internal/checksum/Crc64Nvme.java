package dev.mockstorage.internal.checksum;

import java.util.Objects;

/**
 * CRC-64/NVME (the {@code CRC64NVME} of S3): polynomial 0xad93d23594c93659, reflected input and
 * output, init and xorout all ones; check value for ASCII {@code 123456789} is 0xae8b14860a799888.
 * Slicing-by-8: eight bytes per step through eight 256-entry tables.
 */
final class Crc64Nvme implements Hasher {
    /** The polynomial bit-reversed, as the reflected (LSB-first) algorithm uses it. */
    private static final long POLY_REFLECTED = Long.reverse(0xad93d23594c93659L);

    private static final long[][] TABLES = tables();

    private long crc = ~0L;

    private static long[][] tables() {
        long[][] t = new long[8][256];
        for (int i = 0; i < 256; i++) {
            long c = i;
            for (int bit = 0; bit < 8; bit++) {
                c = (c & 1) != 0 ? (c >>> 1) ^ POLY_REFLECTED : c >>> 1;
            }
            t[0][i] = c;
        }
        for (int k = 1; k < 8; k++) {
            for (int i = 0; i < 256; i++) {
                long prev = t[k - 1][i];
                t[k][i] = (prev >>> 8) ^ t[0][(int) (prev & 0xff)];
            }
        }
        return t;
    }

    @Override
    public void update(byte[] bytes, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        long c = crc;
        long[] t0 = TABLES[0], t1 = TABLES[1], t2 = TABLES[2], t3 = TABLES[3];
        long[] t4 = TABLES[4], t5 = TABLES[5], t6 = TABLES[6], t7 = TABLES[7];
        int i = offset;
        int end = offset + length;
        while (end - i >= 8) {
            long word = (bytes[i] & 0xffL)
                    | (bytes[i + 1] & 0xffL) << 8
                    | (bytes[i + 2] & 0xffL) << 16
                    | (bytes[i + 3] & 0xffL) << 24
                    | (bytes[i + 4] & 0xffL) << 32
                    | (bytes[i + 5] & 0xffL) << 40
                    | (bytes[i + 6] & 0xffL) << 48
                    | (bytes[i + 7] & 0xffL) << 56;
            c ^= word;
            c = t7[(int) (c & 0xff)]
                    ^ t6[(int) ((c >>> 8) & 0xff)]
                    ^ t5[(int) ((c >>> 16) & 0xff)]
                    ^ t4[(int) ((c >>> 24) & 0xff)]
                    ^ t3[(int) ((c >>> 32) & 0xff)]
                    ^ t2[(int) ((c >>> 40) & 0xff)]
                    ^ t1[(int) ((c >>> 48) & 0xff)]
                    ^ t0[(int) (c >>> 56)];
            i += 8;
        }
        while (i < end) {
            c = (c >>> 8) ^ t0[(int) ((c ^ bytes[i]) & 0xff)];
            i++;
        }
        crc = c;
    }

    /** The current CRC value (after the final xor). */
    long value() {
        return ~crc;
    }

    @Override
    public byte[] digest() {
        return Hashers.bigEndian(value(), 8);
    }
}
