package dev.mockstorage.internal.http;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * One HTTP response, in the server's own terms. Headers are ordered and may repeat; the adapter
 * writes {@code Content-Length}, {@code Date} and {@code Connection} itself (never add them here).
 * A body of known length is sent with Content-Length; length -1 means chunked transfer.
 * For HEAD requests and 204/304 no body is written whatever is set here.
 */
public final class HttpResponse {
    private static final byte[] EMPTY = new byte[0];

    private final int status;
    private final List<String[]> headers = new ArrayList<>();
    private InputStream body = new ByteArrayInputStream(EMPTY);
    private long length;
    private boolean closeConnection;

    private HttpResponse(int status) {
        this.status = status;
    }

    public static HttpResponse status(int status) {
        return new HttpResponse(status);
    }

    public int status() {
        return status;
    }

    /** Adds a header (kept in order; repeats allowed). Null values are ignored. */
    public HttpResponse header(String name, String value) {
        if (value != null) {
            headers.add(new String[] {name, value});
        }
        return this;
    }

    /** Removes every header of that (case-insensitive) name. */
    public HttpResponse removeHeader(String name) {
        headers.removeIf(h -> h[0].equalsIgnoreCase(name));
        return this;
    }

    /** First value of a header by case-insensitive name, or null. */
    public String header(String name) {
        for (String[] h : headers) {
            if (h[0].equalsIgnoreCase(name)) {
                return h[1];
            }
        }
        return null;
    }

    public List<String[]> headers() {
        return Collections.unmodifiableList(headers);
    }

    public HttpResponse body(byte[] bytes) {
        this.body = new ByteArrayInputStream(bytes);
        this.length = bytes.length;
        return this;
    }

    public HttpResponse body(String text, String contentType) {
        header("Content-Type", contentType);
        return body(text.getBytes(StandardCharsets.UTF_8));
    }

    /** A streamed body; the adapter closes the stream. length -1 means unknown (chunked). */
    public HttpResponse body(InputStream stream, long length) {
        this.body = stream;
        this.length = length;
        return this;
    }

    /**
     * For HEAD: the Content-Length to announce without a body. The adapter sends no bytes.
     */
    public HttpResponse contentLengthOnly(long length) {
        this.body = new ByteArrayInputStream(EMPTY);
        this.length = length;
        return this;
    }

    public InputStream bodyStream() {
        return body;
    }

    public long length() {
        return length;
    }

    /** Ask the adapter to close the connection after this response. */
    public HttpResponse closeConnection() {
        this.closeConnection = true;
        return this;
    }

    public boolean closesConnection() {
        return closeConnection;
    }

    @Override
    public String toString() {
        return "HttpResponse " + status + " " + String.join(", ",
                headers.stream().map(h -> h[0].toLowerCase(Locale.ROOT) + ": " + h[1]).toList());
    }
}
