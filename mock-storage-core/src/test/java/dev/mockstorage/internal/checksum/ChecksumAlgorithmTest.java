package dev.mockstorage.internal.checksum;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ChecksumAlgorithmTest {
    private static final byte[] HELLO = "hello world\n".getBytes(US_ASCII);
    private static final byte[] CHECK = "123456789".getBytes(US_ASCII);

    private static String base64(Hasher hasher, byte[] data) {
        hasher.update(data, 0, data.length);
        return hasher.base64();
    }

    private static String hex(Hasher hasher, byte[] data) {
        hasher.update(data, 0, data.length);
        return HexFormat.of().formatHex(hasher.digest());
    }

    @Test
    void crc32MatchesWhatTheSdkSendsForHelloWorld() {
        assertEquals("rwg7LQ==", base64(ChecksumAlgorithm.CRC32.newHasher(), HELLO));
        assertEquals("cbf43926", hex(ChecksumAlgorithm.CRC32.newHasher(), CHECK));
    }

    @Test
    void crc32cKnownVectors() {
        assertEquals("e3069283", hex(ChecksumAlgorithm.CRC32C.newHasher(), CHECK));
        assertEquals("8P9ykg==", base64(ChecksumAlgorithm.CRC32C.newHasher(), HELLO));
    }

    @Test
    void crc64NvmeKnownVectors() {
        assertEquals("ae8b14860a799888", hex(ChecksumAlgorithm.CRC64NVME.newHasher(), CHECK));
        assertEquals("D3gOhIHSoh8=", base64(ChecksumAlgorithm.CRC64NVME.newHasher(), HELLO));
        // `echo 'Hello, World!' | crc64nvme | base64` in the minio/robertgrimm crc64nvme README
        assertEquals(
                "SoXXbx67KpE=", base64(ChecksumAlgorithm.CRC64NVME.newHasher(), "Hello, World!\n".getBytes(US_ASCII)));
        // SPDK's NVMe test vector: 4096 zero bytes
        assertEquals("6482d367eb22b64e", hex(ChecksumAlgorithm.CRC64NVME.newHasher(), new byte[4096]));
        assertEquals("AAAAAAAAAAA=", base64(ChecksumAlgorithm.CRC64NVME.newHasher(), new byte[0]));
    }

    @Test
    void shaAndMd5KnownVectors() {
        assertEquals("IlljY7PeQLBvmB+4XYIxLowO1RE=", base64(ChecksumAlgorithm.SHA1.newHasher(), HELLO));
        assertEquals(
                "qUiQTy8PR5uPgZdpSzAYSw0u0cHNKh7A+4XSmaGSpEc=", base64(ChecksumAlgorithm.SHA256.newHasher(), HELLO));
        assertEquals("6f5902ac237024bdd0c176cb93063dc4", hex(ChecksumAlgorithm.md5(), HELLO));
    }

    @ParameterizedTest
    @EnumSource(ChecksumAlgorithm.class)
    void incrementalUpdatesEqualOneShot(ChecksumAlgorithm algorithm) {
        byte[] data = new byte[10_007];
        new Random(42).nextBytes(data);
        Hasher oneShot = algorithm.newHasher();
        oneShot.update(data, 0, data.length);

        Hasher pieces = algorithm.newHasher();
        int[] sizes = {0, 1, 3, 7, 8, 9, 15, 16, 17, 63, 64, 65, 1000, 4096};
        int pos = 0;
        for (int i = 0; pos < data.length; i++) {
            int n = Math.min(sizes[i % sizes.length], data.length - pos);
            pieces.update(data, pos, n);
            pos += n;
        }
        assertArrayEquals(oneShot.digest(), pieces.digest());
    }

    @Test
    void updateHonoursOffsetAndLength() {
        byte[] padded = ("xx" + "123456789" + "yyy").getBytes(US_ASCII);
        Hasher hasher = ChecksumAlgorithm.CRC64NVME.newHasher();
        hasher.update(padded, 2, 9);
        assertEquals("ae8b14860a799888", HexFormat.of().formatHex(hasher.digest()));
    }

    @Test
    void digestWidths() {
        assertEquals(4, ChecksumAlgorithm.CRC32.newHasher().digest().length);
        assertEquals(4, ChecksumAlgorithm.CRC32C.newHasher().digest().length);
        assertEquals(8, ChecksumAlgorithm.CRC64NVME.newHasher().digest().length);
        assertEquals(20, ChecksumAlgorithm.SHA1.newHasher().digest().length);
        assertEquals(32, ChecksumAlgorithm.SHA256.newHasher().digest().length);
    }

    @Test
    void namesAndHeaders() {
        assertEquals("x-amz-checksum-crc64nvme", ChecksumAlgorithm.CRC64NVME.headerName());
        assertEquals("x-amz-checksum-sha256", ChecksumAlgorithm.SHA256.headerName());
        assertEquals(Optional.of(ChecksumAlgorithm.CRC32C), ChecksumAlgorithm.fromName("crc32c"));
        assertEquals(Optional.of(ChecksumAlgorithm.CRC64NVME), ChecksumAlgorithm.fromName("CRC64NVME"));
        assertEquals(Optional.of(ChecksumAlgorithm.SHA1), ChecksumAlgorithm.fromHeader("X-Amz-Checksum-SHA1"));
        assertEquals(Optional.of(ChecksumAlgorithm.CRC32), ChecksumAlgorithm.fromHeader("x-amz-checksum-crc32"));
        assertTrue(ChecksumAlgorithm.fromName("MD5").isEmpty());
        assertTrue(ChecksumAlgorithm.fromName(null).isEmpty());
        assertTrue(ChecksumAlgorithm.fromHeader("x-amz-checksum-").isEmpty());
        assertTrue(ChecksumAlgorithm.fromHeader("x-amz-checksum-algorithm").isEmpty());
        assertTrue(ChecksumAlgorithm.fromHeader("x-amz-checksum-type").isEmpty());
        assertTrue(ChecksumAlgorithm.fromHeader("content-md5").isEmpty());
    }
}
