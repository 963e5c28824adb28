package dev.mockstorage.internal.http;

import dev.mockstorage.internal.error.ErrorCode;
import dev.mockstorage.internal.error.StorageException;
import dev.mockstorage.internal.threads.SharedThreads;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.util.Objects;
import java.util.function.Function;

/**
 * The HTTP/1.1 server, with threads and memory bounded whatever the clients do. One dispatcher
 * thread accepts connections and holds every connection that is waiting for a request (idle keep-alive
 * connections, heads still arriving); a connection gets a worker thread (at most
 * {@link ConnectionLimits#maxWorkers()}) only once its request head is complete, and keeps it while the request
 * is served, then goes back to the dispatcher. At most {@link ConnectionLimits#maxConnections()} connections are
 * open; one more is answered {@code 503 SlowDown} and closed. A head that is not complete within
 * {@link ConnectionLimits#headTimeout()} and a connection idle for {@link ConnectionLimits#idleTimeout()} are closed; while
 * a request is served, the idle timeout applies between body bytes. TCP_NODELAY, bound to exactly the
 * given host. Each request goes to the {@link HttpHandler} as an {@link HttpRequest}; whatever the client
 * sends, the handler is called and the client gets an answer (a bare 500 with {@code Connection: close}
 * if the handler throws).
 *
 * <pre>{@code
 * HttpServer server = new HttpServer("127.0.0.1", 0, request -> HttpResponse.status(200));
 * server.start();
 * int port = server.port();
 * server.stop();
 * }</pre>
 */
public final class HttpServer {
    /**
     * After an answer a worker waits this long for the client's next request before handing the
     * connection back to the dispatcher: a client sending requests back to back (or nearly) then costs no
     * hand-over, which is two thread switches and a handful of system calls; one that pauses longer does
     * not notice the hand-over. Only while at most half the workers are busy, so waiting never keeps a
     * ready request from a worker.
     */
    static final int KEEP_WORKER_MS = 50;

    private final String host;
    private final int requestedPort;
    private final HttpHandler handler;
    private final ConnectionLimits limits;
    private final Function<StorageException, HttpResponse> errors;
    private final int idleMillis;
    private volatile ServerSocketChannel serverChannel;
    private Dispatcher dispatcher;
    private Workers workers;
    private SharedThreads.Loop dispatcherThread;

    /**
     * @param host    the address to bind, e.g. {@code 127.0.0.1} or {@code 0.0.0.0}
     * @param port    the port, or 0 for an ephemeral one (see {@link #port()})
     * @param handler called for every request, on a worker thread
     */
    public HttpServer(String host, int port, HttpHandler handler) {
        this(
                host,
                port,
                handler,
                ConnectionLimits.DEFAULTS,
                e -> HttpResponse.status(e.code().status())
                        .body(e.code().name() + ": " + e.getMessage(), "text/plain"));
    }

    /**
     * @param limits the connection limit, worker threads and timeouts
     * @param errors renders the answer to a refused connection ({@code SlowDown}) in the API's error format
     */
    public HttpServer(
            String host,
            int port,
            HttpHandler handler,
            ConnectionLimits limits,
            Function<StorageException, HttpResponse> errors) {
        this.host = Objects.requireNonNull(host, "host");
        this.requestedPort = port;
        this.handler = Objects.requireNonNull(handler, "handler");
        this.limits = Objects.requireNonNull(limits, "limits");
        this.errors = Objects.requireNonNull(errors, "errors");
        this.idleMillis = (int) limits.idleTimeout().toMillis();
    }

