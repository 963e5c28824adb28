package dev.mockstorage.internal.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * One client connection. This class, not NanoHTTPD, reads the client's bytes: for every request it
 * reads the head itself ({@link RequestHead#read}, see {@link #nextRequest()}), and the body is read
 * from {@link #input()}. NanoHTTPD's own request parser never runs (it chokes on bad {@code %}
 * escapes, unknown methods and oversized heads, buffers body bytes, and allocates some 40 KB per
 * request): {@link HttpServer} drives the request loop on the connection's thread.
 */
final class Connection {
    private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final long LINGER_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final long LINGER_BYTES = 16L * 1024 * 1024;

    private final Socket socket;
    private final ConnectionInput input;
    private RequestHead head;

    Connection(Socket socket, InputStream socketInput) {
        this.socket = socket;
        this.input = new ConnectionInput(socketInput);
    }

    /**
     * Reads the next request's head (blocking until the client sends one).
     *
     * @return false when the client closed the connection cleanly between requests
     * @throws IOException when it broke, timed out, or closed in the middle of a head
     */
    boolean nextRequest() throws IOException {
        head = RequestHead.read(input);
        return head != null;
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
}
