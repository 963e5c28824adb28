package dev.mockstorage.internal.http;

import dev.mockstorage.internal.error.StorageException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Splits a raw query into ordered, strictly decoded parameters. */
final class QueryString {
    private QueryString() {}

    /**
     * Splits on {@code &}, then on the first {@code =}; names and values are decoded by
     * {@link PercentCodec#decode} ({@code +} stays {@code +}); {@code x} alone gives ("x", "");
     * empty pieces ({@code a&&b}) are skipped. Null or empty gives an empty list.
     *
     * @throws StorageException InvalidURI for a bad escape
     */
    static List<Map.Entry<String, String>> parse(String rawQuery) {
        List<Map.Entry<String, String>> params = new ArrayList<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return params;
        }
        int start = 0;
        while (start <= rawQuery.length()) {
            int amp = rawQuery.indexOf('&', start);
            int end = amp < 0 ? rawQuery.length() : amp;
            if (end > start) {
                String piece = rawQuery.substring(start, end);
                int eq = piece.indexOf('=');
                String name = eq < 0 ? piece : piece.substring(0, eq);
                String value = eq < 0 ? "" : piece.substring(eq + 1);
                params.add(HttpRequest.param(PercentCodec.decode(name), PercentCodec.decode(value)));
            }
            start = end + 1;
        }
        return params;
    }
}
