package dev.mockstorage.thirdparty;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What the scripted upstream answers to one call: a status, headers and a body (bytes, a classpath
 * resource or a file, streamed from there), optionally after a delay, or a {@link Fault} instead.
 * Immutable: every {@code with}-style method returns a new reply.
 *
 * <pre>{@code
 * Reply.status(200).body("hello").header("Content-Type", "text/plain")
 * Reply.status(503).delay(Duration.ofMillis(200))
 * Reply.fault(Fault.CONNECTION_RESET)
 * }</pre>
 *
 * <p>The upstream always sends {@code Content-Length} (the body's length) and {@code Connection: close};
 * headers set here are sent as given (a {@code Content-Length} set here is replaced).
 */
public final class Reply {
    private final int status;
    private final Map<String, String> headers;
    private final byte[] body;
    private final String bodyClasspath;
    private final Path bodyFile;
    private final Duration delay;
    private final Fault fault;

    private Reply(
            int status,
            Map<String, String> headers,
            byte[] body,
            String bodyClasspath,
            Path bodyFile,
            Duration delay,
            Fault fault) {
        if (status < 100 || status > 999) {
            throw new IllegalArgumentException("status " + status + " is not an HTTP status (100..999)");
        }
        this.status = status;
        this.headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        this.body = body;
        this.bodyClasspath = bodyClasspath;
        this.bodyFile = bodyFile;
        this.delay = Objects.requireNonNull(delay, "delay");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay " + delay + " is negative");
        }
        this.fault = fault;
    }

    /** A reply with this status, no headers and an empty body. */
    public static Reply status(int status) {
        return new Reply(status, Map.of(), new byte[0], null, null, Duration.ZERO, null);
    }

    /** 200 with this UTF-8 body. */
    public static Reply ok(String body) {
        return status(200).body(body);
    }

    /** A fault instead of an answer (see {@link Fault}); headers and body still shape {@link Fault#TRUNCATED_BODY}. */
    public static Reply fault(Fault fault) {
        return status(200).withFault(fault);
    }

    /** The same reply with another status. */
    public Reply withStatus(int status) {
        return new Reply(status, headers, body, bodyClasspath, bodyFile, delay, fault);
    }

    /** The same reply with a header added (or replaced, by exact name). */
    public Reply header(String name, String value) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
        return new Reply(status, h, body, bodyClasspath, bodyFile, delay, fault);
    }

    /** Shorthand for {@code header("Content-Type", type)}. */
    public Reply contentType(String type) {
        return header("Content-Type", type);
    }

    /** The same reply with this UTF-8 body. */
    public Reply body(String text) {
        return body(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The same reply with these body bytes (copied). */
    public Reply body(byte[] bytes) {
        return new Reply(status, headers, bytes.clone(), null, null, delay, fault);
    }

    /** The body streamed from a classpath resource (e.g. {@code fixtures/cat.jpg}), looked up when the script is added. */
    public Reply bodyFromClasspath(String resource) {
        String r = Objects.requireNonNull(resource, "resource");
        return new Reply(status, headers, null, r.startsWith("/") ? r.substring(1) : r, null, delay, fault);
    }

    /** The body streamed from a file, which must exist when the script is added. */
    public Reply bodyFromFile(Path file) {
        return new Reply(
                status,
                headers,
                null,
                null,
                Objects.requireNonNull(file, "file").toAbsolutePath(),
                delay,
                fault);
    }

    /** Waits this long after reading the request before answering (or playing the fault). */
    public Reply delay(Duration delay) {
        return new Reply(status, headers, body, bodyClasspath, bodyFile, delay, fault);
    }

    /** The same reply playing a fault (null: none). */
    public Reply withFault(Fault fault) {
        return new Reply(status, headers, body, bodyClasspath, bodyFile, delay, fault);
    }

    public int status() {
        return status;
    }

    /** Headers to send, in order. */
    public Map<String, String> headers() {
        return headers;
    }

    /** The body bytes (a copy), or null when the body comes from a classpath resource or file. */
    public byte[] body() {
        return body == null ? null : body.clone();
    }

    /** The classpath resource of the body, or null. */
    public String bodyClasspath() {
        return bodyClasspath;
    }

    /** The file of the body, or null. */
    public Path bodyFile() {
        return bodyFile;
    }

    public Duration delay() {
        return delay;
    }

    /** The fault played instead of an answer, or null. */
    public Fault fault() {
        return fault;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Reply r
                && status == r.status
                && headers.equals(r.headers)
                && Arrays.equals(body, r.body)
                && Objects.equals(bodyClasspath, r.bodyClasspath)
                && Objects.equals(bodyFile, r.bodyFile)
                && delay.equals(r.delay)
                && fault == r.fault;
    }

    @Override
    public int hashCode() {
        return Objects.hash(status, headers, Arrays.hashCode(body), bodyClasspath, bodyFile, delay, fault);
    }

    @Override
    public String toString() {
        String what = fault != null ? fault.name() : Integer.toString(status);
        String source = body != null
                ? body.length + " bytes"
                : bodyClasspath != null ? "classpath:" + bodyClasspath : "file:" + bodyFile;
        return "Reply[" + what + ", " + source + (headers.isEmpty() ? "" : ", " + headers)
                + (delay.isZero() ? "" : ", delay " + delay.toMillis() + " ms") + "]";
    }
}
