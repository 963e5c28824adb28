package dev.mockstorage.internal.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;

/**
 * The buffered, unsynchronized byte source of one connection. Everything the client sends is read
 * through it exactly once (request heads and bodies alike), so bytes of a pipelined next request wait
 * here and are never mistaken for part of the current one. Bulk reads larger than the buffer bypass it.
 *
 * <p>Two ways in: while the connection waits for its next request the dispatcher thread gathers bytes
 * without blocking ({@link #readFrom}) until {@link #headReady()}; a worker then reads the head and
 * the body through the blocking {@link InputStream} methods. A waiting connection holds a small buffer
 * (grown only for a large head) or none at all ({@link #release()}), so thousands of idle connections
 * cost little memory.
 */
final class ConnectionInput extends InputStream {
    /** The buffer while a worker serves the connection. */
    static final int BUFFER_SIZE = 16 * 1024;
    /** The first buffer of a waiting connection: most request heads fit in it. */
    static final int HEAD_BUFFER_SIZE = 2 * 1024;

    private final InputStream in;
    private byte[] buf;
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
        if (len >= BUFFER_SIZE) {
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

    /** Before a worker reads through the blocking methods: a full-size buffer (buffered bytes kept). */
    void workingBuffer() {
        if (buf == null || buf.length < BUFFER_SIZE) {
            resize(BUFFER_SIZE);
        }
    }

    /** While the connection waits with nothing buffered: drops the buffer (the next bytes get a small one). */
    void release() {
        if (pos >= count) {
            buf = null;
            pos = 0;
            count = 0;
        } else if (buf.length > HEAD_BUFFER_SIZE && count - pos <= HEAD_BUFFER_SIZE) {
            resize(HEAD_BUFFER_SIZE);
        }
    }

    /**
     * Reads what the non-blocking {@code channel} has, without waiting: into a small buffer first,
     * grown up to {@link #BUFFER_SIZE} while a head is incomplete.
     *
     * @return bytes read, 0 when none were waiting (or the buffer is full), -1 at the end of the stream
     */
    int readFrom(ReadableByteChannel channel) throws IOException {
        if (buf == null) {
            buf = new byte[HEAD_BUFFER_SIZE];
        } else if (count == buf.length) {
            if (pos > 0) {
                resize(buf.length); // compacts
            } else if (buf.length < BUFFER_SIZE) {
                resize(Math.min(buf.length * 2, BUFFER_SIZE));
            } else {
                return 0; // full: the head is ready (too large) anyway
            }
        }
        int n = channel.read(ByteBuffer.wrap(buf, count, buf.length - count));
        if (n > 0) {
            count += n;
        }
        return n;
    }

    /**
     * Blocks until the client sends more bytes and appends them to those buffered (a worker waiting
     * briefly for the next request on a keep-alive connection).
     *
     * @return bytes read (0 when the buffer is full), -1 at the end of the stream
     */
    int readMore() throws IOException {
        workingBuffer();
        if (count == buf.length) {
            if (pos == 0) {
                return 0;
            }
            resize(buf.length);
        }
        int n = in.read(buf, count, buf.length - count);
        if (n > 0) {
            count += n;
        }
        return n;
    }

    /**
     * True when {@link RequestHead#read} can read the next head from the buffer alone: the buffer holds
     * the end of a head (a blank line after a non-blank one; blank lines before the request line are
     * skipped as {@code RequestHead} does), or more than {@link RequestHead#MAX_HEAD_BYTES} bytes, which
     * it refuses as too large without reading further.
     */
    boolean headReady() {
        int end = Math.min(count, pos + RequestHead.MAX_HEAD_BYTES);
        if (count - pos > RequestHead.MAX_HEAD_BYTES) {
            return true;
        }
        boolean started = false; // a non-blank line was seen
        int lineBytes = 0;
        for (int i = pos; i < end; i++) {
            byte c = buf[i];
            if (c == '\n') {
                boolean blank = lineBytes == 0 || (lineBytes == 1 && buf[i - 1] == '\r');
                if (blank && started) {
                    return true;
                }
                started |= !blank;
                lineBytes = 0;
            } else {
                lineBytes++;
            }
        }
        return false;
    }

    /** Bytes buffered and not yet read (the start of the next request while the connection waits). */
    boolean hasBufferedBytes() {
        return count > pos;
    }

    private void resize(int size) {
        byte[] next = new byte[Math.max(size, count - pos)];
        if (buf != null && count > pos) {
            System.arraycopy(buf, pos, next, 0, count - pos);
        }
        count = buf == null ? 0 : count - pos;
        pos = 0;
        buf = next;
    }

    private int fill() throws IOException {
        if (buf == null || buf.length < BUFFER_SIZE) {
            buf = new byte[BUFFER_SIZE];
        }
        pos = 0;
        count = 0;
        int n = in.read(buf, 0, buf.length);
        if (n > 0) {
            count = n;
        }
        return n;
    }

    @Override
    public String toString() {
        return "ConnectionInput[" + (count - pos) + " bytes buffered, buffer " + (buf == null ? 0 : buf.length) + "]";
    }
}
