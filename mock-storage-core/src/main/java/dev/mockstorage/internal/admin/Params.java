package dev.mockstorage.internal.admin;

import dev.mockstorage.internal.error.ErrorCode;
import dev.mockstorage.internal.error.StorageException;
import dev.mockstorage.internal.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Query parameters of the admin routes, read and checked the same way everywhere: a bad or missing one
 * is {@code 400 InvalidArgument} naming it (rendered with {@code "parameter": name}).
 */
final class Params {
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    private Params() {}

    /** {@code limit}: 1..{@value #MAX_LIMIT}, default {@value #DEFAULT_LIMIT}. */
    static int limit(HttpRequest request) {
        String text = request.queryParameter("limit");
        return text == null ? DEFAULT_LIMIT : intParameter("limit", text, 1, MAX_LIMIT);
    }

    static int intParameter(String name, String text, int min, int max) {
        return (int) longParameter(name, text, min, max);
    }

    static long longParameter(String name, String text, long min, long max) {
        try {
            long v = Long.parseLong(text);
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw badParameter(
                name,
                "'" + name + "' must be a whole number from " + min
                        + (max == Integer.MAX_VALUE || max == Long.MAX_VALUE ? " up" : " to " + max) + ", got '" + text
                        + "'");
    }

    /** A size in bytes (0 or more), or null when the parameter is absent. */
    static Long size(HttpRequest request, String name) {
        String text = request.queryParameter(name);
        if (text == null) {
            return null;
        }
        try {
            long v = Long.parseLong(text);
            if (v >= 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw badParameter(name, "'" + name + "' must be a number of bytes (0 or more), got '" + text + "'");
    }

    static void require(String name, String value) {
        if (value == null || value.isEmpty()) {
            throw badParameter(
                    name, "'" + name + "' is required (as a query parameter, or a form field before 'file')");
        }
    }

    /** The opaque paging cursor of a listing: the last entry's bucket and key. */
    static String encodeCursor(String bucket, String key) {
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString((bucket + "\n" + key).getBytes(StandardCharsets.UTF_8));
    }

    /** {@code [bucket, key]} of a cursor this API returned, or null when there is none. */
    static String[] decodeCursor(String cursor) {
        if (cursor == null) {
            return null;
        }
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            int nl = text.indexOf('\n');
            if (nl > 0) {
                return new String[] {text.substring(0, nl), text.substring(nl + 1)};
            }
        } catch (IllegalArgumentException e) {
            // below
        }
        throw badParameter("cursor", "'cursor' is not a cursor this API returned: '" + cursor + "'");
    }

    static StorageException badParameter(String name, String message) {
        return new StorageException(ErrorCode.InvalidArgument, message).with("ArgumentName", name);
    }
}
