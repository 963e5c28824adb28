package dev.mockstorage.internal.thirdparty;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One call to the {@link ScriptedUpstream} as read from its socket: the request line and headers,
 * with the bucket and key taken from the path ({@code /bucket/key}).
 *
 * @param method  upper-case
 * @param target  the request target as sent, query included
 * @param bucket  the first path segment, decoded; null for {@code /}
 * @param key     the rest of the path, decoded; null without one
 * @param headers names lower-case
 */
record UpstreamRequest(String method, String target, String bucket, String key, Map<String, String> headers) {
    private static final int MAX_HEAD_BYTES = 64 * 1024;

    /**
     * Reads a request head and skips its body (by {@code Content-Length}); null when the connection
     * ends before a request line or the line is not {@code METHOD target VERSION}.
     *
     * @throws IOException when reading fails or a line exceeds 64 KiB
     */
    static UpstreamRequest read(InputStream in) throws IOException {
        String requestLine = readLine(in);
        if (requestLine == null || requestLine.isEmpty()) {
            return null;
        }
        String[] parts = requestLine.split(" ");
        if (parts.length != 3) {
            return null;
        }
        String method = parts[0].toUpperCase(Locale.ROOT);
        String target = parts[1];
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line = readLine(in); line != null && !line.isEmpty(); line = readLine(in)) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.put(
                        line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        line.substring(colon + 1).trim());
            }
        }
        long contentLength = parseLong(headers.get("content-length"));
        if (contentLength > 0) {
            in.skipNBytes(contentLength);
        }
        String path = target.contains("?") ? target.substring(0, target.indexOf('?')) : target;
        String bucket = null;
        String key = null;
        if (path.startsWith("/") && path.length() > 1) {
            int slash = path.indexOf('/', 1);
            bucket = decode(slash < 0 ? path.substring(1) : path.substring(1, slash));
            key = slash < 0 ? null : decode(path.substring(slash + 1));
        }
        return new UpstreamRequest(method, target, bucket, key, headers);
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int total = 0;
        while (true) {
            int c = in.read();
            if (c < 0) {
                return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
            }
            if (c == '\n') {
                String s = line.toString(StandardCharsets.ISO_8859_1);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            if (++total > MAX_HEAD_BYTES) {
                throw new IOException("request head too large");
            }
            line.write(c);
        }
    }

    private static long parseLong(String s) {
        try {
            return s == null ? -1 : Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Percent-decoding of a path (UTF-8; {@code +} stays {@code +}). */
    static String decode(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '%' && i + 2 < bytes.length) {
                int hi = Character.digit(bytes[i + 1], 16);
                int lo = Character.digit(bytes[i + 2], 16);
                if (hi >= 0 && lo >= 0) {
                    out.write(hi * 16 + lo);
                    i += 2;
                    continue;
                }
            }
            out.write(bytes[i]);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
