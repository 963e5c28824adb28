package dev.mockstorage.internal.http;

import dev.mockstorage.internal.error.ErrorCode;
import dev.mockstorage.internal.error.StorageException;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The body of one request: picks the framing ({@code Content-Length} or
 * {@code Transfer-Encoding: chunked}), adds the {@code aws-chunked} decoder when the request says so
 * ({@code x-amz-content-sha256: STREAMING-...} or {@code x-amz-decoded-content-length}),
 * sends {@code 100 Continue} on the first read when the client waits for it, and afterwards decides
 * whether the connection can carry another request ({@link #finish()}).
 */
final class BodyReader implements HttpRequest.BodySource {
    /** Unread body bytes beyond this are not drained; the connection is closed instead. */
    static final long DRAIN_LIMIT = 64 * 1024;

    private final Connection connection;
    private final boolean expectsContinue;
    private final BoundedInputStream bounded; // Content-Length framing, or null
    private final ChunkedInputStream chunked; // Transfer-Encoding: chunked, or null
    private final AwsChunkedInputStream aws; // aws-chunked content encoding, or null
    private final InputStream transport; // bounded, chunked or empty
    private final InputStream stream; // what the handler reads
    private final long declaredLength;
    private boolean continueSent;
    private boolean broken;
    private BodyVerifier verifier; // null unless a verifier was installed
    private boolean verifierEnded;
    private long bytesRead;

    private BodyReader(
            Connection connection,
            RequestHead head,
            long contentLength,
            boolean isChunked,
            boolean isAwsChunked,
            long decodedLength) {
        this.connection = connection;
        InputStream socket = new SocketSource();
        this.bounded = !isChunked && contentLength > 0 ? new BoundedInputStream(socket, contentLength) : null;
        this.chunked = isChunked ? new ChunkedInputStream(socket, "chunked") : null;
        this.transport = bounded != null ? bounded : chunked != null ? chunked : InputStream.nullInputStream();
        this.aws = isAwsChunked ? new AwsChunkedInputStream(transport, decodedLength) : null;
        this.stream = new HandlerStream(aws != null ? aws : transport);
        this.declaredLength = isAwsChunked ? decodedLength : isChunked ? -1 : contentLength;
        boolean hasBody = isChunked || contentLength > 0;
        this.expectsContinue = hasBody
                && connection != null
                && !head.line().isHttp10()
                && "100-continue".equalsIgnoreCase(head.header("expect"));
    }

    /** A body with nothing in it (bodiless requests, requests whose head had a problem). */
    static BodyReader empty(RequestHead head) {
        return new BodyReader(null, head, -1, false, false, -1);
    }

    /**
     * The body as the head announces it.
     *
     * @throws StorageException for an invalid Content-Length or x-amz-decoded-content-length
     *         (InvalidArgument), an unsupported Transfer-Encoding (NotImplemented) or both Transfer-Encoding
     *         and Content-Length (InvalidRequest: ambiguous framing)
     */
    static BodyReader open(RequestHead head, Connection connection) {
        String te = head.header("transfer-encoding");
        boolean isChunked = false;
        if (te != null) {
            if (!te.strip().equalsIgnoreCase("chunked")) {
                throw new StorageException(
                                ErrorCode.NotImplemented,
                                "Transfer-Encoding '" + te + "' is not supported (only 'chunked')")
                        .with("Header", "Transfer-Encoding");
            }
            if (head.header("content-length") != null) {
                // RFC 9112 6.1: a request with both "ought to be handled as an error": one side of a proxy
                // could frame by one header and the other by the other (request smuggling)
                throw new StorageException(
                        ErrorCode.InvalidRequest, "A request may not carry both Transfer-Encoding and Content-Length");
            }
            isChunked = true;
        }
        long contentLength = isChunked ? -1 : parseLength(head.header("content-length"), "Content-Length");
        String sha = head.header("x-amz-content-sha256");
        // the framing is what the payload hash or the decoded length announce: a Content-Encoding that merely
        // names aws-chunked (boto3 passes one through as the object's encoding) leaves a plain body plain, as on S3
        boolean isAwsChunked =
                (sha != null && sha.startsWith("STREAMING-")) || head.header("x-amz-decoded-content-length") != null;
        long decodedLength = isAwsChunked
                ? parseLength(head.header("x-amz-decoded-content-length"), "x-amz-decoded-content-length")
                : -1;
        return new BodyReader(connection, head, contentLength, isChunked, isAwsChunked, decodedLength);
    }

    @Override
    public InputStream stream() {
        return stream;
    }

    @Override
    public long declaredLength() {
        return declaredLength;
    }

    @Override
    public Map<String, String> trailers() {
        if (aws == null) {
            return chunked == null ? Map.of() : chunked.trailers();
        }
        if (chunked == null || chunked.trailers().isEmpty()) {
            return aws.trailers();
        }
        Map<String, String> both = new LinkedHashMap<>(chunked.trailers());
        both.putAll(aws.trailers());
        return both;
    }

    @Override
    public long bytesRead() {
        return bytesRead;
    }

    @Override
    public void verify(BodyVerifier v) {
        if (bytesRead > 0 || verifier != null) {
            throw new IllegalStateException("a body verifier must be installed once, before the body is read");
        }
        this.verifier = v;
        if (aws != null) {
            aws.verifier(v);
        }
    }

    /** Tells the verifier (if any) about bytes read, or about the end of the body. */
    private void verified(byte[] b, int off, int n) {
        if (n > 0) {
            verifier.data(b, off, n);
        } else if (n < 0 && !verifierEnded) {
            verifierEnded = true;
            verifier.end(trailers());
        }
    }

    /**
     * Called after the handler returned: makes sure no unread body byte can be taken for the next
     * request. Drains a small rest; returns false when the connection must be closed instead (the
     * body is large, the client still waits for a 100 Continue it never got, or the framing broke).
     */
    boolean finish() {
        if (broken) {
            return false;
        }
        if (transportDone()) {
            return true;
        }
        if (expectsContinue && !continueSent) {
            return false;
        }
        if (bounded != null && bounded.remaining() > DRAIN_LIMIT) {
            return false;
        }
        try {
            byte[] buf = new byte[8192];
            long drained = 0;
            while (drained <= DRAIN_LIMIT) {
                int n = transport.read(buf, 0, buf.length);
                if (n < 0) {
                    return true;
                }
                drained += n;
            }
            return false;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private boolean transportDone() {
        return bounded != null ? bounded.remaining() == 0 : chunked == null || chunked.finished();
    }

    private static long parseLength(String value, String header) {
        if (value == null) {
            return -1;
        }
        long result = -1;
        for (String part : value.split(",", -1)) {
            String v = part.strip();
            boolean digits = !v.isEmpty() && v.length() <= 18 && v.chars().allMatch(ch -> ch >= '0' && ch <= '9');
            if (!digits || (result >= 0 && Long.parseLong(v) != result)) {
                throw new StorageException(
                                ErrorCode.InvalidArgument, "Invalid " + header + " header value '" + value + "'")
                        .with("ArgumentName", header.toLowerCase(Locale.ROOT))
                        .with("ArgumentValue", value);
            }
            result = Long.parseLong(v);
        }
        return result;
    }

    /** The connection's bytes: sends 100 Continue before the first read, marks the body broken on errors. */
    private final class SocketSource extends InputStream {
        @Override
        public int read() throws IOException {
            beforeRead();
            return connection.input().read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            beforeRead();
            return connection.input().read(b, off, len);
        }

        private void beforeRead() throws IOException {
            if (expectsContinue && !continueSent) {
                continueSent = true;
                connection.sendContinue();
            }
        }

        @Override
        public int available() {
            return connection.input().available();
        }
    }

    /** The stream handed to the handler: closing it never touches the connection. */
    private final class HandlerStream extends InputStream {
        private final InputStream in;
        private boolean closed;

        HandlerStream(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            checkOpen();
            try {
                int b = in.read();
                if (b >= 0) {
                    bytesRead++;
                }
                if (verifier != null) {
                    verified(new byte[] {(byte) b}, 0, b < 0 ? -1 : 1);
                }
                return b;
            } catch (SocketTimeoutException e) {
                broken = true;
                throw new StorageException(
                        ErrorCode.RequestTimeout, "Timed out waiting for the rest of the request body", null, e);
            } catch (IOException | RuntimeException e) {
                broken = true;
                throw e;
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            checkOpen();
            try {
                int n = in.read(b, off, len);
                if (n > 0) {
                    bytesRead += n;
                }
                if (verifier != null) {
                    verified(b, off, n);
                }
                return n;
            } catch (SocketTimeoutException e) {
                broken = true;
                throw new StorageException(
                        ErrorCode.RequestTimeout, "Timed out waiting for the rest of the request body", null, e);
            } catch (IOException | RuntimeException e) {
                broken = true;
                throw e;
            }
        }

        @Override
        public int available() throws IOException {
            return closed ? 0 : in.available();
        }

        @Override
        public void close() {
            closed = true;
        }

        private void checkOpen() throws IOException {
            if (closed) {
                throw new IOException("request body stream is closed");
            }
        }
    }
}
