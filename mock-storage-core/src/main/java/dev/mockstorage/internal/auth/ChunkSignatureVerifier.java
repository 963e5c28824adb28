package dev.mockstorage.internal.auth;

import dev.mockstorage.internal.error.ErrorCode;
import dev.mockstorage.internal.error.StorageException;
import dev.mockstorage.internal.http.BodyVerifier;
import java.security.MessageDigest;
import java.util.Map;
import java.util.TreeMap;

/**
 * Checks a signed {@code aws-chunked} body: chunk {@code n}'s {@code chunk-signature} is
 * HMAC(signing key, {@code AWS4-HMAC-SHA256-PAYLOAD\n<date>\n<scope>\n<signature of chunk n-1>\n<sha256("")>\n<sha256(data)>}),
 * the chain starting at the request's own (seed) signature and ending with the empty final chunk; with
 * a trailer, {@code x-amz-trailer-signature} signs {@code AWS4-HMAC-SHA256-TRAILER\n<date>\n<scope>\n<last chunk signature>\n<sha256 of the trailers as "name:value\n">}.
 * A chunk is checked when the next chunk's header arrives (all its data has been seen then).
 */
final class ChunkSignatureVerifier implements BodyVerifier {
    private final byte[] signingKey;
    private final String amzDate;
    private final String scope;
    private final boolean trailer;
    private final MessageDigest digest = SigV4.sha256();
    private String previous;
    private String pending; // signature of the chunk being read, null before the first header
    private int chunkIndex;

    ChunkSignatureVerifier(byte[] signingKey, String amzDate, String scope, String seedSignature, boolean trailer) {
        this.signingKey = signingKey;
        this.amzDate = amzDate;
        this.scope = scope;
        this.previous = seedSignature;
        this.trailer = trailer;
    }

    @Override
    public void data(byte[] b, int off, int len) {
        digest.update(b, off, len);
    }

    @Override
    public void chunk(long size, String signature) {
        if (pending != null) {
            verifyPending();
        }
        chunkIndex++;
        if (signature == null || signature.isEmpty()) {
            throw new StorageException(
                    ErrorCode.SignatureDoesNotMatch,
                    "Chunk " + chunkIndex
                            + " of the aws-chunked body has no chunk-signature, but x-amz-content-sha256 says the chunks are signed");
        }
        pending = signature;
    }

    @Override
    public void end(Map<String, String> trailers) {
        if (pending == null) {
            throw new StorageException(ErrorCode.SignatureDoesNotMatch, "The aws-chunked body has no signed chunk");
        }
        verifyPending();
        if (!trailer) {
            return;
        }
        String provided = trailers.get("x-amz-trailer-signature");
        if (provided == null) {
            throw new StorageException(
                    ErrorCode.SignatureDoesNotMatch,
                    "The aws-chunked body has no x-amz-trailer-signature, but x-amz-content-sha256 says its trailer is signed");
        }
        StringBuilder canonical = new StringBuilder();
        new TreeMap<>(trailers).forEach((name, value) -> {
            if (!name.equals("x-amz-trailer-signature")) {
                canonical.append(name).append(':').append(value).append('\n');
            }
        });
        String stringToSign = "AWS4-HMAC-SHA256-TRAILER\n" + amzDate + "\n" + scope + "\n" + previous + "\n"
                + SigV4.sha256Hex(canonical.toString());
        if (!SigV4.same(SigV4.sign(signingKey, stringToSign), provided)) {
            throw new StorageException(
                            ErrorCode.SignatureDoesNotMatch,
                            "The x-amz-trailer-signature of the aws-chunked "
                                    + "body does not match the trailers received")
                    .with("StringToSign", stringToSign)
                    .with("SignatureProvided", provided);
        }
    }

    private void verifyPending() {
        String dataHash = SigV4.hex(digest.digest());
        String stringToSign = "AWS4-HMAC-SHA256-PAYLOAD\n" + amzDate + "\n" + scope + "\n" + previous + "\n"
                + SigV4.EMPTY_SHA256 + "\n" + dataHash;
        if (!SigV4.same(SigV4.sign(signingKey, stringToSign), pending)) {
            throw new StorageException(
                            ErrorCode.SignatureDoesNotMatch,
                            "The chunk-signature of chunk " + chunkIndex
                                    + " of the aws-chunked body does not match its data (signatures chain from the request's signature)")
                    .with("StringToSign", stringToSign)
                    .with("SignatureProvided", pending);
        }
        previous = pending;
        pending = null;
    }
}
