package dev.mockstorage.internal.http;

import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * One client connection. This class, not NanoHTTPD, reads the client's bytes: for every request it
 * reads the head itself ({@link RequestHead#read}, see {@link #nextRequest()}), and the body is read
 * from {@link #input()}. NanoHTTPD's own request parser never runs (it chokes on bad {@code %}
 * escapes, unknown methods and oversized heads, buffers body bytes, and allocates some 40 KB per
 * request).
 *
 * <p>A connection is either waiting (its channel non-blocking, registered with the
 * {@link Dispatcher}, which gathers the next head's bytes) or served by one worker thread (its channel
 * blocking, the socket's read timeout the body's idle timeout). The fields below {@code state} belong
 * to the dispatcher thread.
 */
final class Connection {
    private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    /** Where a waiting connection is in its life; only the dispatcher thread reads and writes it. */
    enum State {
        /** waiting for (the rest of) a request head */
        WAITING,
        /** answered for the last time: output shut, the client's last bytes are read and dropped until it closes */
        CLOSING
    }

    private final SocketChannel channel;
    private final Socket socket;
    private final ConnectionInput input;
    private final OutputStream output;
    private RequestHead head;
    /** set by {@link #lingerBeforeClose()}: the worker hands the connection back to be drained and closed */
    private boolean lingering;

    // dispatcher thread only
    State state = State.WAITING;
    /** System.nanoTime() by which the dispatcher closes the connection if it is still waiting */
    long deadline;
    /** body bytes a closing connection may still drop before it is closed regardless */
    long drainBudget;
    /** refused at accept (beyond the connection limit): answered 503 and drained, never served */
    boolean refused;
    /** set by a worker once a request head was read; the dispatcher reads it after the connection came back */
    private boolean served;

    Connection(SocketChannel channel) throws IOException {
        this.channel = channel;
        this.socket = channel.socket();
        this.input = new ConnectionInput(socket.getInputStream());
        this.output = socket.getOutputStream();
    }

    SocketChannel channel() {
        return channel;
    }

    /**
     * Reads the next request's head. A worker calls it once {@link ConnectionInput#headReady()}, so it
     * never waits for the client.
     *
     * @return false when the client closed the connection cleanly between requests
     * @throws IOException when it broke or closed in the middle of a head
     */
    boolean nextRequest() throws IOException {
        head = RequestHead.read(input);
        served |= head != null;
        return head != null;
    }

    /** True until the first request head was read: a client that connected and never sent a request. */
    boolean neverServed() {
        return !served;
    }

    /** The head of the request being served. */
    RequestHead currentHead() {
        return head;
    }

    /** The client's bytes after the current head. */
    ConnectionInput input() {
        return input;
    }

    /** The socket's blocking output (only while a worker serves the connection). */
    OutputStream output() {
        return output;
    }

    String remoteAddress() {
        return socket.getInetAddress() == null ? null : socket.getInetAddress().getHostAddress();
    }

    /** Writes the interim {@code 100 Continue} straight to the socket. */
    void sendContinue() throws IOException {
        output.write(CONTINUE);
        output.flush();
    }

    /**
     * Waits up to {@code millis} for the client's next bytes on the blocking channel (a worker keeping
     * a busy keep-alive connection instead of parking it at once).
     *
     * @return true when bytes arrived (the head may still be incomplete), false on timeout
     * @throws IOException when the client closed or the connection broke
     */
    boolean awaitBytes(int millis, int idleTimeoutMillis) throws IOException {
        socket.setSoTimeout(millis);
        try {
            if (input.readMore() < 0) {
                throw new EOFException("client closed the connection");
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } finally {
            socket.setSoTimeout(idleTimeoutMillis);
        }
    }

    /**
     * Before a connection is closed after its last response: half-close now; the dispatcher then reads
     * and drops what the client still sends (at most 2 s or 16 MiB) before closing, so closing with
     * unread data does not reset the connection and destroy the response before the client has read it.
     */
    void lingerBeforeClose() {
        lingering = true;
        try {
            socket.shutdownOutput();
        } catch (IOException e) {
            // the peer is gone: the socket is closed next anyway
        }
    }

    /** True once the last response was written (see {@link #lingerBeforeClose()}). */
    boolean lingering() {
        return lingering;
    }

    void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public String toString() {
        return "Connection[" + socket.getRemoteSocketAddress() + ", " + input + "]";
    }
}
