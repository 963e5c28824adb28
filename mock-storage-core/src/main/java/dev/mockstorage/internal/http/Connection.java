package dev.mockstorage.internal.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * One client connection. This class, not NanoHTTPD, reads the client's bytes: for every request it
 * reads the real head itself ({@link RequestHead#read}) and feeds NanoHTTPD a fixed, harmless
 * {@code GET / HTTP/1.1} head instead ({@link #nanoFeed()}), so NanoHTTPD's parser can never choke
 * (bad {@code %} escapes, unknown methods, oversized heads) and never buffers body bytes. NanoHTTPD
 * then just calls {@code serve()}, which answers from {@link #currentHead()} and reads the body from
 * {@link #input()}.
 */
final class Connection {
    private static final byte[] SYNTHETIC_HEAD = "GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final long LINGER_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final long LINGER_BYTES = 16L * 1024 * 1024;

    private final Socket socket;
    private final ConnectionInput input;
    private final InputStream feed = new HeadFeed();
    private RequestHead head;

    Connection(Socket socket, InputStream socketInput) {
        this.socket = socket;
        this.input = new ConnectionInput(socketInput);
    }

    /** What NanoHTTPD reads: one synthetic head per real request, read from the client on demand. */
    InputStream nanoFeed() {
        return feed;
    }

    /** The head of the request being served. */
    RequestHead currentHead() {
        return head;
    }

    /** The client's bytes after the current head. */
    ConnectionInput input() {
        return input;
    }

    String remoteAddress() {
        return socket.getInetAddress() == null ? null : socket.getInetAddress().getHostAddress();
    }

    /** Writes the interim {@code 100 Continue} straight to the socket. */
    void sendContinue() throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(CONTINUE);
        out.flush();
    }

    /**
     * Before a connection is closed after its last response: half-close, then read and discard what
     * the client still sends (at most 2 s or 16 MiB), so closing with unread data does not reset the
     * connection and destroy the response before the client has read it.
     */
    void lingerBeforeClose() {
        try {
            socket.shutdownOutput();
            long deadline = System.nanoTime() + LINGER_NANOS;
            long budget = LINGER_BYTES;
            byte[] buf = new byte[8192];
            while (budget > 0) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    return;
                }
                socket.setSoTimeout((int) left);
                int n = input.read(buf, 0, buf.length);
                if (n < 0) {
                    return;
                }
                budget -= n;
            }
        } catch (IOException e) {
            // the peer is gone or too slow: the socket is closed next anyway
        }
    }

    private final class HeadFeed extends InputStream {
        private int pos = SYNTHETIC_HEAD.length;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (pos == SYNTHETIC_HEAD.length) {
                head = RequestHead.read(input);
                if (head == null) {
                    return -1;
                }
                pos = 0;
            }
            int n = Math.min(len, SYNTHETIC_HEAD.length - pos);
            System.arraycopy(SYNTHETIC_HEAD, pos, b, off, n);
            pos += n;
            return n;
        }

        /** Only the rest of the synthetic head, so NanoHTTPD never asks for more than one head. */
        @Override
        public int available() {
            return SYNTHETIC_HEAD.length - pos;
        }

        @Override
        public void close() throws IOException {
            input.close();
        }
    }
}
