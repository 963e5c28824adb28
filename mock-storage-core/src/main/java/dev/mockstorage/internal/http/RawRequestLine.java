package dev.mockstorage.internal.http;

import dev.mockstorage.internal.error.ErrorCode;
import dev.mockstorage.internal.error.StorageException;
import java.util.Locale;

/**
 * The first line of a request, exactly as sent: {@code METHOD SP target SP HTTP/1.x}. Nothing is
 * decoded here; the path is what SigV4 signs and what the s3 layer decodes strictly.
 *
 * @param method  the method as sent (case kept; unknown methods are fine here)
 * @param rawPath the target up to the first {@code ?}, still percent-encoded
 * @param rawQuery the target after the first {@code ?}, or null when there is no {@code ?}
 * @param version {@code HTTP/1.0} or {@code HTTP/1.1}
 */
record RawRequestLine(String method, String rawPath, String rawQuery, String version) {

    /** True for HTTP/1.0, which closes after each response and never gets 100 Continue. */
    boolean isHttp10() {
        return "HTTP/1.0".equals(version);
    }

    /**
     * Parses a request line strictly: single spaces, a token method, a target without spaces or
     * control characters, and version {@code HTTP/1.x}. Absolute-form targets
     * ({@code http://host/path}) are reduced to their path.
     *
     * @throws StorageException {@link ErrorCode#InvalidRequest} saying what is wrong
     */
    static RawRequestLine parse(String line) {
        int sp1 = line.indexOf(' ');
        int sp2 = sp1 < 0 ? -1 : line.indexOf(' ', sp1 + 1);
        if (sp1 <= 0 || sp2 < 0 || line.indexOf(' ', sp2 + 1) >= 0) {
            throw invalid("Malformed request line (expected 'METHOD target HTTP/1.x')", line);
        }
        String method = line.substring(0, sp1);
        String target = line.substring(sp1 + 1, sp2);
        String version = line.substring(sp2 + 1);
        if (!isToken(method)) {
            throw invalid("Malformed method in request line", line);
        }
        if (target.isEmpty() || hasControlOrSpace(target)) {
            throw invalid("Malformed request target", line);
        }
        if (!version.matches("HTTP/1\\.[0-9]")) {
            throw invalid("Unsupported HTTP version '" + version + "'", line);
        }
        target = stripAbsoluteForm(target);
        int q = target.indexOf('?');
        String path = q < 0 ? target : target.substring(0, q);
        String query = q < 0 ? null : target.substring(q + 1);
        return new RawRequestLine(method, path.isEmpty() ? "/" : path, query, version);
    }

    /** A stand-in for a line that could not be parsed, so the handler can still render the error. */
    static RawRequestLine unparseable(String line) {
        String method = "GET";
        if (line != null) {
            int sp = line.indexOf(' ');
            String first = sp < 0 ? line : line.substring(0, sp);
            if (isToken(first)) {
                method = first;
            }
        }
        return new RawRequestLine(method, "/", null, "HTTP/1.1");
    }

    static boolean isToken(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static boolean hasControlOrSpace(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= ' ' || c == 0x7F) {
                return true;
            }
        }
        return false;
    }

    private static String stripAbsoluteForm(String target) {
        String lower = target.substring(0, Math.min(8, target.length())).toLowerCase(Locale.ROOT);
        int start = lower.startsWith("http://") ? 7 : lower.startsWith("https://") ? 8 : -1;
        if (start < 0) {
            return target;
        }
        int slash = target.indexOf('/', start);
        int query = target.indexOf('?', start);
        if (slash < 0 || (query >= 0 && query < slash)) {
            return query < 0 ? "/" : "/" + target.substring(query);
        }
        return target.substring(slash);
    }

    private static StorageException invalid(String what, String line) {
        String shown = line.length() > 200 ? line.substring(0, 200) + "..." : line;
        return new StorageException(ErrorCode.InvalidRequest, what + ": '" + shown + "'");
    }
}
