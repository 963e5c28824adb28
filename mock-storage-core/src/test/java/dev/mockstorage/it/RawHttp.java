package dev.mockstorage.it;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, for requests no client library would send: raw request targets
 * ({@code /bkt/../x}), malformed bodies, lying Content-Length, half-closed connections. Every
 * request is unsigned and sent with {@code Connection: close}, so each call is one connection.
 */
final class RawHttp {

    private static final int TIMEOUT_MILLIS = 30_000;

    private final String host;
    private final int port;

    RawHttp(URI endpoint) {
        this.host = endpoint.getHost();
        this.port = endpoint.getPort();
    }

    /** Sends {@code METHOD target} with the given headers and body; adds Host, Content-Length, Connection. */
    Response send(String method, String target, Map<String, String> headers, byte[] body) {
        StringBuilder head = new StringBuilder();
        head.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
        head.append("Host: ").append(host).append(':').append(port).append("\r\n");
        headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        boolean hasLength = headers.keySet().stream().anyMatch(n -> n.equalsIgnoreCase("content-length")
                || n.equalsIgnoreCase("transfer-encoding"));
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

    Response send(String method, String target) {
        return send(method, target, Map.of(), new byte[0]);
    }

    Response get(String target) {
        return send("GET", target);
    }

    Response put(String target, Map<String, String> headers, byte[] body) {
        return send("PUT", target, headers, body);
    }

    /**
     * Writes exactly {@code bytes} (request line, headers and whatever body), then half-closes the
     * connection if asked, and reads one response (skipping {@code 100 Continue}).
     */
    Response exchange(byte[] bytes, boolean halfCloseAfterSending, boolean headRequest) {
        try (Socket socket = new Socket(host, port)) {
            socket.setSoTimeout(TIMEOUT_MILLIS);
            OutputStream out = socket.getOutputStream();
            out.write(bytes);
            out.flush();
            if (halfCloseAfterSending) {
                socket.shutdownOutput();
            }
            return read(new BufferedInputStream(socket.getInputStream()), headRequest);
        } catch (IOException e) {
            throw new UncheckedIOException("raw HTTP exchange with " + host + ":" + port + " failed", e);
        }
    }

    /** Reads one response (skipping {@code 100 Continue}) from a connection the caller keeps. */
    static Response read(InputStream in, boolean headRequest) throws IOException {
        while (true) {
            String statusLine = readLine(in);
            if (statusLine == null) {
                throw new EOFException("connection closed before any response (no status line)");
            }
            String[] parts = statusLine.split(" ", 3);
            int status = Integer.parseInt(parts[1]);
            Map<String, List<String>> headers = new LinkedHashMap<>();
            String line;
            while ((line = readLine(in)) != null && !line.isEmpty()) {
                int colon = line.indexOf(':');
                headers.computeIfAbsent(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                        .add(line.substring(colon + 1).trim());
            }
            if (status == 100) {
                continue;
            }
            byte[] body;
            String length = first(headers, "content-length");
            String te = first(headers, "transfer-encoding");
            if (headRequest || status == 204 || status == 304) {
                body = new byte[0];
            } else if (te != null && te.toLowerCase(Locale.ROOT).contains("chunked")) {
                body = readChunked(in);
            } else if (length != null) {
                body = in.readNBytes(Integer.parseInt(length));
            } else {
                body = in.readAllBytes();
            }
            return new Response(status, headers, body);
        }
    }

    private static byte[] readChunked(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = readLine(in);
            if (sizeLine == null) {
                throw new EOFException("chunked response ended early");
            }
            int semi = sizeLine.indexOf(';');
            int size = Integer.parseInt((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim(), 16);
            if (size == 0) {
                String trailer;
                while ((trailer = readLine(in)) != null && !trailer.isEmpty()) {
                    // trailers are ignored
                }
                return out.toByteArray();
            }
            out.write(in.readNBytes(size));
            readLine(in);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                break;
            }
            if (c != '\r') {
                line.write(c);
            }
        }
        if (c == -1 && line.size() == 0) {
            return null;
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    private static String first(Map<String, List<String>> headers, String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** One HTTP response; header names are lower case. */
    record Response(int status, Map<String, List<String>> headers, byte[] body) {

        String header(String name) {
            return first(headers, name.toLowerCase(Locale.ROOT));
        }

        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return "HTTP " + status + " " + headers + "\n" + bodyText();
        }
    }
}
