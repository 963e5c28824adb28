package dev.mockstorage.internal.checksum;

import java.util.Base64;

/** An incremental checksum or digest. */
public interface Hasher {
    void update(byte[] bytes, int offset, int length);

    /** The digest bytes (big-endian for CRCs); the hasher must not be used afterwards. */
    byte[] digest();

    /** Base64 of {@link #digest()}, as S3 headers carry it. */
    default String base64() {
        return Base64.getEncoder().encodeToString(digest());
    }
}
