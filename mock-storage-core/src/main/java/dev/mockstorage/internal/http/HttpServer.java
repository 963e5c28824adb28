package dev.mockstorage.internal.http;

import fi.iki.elonen.NanoHTTPD;

import java.io.IOException;
import java.io.InputStream;
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

    /**
     * @param host    the address to bind, e.g. {@code 127.0.0.1} or {@code 0.0.0.0}
     * @param port    the port, or 0 for an ephemeral one (see {@link #port()})
     * @param handler called for every request, on the connection's thread
     */
    public HttpServer(String host, int port, HttpHandler handler) {
        this.nano = new Nano(Objects.requireNonNull(host, "host"), port, Objects.requireNonNull(handler, "handler"));
    }

    /**
     * Binds and starts accepting; returns once the socket is bound.
     *
     * @throws IOException when the address cannot be bound (e.g. {@code BindException})
     */
    public void start() throws IOException {
        if (nano.isAlive()) {
            throw new IllegalStateException("already started on port " + port());
        }
        nano.start(SOCKET_TIMEOUT_MS, true);
    }

    /** The bound port (the real one when started with port 0); -1 before {@link #start()}. */
    public int port() {
        return nano.getListeningPort();
    }

    /** Closes the listening socket and every open connection. Idempotent; safe before start. */
    public void stop() {
        nano.stop();
    }

    private static final class Nano extends NanoHTTPD {
        private final HttpHandler handler;
        private final ThreadLocal<Connection> current = new ThreadLocal<>();

        Nano(String host, int port, HttpHandler handler) {
            super(host, port);
            this.handler = handler;
        }

        @Override
        protected ClientHandler createClientHandler(Socket socket, InputStream socketInput) {
            try {
                socket.setTcpNoDelay(true);
            } catch (SocketException ignored) {
                // a socket that cannot take options fails on first use anyway
            }
            Connection connection = new Connection(socket, socketInput);
            return new ClientHandler(connection.nanoFeed(), socket) {
                @Override
                public void run() {
                    current.set(connection);
                    try {
                        super.run();
                    } finally {
                        current.remove();
                    }
                }
            };
        }

        @Override
        protected boolean useGzipWhenAccepted(Response response) {
            return false;
        }

        @Override
        public Response serve(IHTTPSession session) {
            Connection connection = current.get();
            try {
                return Exchange.run(connection, handler);
            } catch (Throwable t) {
                return RawResponse.internalError(connection);
            }
        }
    }
}
