package dev.mockstorage.internal.metadata;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The JSON of the metadata columns (user metadata, headers, checksums, tags): one flat object of
 * string values, written and read by hand because Jackson's general machinery was a tenth of the
 * CPU of a PutObject. Writes standard JSON (only {@code "}, {@code \} and control characters
 * escaped); reads what it writes and what Jackson wrote before, and returns null for anything else
 * (nesting, numbers, odd whitespace) so the caller can fall back to Jackson.
 */
final class FlatJson {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private FlatJson() {}

    /** The map as one JSON object, or null when a key is null (not JSON: the caller decides). */
    static String write(Map<String, String> map) {
        StringBuilder out = new StringBuilder(16 + 32 * map.size());
        out.append('{');
        boolean first = true;
        for (Map.Entry<String, String> e : map.entrySet()) {
            if (e.getKey() == null) {
                return null;
            }
            if (!first) {
                out.append(',');
            }
            first = false;
            string(out, e.getKey());
            out.append(':');
            if (e.getValue() == null) {
                out.append("null");
            } else {
                string(out, e.getValue());
            }
        }
        return out.append('}').toString();
    }

    private static void string(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xf]);
            } else {
                out.append(c);
            }
        }
        out.append('"');
    }

    /** The map in document order, or null when the text is not a flat object of strings this reader knows. */
    static LinkedHashMap<String, String> read(String json) {
        Reader r = new Reader(json);
        return r.object();
    }

    private static final class Reader {
        private final String s;
        private int pos;

        Reader(String s) {
            this.s = s;
        }

        LinkedHashMap<String, String> object() {
            LinkedHashMap<String, String> map = new LinkedHashMap<>();
            if (!expect('{')) {
                return null;
            }
            if (peek() == '}') {
                pos++;
                return pos == s.length() ? map : null;
            }
            while (true) {
                String key = string();
                if (key == null || !expect(':')) {
                    return null;
                }
                String value;
                if (s.startsWith("null", pos)) {
                    pos += 4;
                    value = null;
                } else {
                    value = string();
                    if (value == null) {
                        return null;
                    }
                }
                map.put(key, value); // a repeated key: the last wins, as with Jackson
                char c = peek();
                pos++;
                if (c == '}') {
                    return pos == s.length() ? map : null;
                }
                if (c != ',') {
                    return null;
                }
            }
        }

        private char peek() {
            return pos < s.length() ? s.charAt(pos) : 0;
        }

        private boolean expect(char c) {
            if (peek() != c) {
                return false;
            }
            pos++;
            return true;
        }

        private String string() {
            if (!expect('"')) {
                return null;
            }
            StringBuilder out = null;
            int start = pos;
            while (pos < s.length()) {
                char c = s.charAt(pos);
                if (c == '"') {
                    String text = out == null
                            ? s.substring(start, pos)
                            : out.append(s, start, pos).toString();
                    pos++;
                    return text;
                }
                if (c < 0x20) {
                    return null;
                }
                if (c != '\\') {
                    pos++;
                    continue;
                }
                if (out == null) {
                    out = new StringBuilder();
                }
                out.append(s, start, pos);
                if (pos + 1 >= s.length()) {
                    return null;
                }
                char e = s.charAt(pos + 1);
                pos += 2;
                switch (e) {
                    case '"', '\\', '/' -> out.append(e);
                    case 'b' -> out.append('\b');
                    case 'f' -> out.append('\f');
                    case 'n' -> out.append('\n');
                    case 'r' -> out.append('\r');
                    case 't' -> out.append('\t');
                    case 'u' -> {
                        if (pos + 4 > s.length()) {
                            return null;
                        }
                        int v = 0;
                        for (int i = 0; i < 4; i++) {
                            int d = Character.digit(s.charAt(pos + i), 16);
                            if (d < 0) {
                                return null;
                            }
                            v = v * 16 + d;
                        }
                        out.append((char) v);
                        pos += 4;
                    }
                    default -> {
                        return null;
                    }
                }
                start = pos;
            }
            return null;
        }
    }
}
