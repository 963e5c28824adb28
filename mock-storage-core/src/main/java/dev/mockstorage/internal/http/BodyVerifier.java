package dev.mockstorage.internal.http;

import java.util.Map;

/**
 * Watches a request body while the handler reads it, and may fail the read: installed with
 * {@link HttpRequest#verifyBody(BodyVerifier)} before the body is read (for example by signature
 * checking, which lives above this package). Calls arrive on the reading thread in body order; a
 * {@link dev.mockstorage.internal.error.StorageException} thrown from a call fails that read, so the
 * handler stores nothing. Without a verifier the body costs nothing extra.
 */
public interface BodyVerifier {

    /** Decoded body bytes just read (aws-chunked framing already removed). */
    void data(byte[] b, int off, int len);

    /**
     * {@code aws-chunked} only: the header of the next chunk was read, so every byte of the previous
     * chunk has been passed to {@link #data}. {@code size} 0 is the final chunk.
     *
     * @param signature the {@code chunk-signature} extension, or null when the chunk has none
     */
    default void chunk(long size, String signature) {}

    /** The body was read to its end; {@code trailers} are complete (lower-case names, in order). Called once. */
    void end(Map<String, String> trailers);
}
