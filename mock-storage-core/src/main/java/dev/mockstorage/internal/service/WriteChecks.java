package dev.mockstorage.internal.service;

import dev.mockstorage.internal.checksum.ChecksumAlgorithm;
import dev.mockstorage.internal.error.ErrorCode;
import dev.mockstorage.internal.error.StorageException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * What a write may carry, checked before a byte of its body is read: the key, the user metadata,
 * the declared length, and the form of the Content-MD5 and checksum values the client sent.
 */
public final class WriteChecks {
    /** Most bytes of a key, as on S3. */
    public static final int MAX_KEY_BYTES = 1024;
    /** Most bytes of one object stored by a single PUT or copy, as on S3 (5 GiB). */
    public static final long MAX_OBJECT_BYTES = 5L << 30;
    /** Most bytes of user metadata (names + values), as on S3. */
    public static final int MAX_USER_METADATA_BYTES = 2048;

    private WriteChecks() {}

    /** {@code EntityTooLarge} for a declared length above {@link #MAX_OBJECT_BYTES}. */
    static void checkDeclaredLength(long declaredLength) {
        if (declaredLength > MAX_OBJECT_BYTES) {
            // answered before a byte is read: a client announcing 999 TB gets its error, not a 120 s wait
            throw new StorageException(
                            ErrorCode.EntityTooLarge,
                            "Your proposed upload of " + declaredLength
                                    + " bytes exceeds the maximum allowed object size of " + MAX_OBJECT_BYTES
                                    + " bytes.")
                    .with("ProposedSize", Long.toString(declaredLength))
                    .with("MaxSizeAllowed", Long.toString(MAX_OBJECT_BYTES));
        }
    }

    /** The Content-MD5 header's 16 bytes, or null without one; {@code InvalidDigest} when it is not base64 of 16 bytes. */
    static byte[] decodeContentMd5(String contentMd5) {
        if (contentMd5 == null) {
            return null;
        }
        try {
            byte[] md5 = Base64.getDecoder().decode(contentMd5.trim());
            if (md5.length == 16) {
                return md5;
            }
        } catch (IllegalArgumentException e) {
            // fall through
        }
        throw new StorageException(
                ErrorCode.InvalidDigest,
                "The Content-MD5 you specified is not valid: '" + contentMd5 + "' is not the base64 of 16 bytes");
    }

    /** {@code InvalidRequest} for a checksum value that is not the base64 of its algorithm's length. */
    static void validateChecksumValues(Map<ChecksumAlgorithm, String> checksums) {
        for (Map.Entry<ChecksumAlgorithm, String> e : checksums.entrySet()) {
            int expected = switch (e.getKey()) {
                case CRC32, CRC32C -> 4;
                case CRC64NVME -> 8;
                case SHA1 -> 20;
                case SHA256 -> 32;
            };
            boolean ok;
            try {
                ok = Base64.getDecoder().decode(e.getValue().trim()).length == expected;
            } catch (IllegalArgumentException ex) {
                ok = false;
            }
            if (!ok) {
                throw new StorageException(
                        ErrorCode.InvalidRequest,
                        "Value for " + e.getKey().headerName() + " header is invalid: '" + e.getValue()
                                + "' is not the base64 of " + expected + " bytes");
            }
        }
    }

    /** {@code InvalidArgument} for an empty key, {@code KeyTooLongError} beyond {@link #MAX_KEY_BYTES}. */
    static void validateKey(String key) {
        if (key.isEmpty()) {
            throw new StorageException(ErrorCode.InvalidArgument, "the object key is empty");
        }
        int bytes = key.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_KEY_BYTES) {
            throw new StorageException(
                            ErrorCode.KeyTooLongError,
                            "Your key is too long: " + bytes + " bytes, the most is " + MAX_KEY_BYTES)
                    .with("Size", Integer.toString(bytes))
                    .with("MaxSizeAllowed", Integer.toString(MAX_KEY_BYTES));
        }
    }

    /** {@code MetadataTooLarge} beyond {@link #MAX_USER_METADATA_BYTES}. */
    static void validateUserMetadata(Map<String, String> userMetadata) {
        int bytes = 0;
        for (Map.Entry<String, String> e : userMetadata.entrySet()) {
            bytes += e.getKey().getBytes(StandardCharsets.UTF_8).length
                    + e.getValue().getBytes(StandardCharsets.UTF_8).length;
        }
        if (bytes > MAX_USER_METADATA_BYTES) {
            throw new StorageException(
                            ErrorCode.MetadataTooLarge,
                            "Your metadata headers exceed the maximum allowed metadata size: " + bytes
                                    + " bytes, the most is " + MAX_USER_METADATA_BYTES)
                    .with("Size", Integer.toString(bytes))
                    .with("MaxSizeAllowed", Integer.toString(MAX_USER_METADATA_BYTES));
        }
    }
}
