package dev.mockstorage.internal.http;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.function.LongConsumer;

/**
 * One HTTP response, in the server's own terms. Headers are ordered and may repeat; the adapter
 * writes {@code Content-Length}, {@code Date} and {@code Connection} itself (never add them here).
 * A body of known length is sent with Content-Length; length -1 means chunked transfer.
 * For HEAD requests and 204/304 no body is written whatever is set here.
 */
public final class HttpResponse {
    private static final byte[] EMPTY = new byte[0];

    /** Attribute: the API operation name the handler served, e.g. {@code PutObject} (String). */
    public static final String ATTR_OPERATION = "operation";
    /** Attribute: the error code of an error answer, e.g. {@code NoSuchKey} (String). */
    public static final String ATTR_ERROR = "error";
    /** Attribute: the decoded bucket name the request addressed (String). */
    public static final String ATTR_BUCKET = "bucket";
    /** Attribute: the decoded object key the request addressed (String). */
    public static final String ATTR_KEY = "key";
    /** Attribute: the request id the answer carries (String). */
    public static final String ATTR_REQUEST_ID = "request-id";

    private final int status;
    private final List<String[]> headers = new ArrayList<>();
    private InputStream body = new ByteArrayInputStream(EMPTY);
    private long length;
    private boolean closeConnection;
    // observation hooks (never written to the wire): see attribute() and onComplete()
    private Object[] attributes;
    private int attributeCount;
    private LongConsumer completion;

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

    // ---------------------------------------------------------------- observation hooks

    /**
     * Attaches a value for whoever observes the exchange (e.g. the S3 operation name or error code);
     * never written to the wire. A later value of the same name wins. Null values are ignored.
     */
    public HttpResponse attribute(String name, Object value) {
        if (value == null) {
            return this;
        }
        if (attributes == null) {
            attributes = new Object[8];
        }
        for (int i = 0; i < attributeCount; i += 2) {
            if (attributes[i].equals(name)) {
                attributes[i + 1] = value;
                return this;
            }
        }
        if (attributeCount == attributes.length) {
            attributes = Arrays.copyOf(attributes, attributes.length * 2);
        }
        attributes[attributeCount++] = name;
        attributes[attributeCount++] = value;
        return this;
    }

    /** The value attached with {@link #attribute(String, Object)}, or null. */
    public Object attribute(String name) {
        for (int i = 0; i < attributeCount; i += 2) {
            if (attributes[i].equals(name)) {
                return attributes[i + 1];
            }
        }
        return null;
    }

    /**
     * Called once by the adapter when the response has been written, on the connection's thread,
     * with the number of body bytes written: after the last body byte went into the connection's
     * buffer and before that buffer's final flush, so a client that received the whole response can
     * rely on the listener having run. Also called (with the bytes so far) when writing failed.
     * A second call replaces the listener; use one observer per server.
     */
    public HttpResponse onComplete(LongConsumer bodyBytesWritten) {
        this.completion = bodyBytesWritten;
        return this;
    }

    /** Runs the completion listener, if any; listener failures are swallowed (the response is gone). */
    void completed(long bodyBytesWritten) {
        LongConsumer c = completion;
        if (c != null) {
            completion = null;
            try {
                c.accept(bodyBytesWritten);
            } catch (RuntimeException e) {
                // an observer's bug must not break the connection
            }
        }
    }

    @Override
    public String toString() {
        return "HttpResponse " + status + " "
                + String.join(
                        ", ",
                        headers.stream()
                                .map(h -> h[0].toLowerCase(Locale.ROOT) + ": " + h[1])
                                .toList());
    }
}
