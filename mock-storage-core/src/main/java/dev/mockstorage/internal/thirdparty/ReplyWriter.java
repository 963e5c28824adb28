package dev.mockstorage.internal.thirdparty;

import dev.mockstorage.thirdparty.Fault;
import dev.mockstorage.thirdparty.Reply;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Map;

/**
 * Writes the {@link ScriptedUpstream}'s answers on the raw socket, so that faults are real: a reply's
 * status, headers and body (bytes, a file or a classpath resource), a TCP reset, a body cut short,
 * silence; and the 404 of a call no script matches. Every answer ends with the connection closed
 * ({@code Connection: close}; the caller closes the socket).
 */
final class ReplyWriter {
    private ReplyWriter() {}

    /** Answers a call no script matches: 404, saying how to add a script. */
    static void unscripted(OutputStream out, UpstreamRequest request) throws IOException {
        byte[] body = ("mock-storage: no third-party script matches " + request.method() + " " + request.target()
                        + "; add one with thirdParty().script(...) or POST /api/v1/third-party/scripts\n")
                .getBytes(StandardCharsets.UTF_8);
        writeHead(
                out,
                404,
                Map.of("Content-Type", "text/plain; charset=utf-8", "X-Mock-Storage-Unmatched", "true"),
                body.length);
        if (!request.method().equals("HEAD")) {
            out.write(body);
        }
        out.flush();
    }

    /**
     * Plays one reply (its delay already waited out).
     *
     * @param resource the reply's classpath body, resolved when it was scripted, or null
     */
    static void play(Socket socket, InputStream in, String method, Reply reply, URL resource) throws IOException {
        if (reply.fault() == Fault.CONNECTION_RESET) {
            socket.setSoLinger(true, 0); // close() now sends RST
            return;
        }
        if (reply.fault() == Fault.NO_ANSWER) {
            socket.setSoTimeout(0);
            while (in.read() >= 0) {
                // silence until the caller gives up and closes, or the upstream is closed
            }
            return;
        }
        OutputStream out = socket.getOutputStream();
        long length;
        InputStream body;
        if (reply.bodyFile() != null) {
            length = Files.size(reply.bodyFile());
            body = Files.newInputStream(reply.bodyFile());
        } else if (reply.bodyClasspath() != null) {
            URLConnection c = resource.openConnection();
            length = c.getContentLengthLong();
            body = c.getInputStream();
            if (length < 0) {
                byte[] all = body.readAllBytes();
                body.close();
                length = all.length;
                body = new ByteArrayInputStream(all);
            }
        } else {
            byte[] bytes = reply.body();
            length = bytes.length;
            body = new ByteArrayInputStream(bytes);
        }
        try (InputStream b = body) {
            boolean bodiless =
                    method.equals("HEAD") || reply.status() == 204 || reply.status() == 304 || reply.status() < 200;
            if (reply.fault() == Fault.TRUNCATED_BODY) {
                long declared = Math.max(length, 1);
                writeHead(out, reply.status(), reply.headers(), declared);
                copy(b, out, length / 2);
                out.flush();
                return;
            }
            writeHead(out, reply.status(), reply.headers(), length);
            if (!bodiless) {
                copy(b, out, length);
            }
            out.flush();
        }
    }

    private static void writeHead(OutputStream out, int status, Map<String, String> headers, long length)
            throws IOException {
        StringBuilder sb = new StringBuilder();
        sb.append("HTTP/1.1 ").append(status).append(' ').append(reason(status)).append("\r\n");
        headers.forEach((n, v) -> {
            if (!n.equalsIgnoreCase("content-length")
                    && !n.equalsIgnoreCase("connection")
                    && !n.equalsIgnoreCase("transfer-encoding")) {
                sb.append(n).append(": ").append(v).append("\r\n");
            }
        });
        sb.append("Content-Length: ").append(length).append("\r\n");
        sb.append("Connection: close\r\n\r\n");
        out.write(sb.toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    private static void copy(InputStream in, OutputStream out, long n) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long left = n;
        while (left > 0) {
            int r = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (r < 0) {
                throw new IOException("body source ended early");
            }
            out.write(buffer, 0, r);
            left -= r;
        }
    }

    private static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 204 -> "No Content";
            case 301 -> "Moved Permanently";
            case 302 -> "Found";
            case 304 -> "Not Modified";
            case 400 -> "Bad Request";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 500 -> "Internal Server Error";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            default -> "Status";
        };
    }
}
