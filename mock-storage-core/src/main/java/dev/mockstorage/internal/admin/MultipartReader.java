package dev.mockstorage.internal.admin;

import dev.mockstorage.internal.error.ErrorCode;
import dev.mockstorage.internal.error.StorageException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A streaming {@code multipart/form-data} reader (RFC 7578): parts one after another, each body an
 * InputStream that ends at the next boundary, so a file part flows through without being held in
 * memory (the buffer is 64 KiB whatever the part's size). Not thread-safe.
 */
final class MultipartReader {
    private static final int BUFFER = 64 * 1024;
    private static final int MAX_HEADER_BYTES = 16 * 1024;

    private final InputStream in;
    private final byte[] delimiter; // CRLF "--" boundary
    private final byte[] buf;
    private int pos;
    private int limit;
    private boolean eof;
    private boolean finished;
    private PartStream current;

    /** One part: its headers (lower-case names) and body. */
    record Part(Map<String, String> headers, String name, String filename, InputStream body) {
        String contentType() {
            return headers.get("content-type");
        }
    }

    MultipartReader(InputStream in, String boundary) {
        this.in = in;
        this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        this.buf = new byte[BUFFER + delimiter.length];
        // the body starts with "--boundary" (no CRLF before it): pretend it had one
        buf[0] = '\r';
        buf[1] = '\n';
        limit = 2;
    }

    /** The boundary parameter of a multipart/form-data Content-Type, or null when it is not one. */
    static String boundary(String contentType) {
        if (contentType == null) {
            return null;
        }
        String[] parts = contentType.split(";");
        if (!parts[0].strip().equalsIgnoreCase("multipart/form-data")) {
            return null;
        }
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].strip();
            int eq = p.indexOf('=');
            if (eq > 0 && p.substring(0, eq).strip().equalsIgnoreCase("boundary")) {
                String b = unquote(p.substring(eq + 1).strip());
                if (b.isEmpty() || b.length() > 70) {
                    throw malformed("the boundary parameter must have 1 to 70 characters");
                }
                return b;
            }
        }
        throw malformed("multipart/form-data without a boundary parameter");
    }

    /** The next part (the previous one's unread rest is skipped), or null after the last. */
    Part next() throws IOException {
        if (finished) {
            return null;
        }
        if (current != null) {
            current.skipRest();
        } else {
            skipPreamble();
        }
        // after a delimiter: "--" ends the body, otherwise (optional whitespace) CRLF and headers
        if (!fill(2)) {
            throw malformed("the body ends right after a boundary");
        }
        if (buf[pos] == '-' && buf[pos + 1] == '-') {
            finished = true;
            return null;
        }
        String line = readLine();
        if (!line.isBlank()) {
            throw malformed("unexpected text after a boundary: '" + line + "'");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        int headerBytes = 0;
        while (true) {
            String h = readLine();
            headerBytes += h.length() + 2;
            if (headerBytes > MAX_HEADER_BYTES) {
                throw malformed("a part's headers exceed " + MAX_HEADER_BYTES + " bytes");
            }
            if (h.isEmpty()) {
                break;
            }
            int colon = h.indexOf(':');
            if (colon <= 0) {
                throw malformed("malformed part header '" + h + "'");
            }
            headers.put(
                    h.substring(0, colon).strip().toLowerCase(Locale.ROOT),
                    h.substring(colon + 1).strip());
        }
        String disposition = headers.get("content-disposition");
        if (disposition == null) {
            throw malformed("a part has no Content-Disposition header");
        }
        Map<String, String> params = dispositionParameters(disposition);
        current = new PartStream();
        return new Part(headers, params.get("name"), params.get("filename"), current);
    }

    private void skipPreamble() throws IOException {
        current = new PartStream();
        current.skipRest();
    }

    /** Reads a CRLF-terminated line from the buffer (UTF-8; part headers may carry UTF-8 file names). */
    private String readLine() throws IOException {
        while (true) {
            for (int i = pos; i + 1 < limit; i++) {
                if (buf[i] == '\r' && buf[i + 1] == '\n') {
                    String line = new String(buf, pos, i - pos, StandardCharsets.UTF_8);
                    pos = i + 2;
                    return line;
                }
            }
            if (limit - pos >= BUFFER) {
                throw malformed("a part header line is too long");
            }
            if (!fillMore()) {
                throw malformed("the body ends inside a part's headers");
            }
        }
    }

    /** Makes at least {@code n} bytes available from pos; false at end of input with fewer. */
    private boolean fill(int n) throws IOException {
        while (limit - pos < n) {
            if (!fillMore()) {
                return false;
            }
        }
        return true;
    }

    private boolean fillMore() throws IOException {
        if (eof) {
            return false;
        }
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, limit - pos);
            limit -= pos;
            pos = 0;
        }
        if (limit == buf.length) {
            return true; // full; caller consumes first
        }
        int r = in.read(buf, limit, buf.length - limit);
        if (r < 0) {
            eof = true;
            return false;
        }
        limit += r;
        return true;
    }

    private int indexOfDelimiter() {
        int last = limit - delimiter.length;
        outer:
        for (int i = pos; i <= last; i++) {
            for (int j = 0; j < delimiter.length; j++) {
                if (buf[i + j] != delimiter[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** The body of the current part: ends (and consumes the delimiter) at the next boundary. */
    private final class PartStream extends InputStream {
        private boolean done;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (done) {
                return -1;
            }
            if (len == 0) {
                return 0;
            }
            while (true) {
                fill(delimiter.length);
                int at = indexOfDelimiter();
                if (at == pos) {
                    pos += delimiter.length;
                    done = true;
                    return -1;
                }
                int safe;
                if (at >= 0) {
                    safe = at - pos;
                } else if (eof) {
                    throw malformed("the body ends before the closing boundary");
                } else {
                    safe = limit - pos - (delimiter.length - 1);
                }
                if (safe > 0) {
                    int n = Math.min(len, safe);
                    System.arraycopy(buf, pos, b, off, n);
                    pos += n;
                    return n;
                }
                if (!fillMore()) {
                    throw malformed("the body ends before the closing boundary");
                }
            }
        }

        void skipRest() throws IOException {
            byte[] skip = new byte[8192];
            while (read(skip, 0, skip.length) >= 0) {
                // discard
            }
        }
    }

    static Map<String, String> dispositionParameters(String disposition) {
        Map<String, String> params = new LinkedHashMap<>();
        int i = disposition.indexOf(';');
        while (i >= 0 && i < disposition.length()) {
            int eq = disposition.indexOf('=', i);
            if (eq < 0) {
                break;
            }
            String name = disposition.substring(i + 1, eq).strip().toLowerCase(Locale.ROOT);
            int j = eq + 1;
            String value;
            if (j < disposition.length() && disposition.charAt(j) == '"') {
                StringBuilder sb = new StringBuilder();
                j++;
                while (j < disposition.length() && disposition.charAt(j) != '"') {
                    char c = disposition.charAt(j);
                    if (c == '\\' && j + 1 < disposition.length()) {
                        c = disposition.charAt(++j);
                    }
                    sb.append(c);
                    j++;
                }
                value = sb.toString();
                j = disposition.indexOf(';', j);
            } else {
                int semi = disposition.indexOf(';', j);
                value = (semi < 0 ? disposition.substring(j) : disposition.substring(j, semi)).strip();
                j = semi;
            }
            params.put(name, value);
            i = j;
        }
        return params;
    }

    private static String unquote(String s) {
        return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
    }

    static StorageException malformed(String what) {
        return new StorageException(ErrorCode.InvalidArgument, "malformed multipart/form-data body: " + what)
                .with("ArgumentName", "body");
    }
}
