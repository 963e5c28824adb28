package dev.mockstorage.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, for requests no client library would send: raw request targets
 * ({@code /bkt/../x}), malformed bodies, lying Content-Length, half-closed connections, pipelining.
 * Nothing is signed, nothing is normalised. Two ways to talk:
 *
 * <ul>
 *   <li>one request per connection ({@link #send}, {@link #get}, {@link #put}, {@link #exchange}):
 *       the answer is read after any {@code 100 Continue};
 *   <li>a connection the test drives byte by byte ({@link #open()}): what is sent is exactly what
 *       was given, and every response is read as it comes, interim {@code 1xx} ones included.
 * </ul>
 *
 * <p>Responses are read byte-exactly: a body by {@code Transfer-Encoding: chunked}, else by
 * {@code Content-Length}, else to the end of the connection; none after HEAD, {@code 1xx},
 * {@code 204} and {@code 304}. Head lines are UTF-8.
 */
public final class RawHttp {

    /** How long a read waits unless the caller says otherwise. */
    public static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final String host;
    private final int port;

    public RawHttp(URI endpoint) {
        this(endpoint.getHost(), endpoint.getPort());
    }

    public RawHttp(String host, int port) {
        this.host = host;
        this.port = port;
    }

    /**
     * Sends {@code METHOD target} with the given headers and body on a connection of its own. Adds
     * {@code Host}, {@code Content-Length} (unless a length or Transfer-Encoding header is given; only
     * when there is a body or the method is PUT or POST) and {@code Connection: close}.
     */
    public Response send(String method, String target, Map<String, String> headers, byte[] body) {
        StringBuilder head = new StringBuilder();
        head.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
        head.append("Host: ").append(host).append(':').append(port).append("\r\n");
        headers.forEach(
                (name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        boolean hasLength = headers.keySet().stream()
                .anyMatch(n -> n.equalsIgnoreCase("content-length") || n.equalsIgnoreCase("transfer-encoding"));
        if (!hasLength && (body.length > 0 || method.equals("PUT") || method.equals("POST"))) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        head.append("Connection: close\r\n\r\n");
        byte[] headBytes = head.toString().getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[headBytes.length + body.length];
        System.arraycopy(headBytes, 0, all, 0, headBytes.length);
        System.arraycopy(body, 0, all, headBytes.length, body.length);
        return exchange(all, false, method.equals("HEAD"));
    }

    /** {@link #send(String, String, Map, byte[])} without headers or body. */
    public Response send(String method, String target) {
        return send(method, target, Map.of(), new byte[0]);
    }

    public Response get(String target) {
        return send("GET", target);
    }

    public Response put(String target, Map<String, String> headers, byte[] body) {
        return send("PUT", target, headers, body);
    }

    /**
     * Writes exactly {@code bytes} (request line, headers and whatever body) on a connection of its
     * own, then half-closes it if asked, and reads one response, skipping {@code 100 Continue}.
     */
    public Response exchange(byte[] bytes, boolean halfCloseAfterSending, boolean headRequest) {
        try (Connection connection = open()) {
            connection.send(bytes);
            if (halfCloseAfterSending) {
                connection.halfClose();
            }
            Response response;
            do {
                response = connection.readResponse(headRequest);
            } while (response.status() == 100);
            return response;
        } catch (IOException e) {
            throw new UncheckedIOException("raw HTTP exchange with " + host + ":" + port + " failed", e);
        }
    }

    /** A connection that waits {@link #TIMEOUT} for each read. */
    public Connection open() throws IOException {
        return open(TIMEOUT);
    }

    /** A connection that waits {@code readTimeout} for each read. */
    public Connection open(Duration readTimeout) throws IOException {
        return new Connection(new Socket(host, port), readTimeout);
    }

    /** A connection the test drives: it sends exactly what it is given and reads what comes back. */
    public static final class Connection implements AutoCloseable {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;
        private boolean outputBroken;

        private Connection(Socket socket, Duration readTimeout) throws IOException {
            this.socket = socket;
            socket.setSoTimeout(Math.toIntExact(readTimeout.toMillis()));
            in = new BufferedInputStream(socket.getInputStream());
            out = socket.getOutputStream();
        }

        /** Sends the text as UTF-8. */
        public Connection send(String text) throws IOException {
            return send(text.getBytes(StandardCharsets.UTF_8));
        }

        public Connection send(byte[] bytes) throws IOException {
            out.write(bytes);
            out.flush();
            return this;
        }

        /** {@link #sendIfOpen(byte[])} of the text as UTF-8. */
        public void sendIfOpen(String text) {
            sendIfOpen(text.getBytes(StandardCharsets.UTF_8));
        }

        /**
         * Sends unless the server already closed: a failed write (a reset) is remembered, and
         * {@link #readUntilClosed()} then reads what the server answered before it closed.
         */
        public void sendIfOpen(byte[] bytes) {
            try {
                send(bytes);
            } catch (IOException e) {
                outputBroken = true;
            }
        }

        /** Half-closes: the server sees the end of the request bytes after what was sent. */
        public void halfClose() throws IOException {
            socket.shutdownOutput();
        }

        /** One line without its line end ({@code \n}, or {@code \r\n}); an end of stream before it fails. */
        public String readLine() throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int c;
            while ((c = in.read()) != '\n') {
                if (c < 0) {
                    throw new EOFException("EOF after '" + line.toString(StandardCharsets.ISO_8859_1) + "'");
                }
                line.write(c);
            }
            byte[] b = line.toByteArray();
            int length = b.length > 0 && b[b.length - 1] == '\r' ? b.length - 1 : b.length;
            return new String(b, 0, length, StandardCharsets.UTF_8);
        }

        /** The next response, an interim {@code 1xx} one included. */
        public Response readResponse() throws IOException {
            return readResponse(false);
        }

        /** The next response, {@code 1xx} included; after a HEAD request ({@code headRequest}) it has no body. */
        public Response readResponse(boolean headRequest) throws IOException {
            String statusLine;
            try {
                statusLine = readLine();
            } catch (EOFException e) {
                throw new EOFException("connection closed before any response (no status line): " + e.getMessage());
            }
            int status = Integer.parseInt(statusLine.split(" ", 3)[1]);
            Map<String, List<String>> headers = new LinkedHashMap<>();
            StringBuilder rawHead = new StringBuilder(statusLine).append("\r\n");
            String line;
            while (!(line = readLine()).isEmpty()) {
                rawHead.append(line).append("\r\n");
                int colon = line.indexOf(':');
                headers.computeIfAbsent(
                                line.substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                        .add(line.substring(colon + 1).trim());
            }
            byte[] body = new byte[0];
            if (!headRequest && status >= 200 && status != 204 && status != 304) {
                String length = Response.joined(headers, "content-length");
                String transferEncoding = Response.joined(headers, "transfer-encoding");
                if (transferEncoding != null
                        && transferEncoding.toLowerCase(Locale.ROOT).contains("chunked")) {
                    body = readChunked();
                } else if (length != null) {
                    body = in.readNBytes(Integer.parseInt(length));
                } else {
                    body = in.readAllBytes();
                }
            }
            return new Response(statusLine, status, headers, rawHead.toString(), body);
        }

        private byte[] readChunked() throws IOException {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            while (true) {
                String sizeLine = readLine();
                int semi = sizeLine.indexOf(';');
                int size = Integer.parseInt((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim(), 16);
                if (size == 0) {
                    while (!readLine().isEmpty()) {
                        // trailers are ignored
                    }
                    return body.toByteArray();
                }
                body.write(in.readNBytes(size));
                readLine();
            }
        }

        /**
         * True when the server closed the connection (end of stream or reset), false if it is still
         * open after the read timeout.
         */
        public boolean closedByPeer() throws IOException {
            try {
                return in.read() < 0;
            } catch (SocketTimeoutException e) {
                return false;
            } catch (IOException e) {
                return true; // reset
            }
        }

        /**
         * Half-closes (unless a write already failed), then reads everything the server sends until it
         * closes; a reset ends the reading and keeps what arrived before it.
         */
        public byte[] readUntilClosed() throws IOException {
            if (!outputBroken) {
                try {
                    socket.shutdownOutput();
                } catch (SocketException e) {
                    // the server closed first: what it answered is still readable
                }
            }
            ByteArrayOutputStream rest = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            try {
                int n;
                while ((n = in.read(buf)) > 0) {
                    rest.write(buf, 0, n);
                }
            } catch (SocketException e) {
                // reset by the server after it closed (our bytes unread): keep what arrived
            }
            return rest.toByteArray();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /**
     * One response as read. Header names are lower case; {@link #rawHead()} is the status line and
     * the header lines as they came, each ended by CRLF.
     */
    public record Response(
            String statusLine, int status, Map<String, List<String>> headers, String rawHead, byte[] body) {

        /** The header's value; the values of a repeated header joined by commas; null when absent. */
        public String header(String name) {
            return joined(headers, name.toLowerCase(Locale.ROOT));
        }

        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return "HTTP " + status + " " + headers + "\n" + bodyText();
        }

        private static String joined(Map<String, List<String>> headers, String name) {
            List<String> values = headers.get(name);
            return values == null || values.isEmpty() ? null : String.join(",", values);
        }
    }
}
