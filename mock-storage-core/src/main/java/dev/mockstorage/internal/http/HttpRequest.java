package dev.mockstorage.internal.http;

import dev.mockstorage.internal.error.StorageException;
import java.io.InputStream;
import java.util.AbstractMap;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One HTTP request, in the server's own terms.
 *
 * <p>The path and query are the raw ones from the request line (NanoHTTPD's decoded and possibly
 * stale values are never used). {@link #body()} is the decoded payload: framing
 * ({@code Content-Length} or {@code Transfer-Encoding: chunked}) and {@code aws-chunked} content
 * encoding are already removed. The first read of the body sends {@code 100 Continue} when the client
 * asked for it, so a handler that rejects a request before reading its body never invites it.
 */
public final class HttpRequest {
    private final String method;
    private final String rawPath;
    private final String rawQuery;
    private final Map<String, String> headers;
    private final List<Map.Entry<String, String>> queryParameters;
    private final BodySource body;
    private final String remoteAddress;
    private final StorageException problem;
    /** set once a verifier watches the body */
    private boolean bodyVerified;

    /** Where the body comes from, with the facts the adapter learned while decoding it. */
    public interface BodySource {
        /** The decoded body; reading it first sends 100 Continue if the client expects it. */
        InputStream stream();

        /** Decoded length when known before reading (x-amz-decoded-content-length or Content-Length), else -1. */
        long declaredLength();

        /** Trailing headers (aws-chunked trailer, chunked trailer), lower-case names; complete once the body was read to its end. */
        Map<String, String> trailers();

        /** Decoded body bytes the handler has read so far (for observation). */
        default long bytesRead() {
            return 0;
        }

        /** Installs a verifier that sees the body as it is read (see {@link BodyVerifier}); before the first read. */
        default void verify(BodyVerifier verifier) {
            throw new UnsupportedOperationException("this request body cannot be verified");
        }
    }

    public HttpRequest(
            String method,
            String rawPath,
            String rawQuery,
            Map<String, String> headers,
            List<Map.Entry<String, String>> queryParameters,
            BodySource body,
            String remoteAddress,
            StorageException problem) {
        this.method = Objects.requireNonNull(method);
        this.rawPath = Objects.requireNonNull(rawPath);
        this.rawQuery = rawQuery;
        this.headers = Collections.unmodifiableMap(headers);
        this.queryParameters = List.copyOf(queryParameters);
        this.body = body;
        this.remoteAddress = remoteAddress;
        this.problem = problem;
    }

    /** Upper-case method as sent, e.g. {@code GET}. */
    public String method() {
        return method;
    }

    /** The path exactly as on the request line, still percent-encoded, without the query. */
    public String rawPath() {
        return rawPath;
    }

    /** The query exactly as on the request line (without '?'), or null when there was none. */
    public String rawQuery() {
        return rawQuery;
    }

    /** Request headers; names lower-case. */
    public Map<String, String> headers() {
        return headers;
    }

    /** The value of a header (name in any case), or null. */
    public String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    /** Query parameters in order, names and values percent-decoded ({@code +} is kept as {@code +}); {@code ?x} gives ("x", ""). */
    public List<Map.Entry<String, String>> queryParameters() {
        return queryParameters;
    }

    /** The first value of a query parameter, or null when absent. */
    public String queryParameter(String name) {
        for (Map.Entry<String, String> e : queryParameters) {
            if (e.getKey().equals(name)) {
                return e.getValue();
            }
        }
        return null;
    }

    public boolean hasQueryParameter(String name) {
        return queryParameter(name) != null;
    }

    /** The decoded request body. Never null (empty for bodiless requests). */
    public InputStream body() {
        return body.stream();
    }

    /**
     * Has {@code verifier} watch the body while the handler reads it; it may fail a read (and so the
     * request). Must be called before the body is first read.
     */
    public void verifyBody(BodyVerifier verifier) {
        body.verify(Objects.requireNonNull(verifier, "verifier"));
        bodyVerified = true;
    }

    /**
     * True when a {@link BodyVerifier} checks the body against what the request declared (its signed
     * payload hash or chunk signatures): a handler need not hash the body for the same check again.
     */
    public boolean bodyVerified() {
        return bodyVerified;
    }

    /** Decoded body length when the request declared it, else -1. */
    public long declaredBodyLength() {
        return body.declaredLength();
    }

    /** Trailers sent after the body (complete once the body was read to its end). */
    public Map<String, String> trailers() {
        return body.trailers();
    }

    /** Decoded body bytes read so far; after the response was written, the request's bytes in. */
    public long bodyBytesRead() {
        return body.bytesRead();
    }

    public String remoteAddress() {
        return remoteAddress;
    }

    /**
     * Non-null when the adapter could not make sense of the request (for example an oversized header
     * block); the handler should answer with this error. The adapter closes the connection afterwards.
     */
    public StorageException problem() {
        return problem;
    }

    public static Map.Entry<String, String> param(String name, String value) {
        return new AbstractMap.SimpleImmutableEntry<>(name, value);
    }

    @Override
    public String toString() {
        return method + " " + rawPath + (rawQuery == null ? "" : "?" + rawQuery);
    }
}
