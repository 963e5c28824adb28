package dev.mockstorage.internal.http;

import dev.mockstorage.internal.error.ErrorCode;
import dev.mockstorage.internal.error.StorageException;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The request line and header block of one request, read straight from the connection (at most
 * {@value #MAX_HEAD_BYTES} bytes). A head that cannot be understood still yields a RequestHead: its
 * {@link #problem()} says what was wrong, the handler renders it and the connection is closed after.
 *
 * <p>Header names are lower-case; repeated headers are joined with {@code ,}; values are trimmed and
 * decoded as UTF-8 when valid, else ISO-8859-1 (the request line likewise).
 */
final class RequestHead {
    static final int MAX_HEAD_BYTES = 8192;

    private final RawRequestLine line;
    private final Map<String, String> headers;
    private final StorageException problem;

    private RequestHead(RawRequestLine line, Map<String, String> headers, StorageException problem) {
        this.line = line;
        this.headers = headers;
        this.problem = problem;
    }

    RawRequestLine line() {
        return line;
    }

    /** Lower-case names, in arrival order. */
    Map<String, String> headers() {
        return headers;
    }

    String header(String lowerCaseName) {
        return headers.get(lowerCaseName);
    }

    /** Why the head is unusable, or null. When set, the connection must close after the response. */
    StorageException problem() {
        return problem;
    }

    /** True when the client asked to close, or speaks HTTP/1.0. */
    boolean wantsClose() {
        return line.isHttp10() || hasToken(header("connection"), "close");
    }

    /**
     * Reads the next head. Blank lines before the request line are skipped.
     *
     * @return null when the connection ends cleanly before a request starts
     * @throws EOFException when it ends in the middle of a head
     */
    static RequestHead read(InputStream in) throws IOException {
        // one growing buffer for the whole head, split into lines as they end: no per-line streams,
        // and no per-line decoder for the (usual) pure ASCII lines
        List<String> lines = new ArrayList<>(16);
        byte[] buf = new byte[1024];
        int n = 0;
        int lineStart = 0;
        int total = 0;
        while (true) {
            int c = in.read();
            if (c < 0) {
                if (lines.isEmpty() && n == lineStart) {
                    return null;
                }
                throw new EOFException("connection closed in the middle of a request head");
            }
            if (++total > MAX_HEAD_BYTES) {
                return tooLarge(lines);
            }
            if (c != '\n') {
                if (n == buf.length) {
                    buf = Arrays.copyOf(buf, Math.min(buf.length * 2, MAX_HEAD_BYTES));
                }
                buf[n++] = (byte) c;
                continue;
            }
            int len = n - lineStart;
            if (len > 0 && buf[n - 1] == '\r') {
                len--;
            }
            if (len == 0) {
                if (lines.isEmpty()) {
                    n = lineStart; // tolerated blank line(s) before the request line
                    continue;
                }
                return parse(lines);
            }
            lines.add(text(buf, lineStart, len));
            lineStart = n;
        }
    }

    static boolean hasToken(String headerValue, String token) {
        if (headerValue == null) {
            return false;
        }
        for (String part : headerValue.split(",")) {
            if (part.trim().equalsIgnoreCase(token)) {
                return true;
            }
        }
        return false;
    }

    private static RequestHead parse(List<String> lines) {
        RawRequestLine line;
        try {
            line = RawRequestLine.parse(lines.get(0));
        } catch (StorageException e) {
            return new RequestHead(RawRequestLine.unparseable(lines.get(0)), new LinkedHashMap<>(), e);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        String last = null;
        for (int i = 1; i < lines.size(); i++) {
            String h = lines.get(i);
            if (h.charAt(0) == ' ' || h.charAt(0) == '\t') { // obsolete line folding
                if (last == null) {
                    return invalid(line, headers, "Header block starts with a continuation line");
                }
                headers.put(last, headers.get(last) + " " + h.strip());
                continue;
            }
            int colon = h.indexOf(':');
            String name = colon < 0 ? "" : h.substring(0, colon);
            if (!RawRequestLine.isToken(name)) {
                return invalid(line, headers, "Malformed header line '" + abbreviate(h) + "'");
            }
            String value = h.substring(colon + 1).strip();
            if (hasControl(value)) {
                return invalid(line, headers, "Control character in header '" + name + "'");
            }
            last = name.toLowerCase(Locale.ROOT);
            headers.merge(last, value, (a, b) -> a + "," + b);
        }
        return new RequestHead(line, headers, null);
    }

    private static RequestHead tooLarge(List<String> lines) {
        RawRequestLine line;
        try {
            line = lines.isEmpty() ? RawRequestLine.unparseable(null) : RawRequestLine.parse(lines.get(0));
        } catch (StorageException e) {
            line = RawRequestLine.unparseable(lines.get(0));
        }
        return new RequestHead(
                line,
                new LinkedHashMap<>(),
                new StorageException(
                        ErrorCode.RequestHeaderSectionTooLarge,
                        "The request line and headers exceed " + MAX_HEAD_BYTES + " bytes"));
    }

    private static RequestHead invalid(RawRequestLine line, Map<String, String> headers, String message) {
        return new RequestHead(line, headers, new StorageException(ErrorCode.InvalidRequest, message));
    }

    private static boolean hasControl(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < ' ' && c != '\t') || c == 0x7F) {
                return true;
            }
        }
        return false;
    }

    private static String abbreviate(String s) {
        return s.length() > 100 ? s.substring(0, 100) + "..." : s;
    }

    private static String text(byte[] bytes, int off, int len) {
        boolean ascii = true;
        for (int i = off; i < off + len; i++) {
            if (bytes[i] < 0) {
                ascii = false;
                break;
            }
        }
        if (ascii) {
            return new String(bytes, off, len, StandardCharsets.ISO_8859_1); // same as UTF-8 for ASCII, and cheaper
        }
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, off, len))
                    .toString();
        } catch (CharacterCodingException e) {
            return new String(bytes, off, len, StandardCharsets.ISO_8859_1);
        }
    }
}
