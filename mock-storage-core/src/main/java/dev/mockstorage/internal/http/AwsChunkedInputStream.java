package dev.mockstorage.internal.http;

import java.io.IOException;
import java.io.InputStream;

/**
 * Decodes S3's {@code aws-chunked} content encoding, signed
 * ({@code c;chunk-signature=<sig>\r\nhello world\n\r\n0;chunk-signature=<sig>\r\n...}) and unsigned
 * ({@code b\r\nasync hello\r\n0\r\n...}), with or without trailers such as
 * {@code x-amz-checksum-crc32} and {@code x-amz-trailer-signature}. Chunk signatures are not checked
 * here: each chunk's {@code chunk-signature} goes to the {@link BodyVerifier} when one is installed. The decoded total must equal {@code x-amz-decoded-content-length} when that was sent, and the
 * request body must end right after the encoding's final empty line.
 */
final class AwsChunkedInputStream extends ChunkedInputStream {
    private final long expectedLength;
    private BodyVerifier verifier;

    /** @param expectedLength x-amz-decoded-content-length, or -1 when not sent */
    AwsChunkedInputStream(InputStream body, long expectedLength) {
        super(body, "aws-chunked");
        this.expectedLength = expectedLength;
    }

    /** Passes every chunk header's size and signature to {@code verifier}. */
    void verifier(BodyVerifier verifier) {
        this.verifier = verifier;
    }

    @Override
    protected void onChunk(long size, String extensions) {
        if (expectedLength >= 0 && total() + size > expectedLength) {
            throw malformed("a chunk of " + size + " bytes after " + total()
                    + " decoded bytes goes beyond x-amz-decoded-content-length " + expectedLength);
        }
        if (verifier != null) {
            verifier.chunk(size, chunkSignature(extensions));
        }
    }

    /** The value of the {@code chunk-signature} extension, or null. */
    static String chunkSignature(String extensions) {
        for (String ext : extensions.split(";")) {
            int eq = ext.indexOf('=');
            if (eq > 0 && ext.substring(0, eq).strip().equals("chunk-signature")) {
                return ext.substring(eq + 1).strip();
            }
        }
        return null;
    }

    @Override
    protected void onEnd(long decodedTotal) throws IOException {
        if (expectedLength >= 0 && decodedTotal != expectedLength) {
            throw incomplete("ended after " + decodedTotal + " decoded bytes, but x-amz-decoded-content-length is "
                    + expectedLength);
        }
        if (in.read() >= 0) {
            throw malformed("unexpected bytes after the final chunk and trailers");
        }
    }
}
