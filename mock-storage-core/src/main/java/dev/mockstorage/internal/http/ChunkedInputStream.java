package dev.mockstorage.internal.http;

import dev.mockstorage.internal.error.ErrorCode;
import dev.mockstorage.internal.error.StorageException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Decodes chunk framing: {@code hex[;ext]\r\n data \r\n ... 0[;ext]\r\n (trailer\r\n)* \r\n}. This is
 * {@code Transfer-Encoding: chunked}; {@link AwsChunkedInputStream} reuses it for {@code aws-chunked}.
 * Malformed framing throws {@link ErrorCode#InvalidRequest}, a body that ends early
 * {@link ErrorCode#IncompleteBody}, from {@code read()}. Trailers are available once read returned -1.
 */
class ChunkedInputStream extends InputStream {
    /** No single chunk may announce more than S3's largest single upload. */
    static final long MAX_CHUNK_SIZE = 5L << 30;

    private static final int MAX_LINE = 4096;
    private static final int MAX_TRAILER_BYTES = 16 * 1024;

    protected final InputStream in;
    private final String label;
    private final Map<String, String> trailers = new LinkedHashMap<>();
    private long chunkRemaining;
    private long total;
    private boolean inChunk;
    private boolean started;
    private boolean finished;
    private boolean trailerLinesSeen;
    private final byte[] one = new byte[1];

    /** @param label names the encoding in error messages, e.g. {@code chunked} */
    ChunkedInputStream(InputStream in, String label) {
        this.in = in;
        this.label = label;
    }

    /** Trailers received after the last chunk (lower-case names); complete once the end was read. */
    Map<String, String> trailers() {
        return Collections.unmodifiableMap(trailers);
    }

    boolean finished() {
        return finished;
    }

    /** Decoded bytes delivered so far. */
    long total() {
        return total;
    }

    @Override
    public int read() throws IOException {
        int n;
        do {
            n = read(one, 0, 1);
        } while (n == 0);
        return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (finished) {
            return -1;
        }
        if (len == 0) {
            return 0;
        }
        if (!inChunk) {
            if (started) {
                expectCrlf();
            }
            started = true;
            long size = readChunkHeader();
            if (size == 0) {
                readTrailers();
                finished = true;
                onEnd(total);
                return -1;
            }
            chunkRemaining = size;
            inChunk = true;
        }
        int n = in.read(b, off, (int) Math.min(len, chunkRemaining));
        if (n < 0) {
            throw incomplete("ended in the middle of a chunk (" + chunkRemaining + " bytes missing)");
        }
        chunkRemaining -= n;
        total += n;
        if (chunkRemaining == 0) {
            inChunk = false;
        }
        return n;
    }

    /** Does not close the connection. */
    @Override
    public void close() {}

    /** Called with each chunk's announced size before its data is read; may reject it. */
    protected void onChunk(long size, String extensions) {}

    /** Called once the terminating chunk and trailers were read. */
    protected void onEnd(long decodedTotal) throws IOException {}

    protected final StorageException malformed(String what) {
        return new StorageException(ErrorCode.InvalidRequest, "Malformed " + label + " request body: " + what);
    }

    protected final StorageException incomplete(String what) {
        return new StorageException(ErrorCode.IncompleteBody, "The " + label + " request body " + what);
    }

    private long readChunkHeader() throws IOException {
        String line = readLine(MAX_LINE, "chunk header");
        int semi = line.indexOf(';');
        String hex = (semi < 0 ? line : line.substring(0, semi)).strip();
        String extensions = semi < 0 ? "" : line.substring(semi + 1);
        if (hex.isEmpty() || hex.length() > 16 || !isHex(hex)) {
            throw malformed("chunk size '" + abbreviate(hex) + "' is not a hexadecimal number");
        }
        long size = Long.parseUnsignedLong(hex, 16);
        if (size < 0 || size > MAX_CHUNK_SIZE) {
            throw malformed("chunk size 0x" + hex + " is larger than " + MAX_CHUNK_SIZE + " bytes");
        }
        onChunk(size, extensions);
        return size;
    }

    private void expectCrlf() throws IOException {
        int cr = in.read();
        int lf = cr < 0 ? -1 : in.read();
        if (cr < 0 || lf < 0) {
            throw incomplete("ended after a chunk's data, before its CRLF");
        }
        if (cr != '\r' || lf != '\n') {
            throw malformed("chunk data is not followed by CRLF (chunk longer than its announced size?)");
        }
    }

    private void readTrailers() throws IOException {
        int bytes = 0;
        while (true) {
            String line = readLineOrEof();
            if (line == null || line.isEmpty()) {
                return; // EOF right after the last chunk is tolerated, as is a blank line
            }
            bytes += line.length() + 2;
            if (bytes > MAX_TRAILER_BYTES) {
                throw malformed("trailer section exceeds " + MAX_TRAILER_BYTES + " bytes");
            }
            int colon = line.indexOf(':');
            if (colon <= 0 || !RawRequestLine.isToken(line.substring(0, colon))) {
                throw malformed("trailer line '" + abbreviate(line) + "' is not 'name:value'");
            }
            trailers.merge(
                    line.substring(0, colon).toLowerCase(Locale.ROOT),
                    line.substring(colon + 1).strip(),
                    (a, b) -> a + "," + b);
            trailerLinesSeen = true;
        }
    }

    /** A trailer line, or null at EOF (allowed only before the first trailer line). */
    private String readLineOrEof() throws IOException {
        int first = in.read();
        if (first < 0) {
            if (trailerLinesSeen) {
                throw incomplete("ended in its trailer section, before the final empty line");
            }
            return null;
        }
        return readLine(MAX_LINE, "trailer", first);
    }

    private String readLine(int max, String what) throws IOException {
        return readLine(max, what, in.read());
    }

    private String readLine(int max, String what, int first) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(80);
        int c = first;
        while (true) {
            if (c < 0) {
                throw incomplete("ended in the middle of a " + what + " line");
            }
            if (c == '\r') {
                int lf = in.read();
                if (lf < 0) {
                    throw incomplete("ended in the middle of a " + what + " line");
                }
                if (lf != '\n') {
                    throw malformed(what + " line has a CR not followed by LF");
                }
                return line.toString(StandardCharsets.ISO_8859_1);
            }
            if (c == '\n') {
                throw malformed(what + " line ends with LF instead of CRLF");
            }
            if (line.size() >= max) {
                throw malformed(what + " line is longer than " + max + " bytes");
            }
            line.write(c);
            c = in.read();
        }
    }

    private static boolean isHex(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
                return false;
            }
        }
        return true;
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
