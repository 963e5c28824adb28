package dev.mockstorage.internal.http;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** A raw-socket HTTP/1.1 client for tests: sends exact bytes, reads responses byte-exactly. */
final class RawClient implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;

    RawClient(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(5000);
        in = new BufferedInputStream(socket.getInputStream());
    }

    RawClient send(String text) throws IOException {
        return send(text.getBytes(StandardCharsets.UTF_8));
    }

    RawClient send(byte[] bytes) throws IOException {
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
        return this;
    }

    /** Half-closes: the server sees EOF after what was sent. */
    void halfClose() throws IOException {
        socket.shutdownOutput();
    }

    /** One line without its CRLF (ISO-8859-1 view of the bytes). */
    String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) {
                throw new IOException("EOF after '" + line.toString(StandardCharsets.ISO_8859_1) + "'");
            }
            line.write(c);
        }
        byte[] b = line.toByteArray();
        int len = b.length > 0 && b[b.length - 1] == '\r' ? b.length - 1 : b.length;
        return new String(b, 0, len, StandardCharsets.UTF_8);
    }

    Response readResponse() throws IOException {
        return readResponse(false);
    }

    /** Reads status line, headers and body (none for HEAD, 1xx, 204, 304). */
    Response readResponse(boolean headRequest) throws IOException {
        String status = readLine();
        Map<String, String> headers = new LinkedHashMap<>();
        StringBuilder rawHead = new StringBuilder(status).append("\r\n");
        String line;
        while (!(line = readLine()).isEmpty()) {
            rawHead.append(line).append("\r\n");
            int colon = line.indexOf(':');
            headers.merge(line.substring(0, colon).toLowerCase(Locale.ROOT), line.substring(colon + 1).strip(),
                    (a, b) -> a + "," + b);
        }
        int code = Integer.parseInt(status.split(" ")[1]);
        byte[] body = new byte[0];
        if (!headRequest && code >= 200 && code != 204 && code != 304) {
            if (headers.containsKey("content-length")) {
                body = in.readNBytes(Integer.parseInt(headers.get("content-length")));
            } else if ("chunked".equals(headers.get("transfer-encoding"))) {
                body = readChunked();
            } else {
                body = in.readAllBytes();
            }
        }
        return new Response(status, code, headers, rawHead.toString(), body);
    }

    /** True when the server closed the connection (EOF), false if it is still open after 5 s. */
    boolean closedByPeer() throws IOException {
        try {
            return in.read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;     // reset
        }
    }

    private byte[] readChunked() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (true) {
            int size = Integer.parseInt(readLine(), 16);
            if (size == 0) {
                readLine();
                return out.toByteArray();
            }
            out.write(in.readNBytes(size));
            readLine();
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    record Response(String statusLine, int code, Map<String, String> headers, String rawHead, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }
}
