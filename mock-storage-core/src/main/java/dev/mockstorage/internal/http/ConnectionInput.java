package dev.mockstorage.internal.http;

import java.io.IOException;
import java.io.InputStream;

/**
 * The buffered, unsynchronized byte source of one connection. Everything the client sends is read
 * through it exactly once (request heads and bodies alike), so bytes of a pipelined next request wait
 * here and are never mistaken for part of the current one. Bulk reads larger than the buffer bypass it.
 */
final class ConnectionInput extends InputStream {
    static final int BUFFER_SIZE = 16 * 1024;

    private final InputStream in;
    private final byte[] buf = new byte[BUFFER_SIZE];
    private int pos;
    private int count;

    ConnectionInput(InputStream in) {
        this.in = in;
    }

    @Override
    public int read() throws IOException {
        if (pos >= count && fill() <= 0) {
            return -1;
        }
        return buf[pos++] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        int buffered = count - pos;
        if (buffered > 0) {
            int n = Math.min(buffered, len);
            System.arraycopy(buf, pos, b, off, n);
            pos += n;
            return n;
        }
        if (len >= buf.length) {
            return in.read(b, off, len);
        }
        if (fill() <= 0) {
            return -1;
        }
        int n = Math.min(count - pos, len);
        System.arraycopy(buf, pos, b, off, n);
        pos += n;
        return n;
    }

    /** Bytes already received and buffered; never blocks. */
    @Override
    public int available() {
        return count - pos;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    private int fill() throws IOException {
        pos = 0;
        count = 0;
        int n = in.read(buf, 0, buf.length);
        if (n > 0) {
            count = n;
        }
        return n;
    }
}
