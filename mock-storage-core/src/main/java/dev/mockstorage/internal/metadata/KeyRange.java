package dev.mockstorage.internal.metadata;

/**
 * Bounds of key ranges in the order keys are stored and listed in: UTF-8 bytes, which is code point
 * order (SQLite's BINARY collation on UTF-8 text). With them a query over the keys that start with a
 * prefix walks the primary-key index from the prefix to {@link #successor} instead of filtering rows.
 */
public final class KeyRange {
    private KeyRange() {}

    /**
     * The least string greater than every string that starts with {@code prefix}: its last code point
     * incremented (a trailing U+10FFFF dropped first), or null when there is none (empty, or all U+10FFFF).
     */
    public static String successor(String prefix) {
        int end = prefix.length();
        while (end > 0) {
            int last = prefix.codePointBefore(end);
            int start = end - Character.charCount(last);
            if (last < Character.MAX_CODE_POINT) {
                int next = last + 1 == Character.MIN_SURROGATE ? Character.MAX_SURROGATE + 1 : last + 1;
                return new StringBuilder(start + 2)
                        .append(prefix, 0, start)
                        .appendCodePoint(next)
                        .toString();
            }
            end = start;
        }
        return null;
    }

    /** The literal start of a glob ({@code *} and {@code ?} special): everything before the first of them. */
    static String literalPrefix(String glob) {
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*' || c == '?') {
                return glob.substring(0, i);
            }
        }
        return glob;
    }
}
