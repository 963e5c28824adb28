package dev.mockstorage.internal.http;

import dev.mockstorage.internal.error.ErrorCode;
import dev.mockstorage.internal.error.StorageException;
import java.io.IOException;
import java.io.InputStream;

/** Exactly {@code Content-Length} bytes of the connection; ending early is {@link ErrorCode#IncompleteBody}. */
final class BoundedInputStream extends InputStream {
    private final InputStream in;
    private final long length;
    private long remaining;

    BoundedInputStream(InputStream in, long length) {
        this.in = in;
        this.length = length;
        this.remaining = length;
    }

    /** Bytes of the body not yet read. */
    long remaining() {
        return remaining;
    }

    @Override
    public int read() throws IOException {
        if (remaining == 0) {
            return -1;
        }
        int c = in.read();
        if (c < 0) {
            throw endedEarly();
        }
        remaining--;
        return c;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (remaining == 0) {
            return -1;
        }
        if (len == 0) {
            return 0;
        }
        int n = in.read(b, off, (int) Math.min(len, remaining));
        if (n < 0) {
            throw endedEarly();
        }
        remaining -= n;
        return n;
    }

    private StorageException endedEarly() {
        return new StorageException(
                ErrorCode.IncompleteBody,
                "The request body ended after " + (length - remaining) + " of the " + length
                        + " bytes announced by Content-Length");
    }

    @Override
    public int available() throws IOException {
        return (int) Math.min(in.available(), remaining);
    }

    /** Does not close the connection. */
    @Override
    public void close() {}
}
