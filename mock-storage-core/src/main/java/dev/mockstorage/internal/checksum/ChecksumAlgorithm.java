package dev.mockstorage.internal.checksum;

import java.util.Locale;
import java.util.Optional;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;

/** The checksum algorithms S3 supports for {@code x-amz-checksum-*}; values are base64 of the big-endian digest. */
public enum ChecksumAlgorithm {
    CRC32,
    CRC32C,
    CRC64NVME,
    SHA1,
    SHA256;

    private static final String HEADER_PREFIX = "x-amz-checksum-";

    private final String headerName = HEADER_PREFIX + name().toLowerCase(Locale.ROOT);

    /** The request/response header carrying this checksum, e.g. {@code x-amz-checksum-crc32}. */
    public String headerName() {
        return headerName;
    }

    /** A fresh incremental hasher. */
    public Hasher newHasher() {
        return switch (this) {
            case CRC32 -> new Hashers.ChecksumHasher(new CRC32(), 4);
            case CRC32C -> new Hashers.ChecksumHasher(new CRC32C(), 4);
            case CRC64NVME -> new Crc64Nvme();
            case SHA1 -> Hashers.digest("SHA-1");
            case SHA256 -> Hashers.digest("SHA-256");
        };
    }

    /** A fresh MD5 hasher (S3 ETags and {@code Content-MD5}); not an {@code x-amz-checksum-*} algorithm. */
    public static Hasher md5() {
        return Hashers.digest("MD5");
    }

    /** By S3 name ({@code CRC32}, {@code crc64nvme}: case-insensitive). */
    public static Optional<ChecksumAlgorithm> fromName(String name) {
        if (name == null) {
            return Optional.empty();
        }
        for (ChecksumAlgorithm algorithm : values()) {
            if (algorithm.name().equalsIgnoreCase(name)) {
                return Optional.of(algorithm);
            }
        }
        return Optional.empty();
    }

    /** By header name ({@code x-amz-checksum-sha256}: case-insensitive). */
    public static Optional<ChecksumAlgorithm> fromHeader(String headerName) {
        if (headerName == null
                || headerName.length() <= HEADER_PREFIX.length()
                || !headerName.regionMatches(true, 0, HEADER_PREFIX, 0, HEADER_PREFIX.length())) {
            return Optional.empty();
        }
        return fromName(headerName.substring(HEADER_PREFIX.length()));
    }
}
