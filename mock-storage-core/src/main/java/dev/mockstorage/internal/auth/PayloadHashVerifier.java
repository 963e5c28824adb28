package dev.mockstorage.internal.auth;

import dev.mockstorage.internal.error.ErrorCode;
import dev.mockstorage.internal.error.StorageException;
import dev.mockstorage.internal.http.BodyVerifier;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Map;

/** Compares the body's SHA-256 with the signed {@code x-amz-content-sha256} once the body was read to its end. */
final class PayloadHashVerifier implements BodyVerifier {
    private final String expected;
    private final MessageDigest digest = SigV4.sha256();

    PayloadHashVerifier(String expectedHex) {
        this.expected = expectedHex.toLowerCase(Locale.ROOT);
    }

    @Override
    public void data(byte[] b, int off, int len) {
        digest.update(b, off, len);
    }

    @Override
    public void end(Map<String, String> trailers) {
        String computed = SigV4.hex(digest.digest());
        if (!computed.equals(expected)) {
            throw new StorageException(ErrorCode.XAmzContentSHA256Mismatch, null)
                    .with("ClientComputedContentSHA256", expected)
                    .with("S3ComputedContentSHA256", computed);
        }
    }
}
