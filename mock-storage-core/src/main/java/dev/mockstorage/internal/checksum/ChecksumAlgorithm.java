package dev.mockstorage.internal.checksum;

import java.util.Optional;

/** The checksum algorithms S3 supports for {@code x-amz-checksum-*}; values are base64 of the big-endian digest. */
public enum ChecksumAlgorithm {
    CRC32, CRC32C, CRC64NVME, SHA1, SHA256;

    /** The request/response header carrying this checksum, e.g. {@code x-amz-checksum-crc32}. */
    public String headerName() {
        throw new UnsupportedOperationException("TODO");
    }

    /** A fresh incremental hasher. */
    public Hasher newHasher() {
        throw new UnsupportedOperationException("TODO");
    }

    /** By S3 name ({@code CRC32}, {@code crc64nvme}: case-insensitive). */
    public static Optional<ChecksumAlgorithm> fromName(String name) {
        throw new UnsupportedOperationException("TODO");
    }

    /** By header name ({@code x-amz-checksum-sha256}: case-insensitive). */
    public static Optional<ChecksumAlgorithm> fromHeader(String headerName) {
        throw new UnsupportedOperationException("TODO");
    }
}