    /**
     * Binds the address (in the calling thread, so a {@code BindException} surfaces here) without
     * accepting: clients that connect now wait in the listen backlog, unanswered, until {@link #start()}.
     * Lets the server claim its port before it sets anything else up. Does nothing when bound already.
     *
     * @throws IOException when the address cannot be bound (e.g. {@code BindException})
     */
    public synchronized void bind() throws IOException {
        if (serverChannel != null) {
            return;
        }
        ServerSocketChannel channel = ServerSocketChannel.open();
        try {
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            // a burst of clients (a test suite's pools opening at once) waits in the backlog, not in SYN retries
            channel.bind(new InetSocketAddress(host, requestedPort), 1024);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        serverChannel = channel;
    }

    /**
     * Binds (unless {@link #bind()} did) and starts accepting.
     *
     * @throws IOException when the address cannot be bound (e.g. {@code BindException})
     */
    public synchronized void start() throws IOException {
        if (dispatcherThread != null) {
            throw new IllegalStateException("already started on port " + port());
        }
        bind();
        ServerSocketChannel channel = serverChannel;
        String name = "mock-storage-http-" + channel.socket().getLocalPort();
        workers = new Workers(limits.maxWorkers(), name + "-worker");
        dispatcher = new Dispatcher(channel, limits, workers, this::serve, this::refusal);
        dispatcherThread = SharedThreads.start(name, dispatcher);
    }

    /** The bound port (the real one when bound with port 0); -1 before {@link #bind()} or {@link #start()}. */
    public int port() {
        ServerSocketChannel channel = serverChannel;
        return channel == null ? -1 : channel.socket().getLocalPort();
    }

    /** Connections open now (waiting for a request, being served, or being closed). */
    public int openConnections() {
        Dispatcher d = dispatcher;
        return d == null ? 0 : d.openConnections();
    }

    /** Connections refused ({@code 503 SlowDown}) since start because the limit was reached. */
    public long refusedConnections() {
        Dispatcher d = dispatcher;
        return d == null ? 0 : d.refusedConnections();
    }

    /** Connections closed since start because their request head took longer than the head timeout. */
    public long headTimeouts() {
        Dispatcher d = dispatcher;
        return d == null ? 0 : d.headTimeouts();
    }

    /** Threads serving requests now (the dispatcher thread not counted). */
    public int workerThreads() {
        Workers w = workers;
        return w == null ? 0 : w.threads();
    }

    public ConnectionLimits limits() {
        return limits;
    }

    /** Closes the listening socket and every open connection. Idempotent; safe before or after only {@link #bind()}. */
    public synchronized void stop() {
        ServerSocketChannel channel = serverChannel;
        if (channel == null || !channel.isOpen()) {
            return;
        }
        if (dispatcherThread == null) { // bound, never accepted
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing anyway
            }
            return;
        }
        dispatcher.stop();
        try {
            dispatcherThread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        workers.stop();
    }

    /**
     * On a worker: answers requests while their heads are complete in the buffer (pipelined) or arrive
     * within {@link #KEEP_WORKER_MS}, then gives the connection back to the dispatcher; closes it when
     * the client goes away, a response closes it, or the socket fails.
     */
    private void serve(Connection connection) {
        try {
            connection.input().workingBuffer();
            connection.channel().socket().setSoTimeout(idleMillis);
            OutputStream out = connection.output();
            while (true) {
                if (!connection.nextRequest()) {
                    dispatcher.closeNow(connection);
                    return;
                }
                RawResponse response;
                try {
                    response = Exchange.run(connection, handler);
                } catch (Throwable t) {
                    response = RawResponse.internalError(connection);
                }
                response.send(out);
                if (response.isCloseConnection()) {
                    dispatcher.giveBack(connection); // drained a little, then closed
                    return;
                }
                if (connection.input().headReady()) {
                    continue; // pipelined
                }
                if (workers.busy() * 2 <= workers.max()
                        && connection.awaitBytes(KEEP_WORKER_MS, idleMillis)
                        && connection.input().headReady()) {
                    continue;
                }
                dispatcher.giveBack(connection);
                return;
            }
        } catch (IOException | RuntimeException e) {
            // the client went away, broke off mid-head or idled past the timeout: close
            dispatcher.closeNow(connection);
        }
    }

    /** The bytes answering a refused connection: the API's SlowDown error, closing the connection. */
    private byte[] refusal() {
        HttpResponse response = errors.apply(new StorageException(
                ErrorCode.SlowDown,
                "The server has " + limits.maxConnections() + " open connections, the most it accepts; "
                        + "close idle connections or retry later"));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
        new RawResponse(response, false, true, null).send(bytes);
        return bytes.toByteArray();
    }
}
