package dev.mockstorage.internal.http;

import fi.iki.elonen.NanoHTTPD;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Objects;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The HTTP/1.1 server: one thread per connection (keep-alive connections keep theirs), TCP_NODELAY,
 * 120 s socket read timeout, daemon threads, bound to exactly the given host. Each request goes to the
 * {@link HttpHandler} as an {@link HttpRequest}; whatever the client sends, the handler is called and the
 * client gets an answer (a bare 500 with {@code Connection: close} if the handler throws).
 *
 * <pre>{@code
 * HttpServer server = new HttpServer("127.0.0.1", 0, request -> HttpResponse.status(200));
 * server.start();
 * int port = server.port();
 * server.stop();
 * }</pre>
 */
public final class HttpServer {
    /** Socket read timeout: longer than clients' idle timeouts, so clients close idle connections first. */
    static final int SOCKET_TIMEOUT_MS = 120_000;

    // NanoHTTPD logs every client disconnect at SEVERE; its noise carries nothing we need. Held
    // strongly so java.util.logging keeps the level.
    private static final Logger NANO_LOG = Logger.getLogger(NanoHTTPD.class.getName());

    static {
        NANO_LOG.setLevel(Level.OFF);
    }

    private final Nano nano;
    private final String host;
    private final int requestedPort;
    private volatile ServerSocket serverSocket;
    private Thread listener;

    /**
     * @param host    the address to bind, e.g. {@code 127.0.0.1} or {@code 0.0.0.0}
     * @param port    the port, or 0 for an ephemeral one (see {@link #port()})
     * @param handler called for every request, on the connection's thread
     */
    public HttpServer(String host, int port, HttpHandler handler) {
        this.host = Objects.requireNonNull(host, "host");
        this.requestedPort = port;
        this.nano = new Nano(host, port, Objects.requireNonNull(handler, "handler"));
    }

    /**
     * Binds the address (in the calling thread, so a {@code BindException} surfaces here) without
     * accepting: clients that connect now wait in the listen backlog, unanswered, until {@link #start()}.
     * Lets the server claim its port before it sets anything else up. Does nothing when bound already.
     *
     * @throws IOException when the address cannot be bound (e.g. {@code BindException})
     */
    public synchronized void bind() throws IOException {
        if (serverSocket != null) {
            return;
        }
        ServerSocket socket = new ServerSocket();
        try {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(host, requestedPort));
        } catch (IOException e) {
            socket.close();
            throw e;
        }
        serverSocket = socket;
    }

    /**
     * Binds (unless {@link #bind()} did) and starts accepting. NanoHTTPD's own {@code start()} is not
     * used: it polls for the bind in 10 ms sleeps, which would be most of a test server's start-up time.
     *
     * @throws IOException when the address cannot be bound (e.g. {@code BindException})
     */
    public synchronized void start() throws IOException {
        if (listener != null) {
            throw new IllegalStateException("already started on port " + port());
        }
        bind();
        ServerSocket socket = serverSocket;
        listener = new Thread(() -> acceptLoop(socket), "mock-storage-http-" + socket.getLocalPort());
        listener.setDaemon(true);
        listener.start();
    }

    private void acceptLoop(ServerSocket socket) {
        while (!socket.isClosed()) {
            try {
                Socket client = socket.accept();
                client.setSoTimeout(SOCKET_TIMEOUT_MS);
                nano.serveConnection(client);
            } catch (IOException e) {
                // the listener was closed (stop) or one client's connection broke: keep accepting others
            }
        }
    }

    /** The bound port (the real one when bound with port 0); -1 before {@link #bind()} or {@link #start()}. */
    public int port() {
        ServerSocket socket = serverSocket;
        return socket == null ? -1 : socket.getLocalPort();
    }

    /** Closes the listening socket and every open connection. Idempotent; safe before or after only {@link #bind()}. */
    public synchronized void stop() {
        ServerSocket socket = serverSocket;
        if (socket == null) {
            return;
        }
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        nano.stop(); // closes every open connection
        if (listener == null) {
            return; // bound, never accepted
        }
        try {
            listener.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * NanoHTTPD's thread-per-connection runner (its threads, and {@code stop()} closing every open
     * connection); the request loop on each connection is ours: read a head, answer, repeat.
     */
    private static final class Nano extends NanoHTTPD {
        private final HttpHandler handler;

        Nano(String host, int port, HttpHandler handler) {
            super(host, port);
            this.handler = handler;
        }

        /** Runs the connection on its own thread, registered so that {@link #stop()} closes it. */
        void serveConnection(Socket socket) throws IOException {
            asyncRunner.exec(createClientHandler(socket, socket.getInputStream()));
        }

        @Override
        protected ClientHandler createClientHandler(Socket socket, InputStream socketInput) {
            try {
                socket.setTcpNoDelay(true);
            } catch (SocketException ignored) {
                // a socket that cannot take options fails on first use anyway
            }
            Connection connection = new Connection(socket, socketInput);
            return new ClientHandler(socketInput, socket) {
                @Override
                public void run() {
                    try {
                        serveRequests(socket, connection);
                    } finally {
                        close();
                        asyncRunner.closed(this);
                    }
                }
            };
        }

        /** Answers requests until the client closes, a response closes the connection, or the socket fails. */
        private void serveRequests(Socket socket, Connection connection) {
            try {
                OutputStream out = socket.getOutputStream();
                while (!socket.isClosed() && connection.nextRequest()) {
                    RawResponse response;
                    try {
                        response = Exchange.run(connection, handler);
                    } catch (Throwable t) {
                        response = RawResponse.internalError(connection);
                    }
                    response.send(out);
                    if (response.isCloseConnection()) {
                        return;
                    }
                }
            } catch (IOException | RuntimeException e) {
                // the client went away, broke off mid-head or idled past the timeout: close
            }
        }
    }
}
