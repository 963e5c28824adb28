package dev.mockstorage.internal.s3;

import dev.mockstorage.internal.error.ErrorCode;
import dev.mockstorage.internal.error.StorageException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A single byte range of an object, from a {@code Range: bytes=...} header. */
record ByteRange(long first, long last) {
    private static final Pattern SINGLE = Pattern.compile("bytes=(\\d*)-(\\d*)");

    long length() {
        return last - first + 1;
    }

    String contentRange(long size) {
        return "bytes " + first + "-" + last + "/" + size;
    }

    /**
     * The range to serve, or null for the whole object (no header, a syntax S3 ignores, or several
     * ranges, which S3 does not support and answers with the whole object).
     *
     * @throws StorageException InvalidRange (416) when the range is syntactically fine but not satisfiable
     */
    static ByteRange parse(String header, long size) {
        if (header == null) {
            return null;
        }
        Matcher m = SINGLE.matcher(header.trim());
        if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
            return null;
        }
        try {
            if (m.group(1).isEmpty()) { // suffix: the last N bytes
                long n = Long.parseLong(m.group(2));
                if (n == 0 || size == 0) {
                    throw unsatisfiable(header, size);
                }
                return new ByteRange(Math.max(0, size - n), size - 1);
            }
            long first = Long.parseLong(m.group(1));
            long last = m.group(2).isEmpty() ? Long.MAX_VALUE : Long.parseLong(m.group(2));
            if (last < first) {
                return null; // invalid syntax per RFC 9110: ignore the header
            }
            if (first >= size) {
                throw unsatisfiable(header, size);
            }
            return new ByteRange(first, Math.min(last, size - 1));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static StorageException unsatisfiable(String header, long size) {
        return new StorageException(
                        ErrorCode.InvalidRange,
                        "The requested range is not satisfiable: " + header + " on an object of " + size + " bytes")
                .with("RangeRequested", header)
                .with("ActualObjectSize", Long.toString(size));
    }
}
