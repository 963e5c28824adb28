package dev.mockstorage.internal.http;

import dev.mockstorage.internal.clock.HttpDate;
import fi.iki.elonen.NanoHTTPD;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes an {@link HttpResponse} byte for byte in place of NanoHTTPD's own {@code send()}: status line
 * without trailing space, headers in order (their bytes: {@link #encode}), {@code Date},
 * {@code Content-Length} (never on 204/304; announced but without body for HEAD),
 * {@code Transfer-Encoding: chunked} for unknown lengths, {@code Connection: close} when closing, and
 * the head plus a small body in one write. The body stream is always closed.
 */
final class RawResponse extends NanoHTTPD.Response {
    static final int BUFFER_SIZE = 64 * 1024;

    private static volatile CachedDate lastDate;

    private final HttpResponse response;
    private final boolean headRequest;
    private final Connection connection;
    private boolean close;

    /**
     * @param headRequest true when answering HEAD: the length is announced, no body is written
     * @param close       close the connection after this response
     */
    RawResponse(HttpResponse response, boolean headRequest, boolean close, Connection connection) {
        super(status(response.status()), null, response.bodyStream(), response.length());
        this.response = response;
        this.headRequest = headRequest;
        this.connection = connection;
        this.close = close;
        closeConnection(close);
    }

    /** A bare 500 that closes the connection, for failures outside the handler's control. */
    static RawResponse internalError(Connection connection) {
        return new RawResponse(HttpResponse.status(500), false, true, connection);
    }

    @Override
    protected void send(OutputStream socketOut) {
        int code = response.status();
        long length = response.bodyStream() == null ? 0 : response.length();
        boolean noBody = headRequest || code == 204 || code == 304 || code < 200;
        InputStream data = getData();
        long written = 0;
        boolean reported = false;
        try {
            // head and a small body in one write; a small answer needs no 64 KiB buffer (allocated per response)
            int size = noBody || length < 0 ? BUFFER_SIZE : (int) Math.min(BUFFER_SIZE, length + 2048);
            OutputStream out = new BufferedOutputStream(socketOut, size);
            out.write(encode(head(code, length, noBody)));
            if (!noBody) {
                if (length >= 0) {
                    copyExactly(data, out, length);
                    written = length;
                } else {
                    written = copyChunked(data, out);
                }
            }
            // observers run before the last flush: a client that has the whole response can rely
            // on the request being journaled (the final bytes are still in our buffer until now)
            reported = true;
            response.completed(written);
            out.flush();
        } catch (IOException | RuntimeException e) {
            close = true; // the client got a broken response or is gone
            closeConnection(true);
        } finally {
            try {
                data.close();
            } catch (IOException | RuntimeException ignored) {
                // nothing left to do for this response
            }
        }
        if (!reported) {
            response.completed(written);
        }
        if (close && connection != null) {
            connection.lingerBeforeClose();
        }
    }

    private String head(int code, long length, boolean noBody) {
        StringBuilder h = new StringBuilder(512);
        h.append("HTTP/1.1 ").append(code).append(' ').append(reason(code)).append("\r\n");
        boolean hasDate = false;
        for (String[] header : response.headers()) {
            String name = header[0];
            if (name.equalsIgnoreCase("content-length")
                    || name.equalsIgnoreCase("transfer-encoding")
                    || name.equalsIgnoreCase("connection")) {
                continue;
            }
            hasDate |= name.equalsIgnoreCase("date");
            h.append(clean(name)).append(": ").append(clean(header[1])).append("\r\n");
        }
        if (!hasDate) {
            h.append("Date: ").append(httpDate()).append("\r\n");
        }
        if (code != 204 && code != 304 && code >= 200) {
            if (length >= 0) {
                h.append("Content-Length: ").append(length).append("\r\n");
            } else if (!noBody) {
                h.append("Transfer-Encoding: chunked\r\n");
            }
        }
        if (close) {
            h.append("Connection: close\r\n");
        }
        return h.append("\r\n").toString();
    }

    /**
     * The head's bytes: ISO-8859-1, one byte per character, the charset HTTP clients read header values in
     * (the SDK's Apache client, Python's http.client and so boto3 and the AWS CLI), so a value such as
     * {@code café} reaches them as it was sent. A header line with a character beyond ISO-8859-1 (which
     * those clients cannot show either way) is written as UTF-8, as curl and browsers send it.
     */
    static byte[] encode(String head) {
        for (int i = 0; i < head.length(); i++) {
            if (head.charAt(i) > 0xFF) {
                return encodeLines(head);
            }
        }
        return head.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] encodeLines(String head) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(head.length() * 2);
        for (String line : head.split("\r\n", -1)) {
            boolean latin1 = line.chars().allMatch(c -> c <= 0xFF);
            out.writeBytes(line.getBytes(latin1 ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8));
            out.write('\r');
            out.write('\n');
        }
        byte[] bytes = out.toByteArray();
        return Arrays.copyOf(bytes, bytes.length - 2); // the split's last piece had no CRLF after it
    }

    /** The current time as an HTTP date; formatted once per second, not once per response. */
    static String httpDate() {
        long second = System.currentTimeMillis() / 1000;
        CachedDate cached = lastDate;
        if (cached == null || cached.second() != second) {
            cached = new CachedDate(second, HttpDate.format(second));
            lastDate = cached;
        }
        return cached.text();
    }

    private record CachedDate(long second, String text) {}

    private static void copyExactly(InputStream in, OutputStream out, long length) throws IOException {
        byte[] buf = new byte[(int) Math.max(1, Math.min(length, BUFFER_SIZE / 2))];
        long left = length;
        while (left > 0) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (n < 0) {
                throw new IOException("response body ended after " + (length - left) + " of " + length + " bytes");
            }
            out.write(buf, 0, n);
            left -= n;
        }
    }

    private static long copyChunked(InputStream in, OutputStream out) throws IOException {
        byte[] buf = new byte[BUFFER_SIZE / 2];
        int n;
        long total = 0;
        while ((n = in.read(buf)) >= 0) {
            if (n > 0) {
                total += n;
                out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(buf, 0, n);
                out.write('\r');
                out.write('\n');
            }
        }
        out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        return total;
    }

    /** Header text cannot contain line breaks (they would inject headers). */
    private static String clean(String s) {
        return s.indexOf('\r') < 0 && s.indexOf('\n') < 0 && s.indexOf('\0') < 0
                ? s
                : s.replace('\r', ' ').replace('\n', ' ').replace('\0', ' ');
    }

    static String reason(int code) {
        switch (code) {
            case 100:
                return "Continue";
            case 200:
                return "OK";
            case 201:
                return "Created";
            case 202:
                return "Accepted";
            case 204:
                return "No Content";
            case 206:
                return "Partial Content";
            case 301:
                return "Moved Permanently";
            case 302:
                return "Found";
            case 303:
                return "See Other";
            case 304:
                return "Not Modified";
            case 307:
                return "Temporary Redirect";
            case 400:
                return "Bad Request";
            case 401:
                return "Unauthorized";
            case 403:
                return "Forbidden";
            case 404:
                return "Not Found";
            case 405:
                return "Method Not Allowed";
            case 408:
                return "Request Timeout";
            case 409:
                return "Conflict";
            case 411:
                return "Length Required";
            case 412:
                return "Precondition Failed";
            case 413:
                return "Content Too Large";
            case 414:
                return "URI Too Long";
            case 416:
                return "Range Not Satisfiable";
            case 417:
                return "Expectation Failed";
            case 429:
                return "Too Many Requests";
            case 431:
                return "Request Header Fields Too Large";
            case 500:
                return "Internal Server Error";
            case 501:
                return "Not Implemented";
            case 502:
                return "Bad Gateway";
            case 503:
                return "Service Unavailable";
            case 504:
                return "Gateway Timeout";
            default:
                return code < 200
                        ? "Informational"
                        : code < 300
                                ? "Success"
                                : code < 400 ? "Redirection" : code < 500 ? "Client Error" : "Server Error";
        }
    }

    private static NanoHTTPD.Response.IStatus status(int code) {
        String description = code + " " + reason(code);
        return new NanoHTTPD.Response.IStatus() {
            @Override
            public String getDescription() {
                return description;
            }

            @Override
            public int getRequestStatus() {
                return code;
            }
        };
    }
}
