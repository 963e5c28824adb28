package dev.mockstorage.internal.http;

import dev.mockstorage.internal.error.ErrorCode;
import dev.mockstorage.internal.error.StorageException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Strict RFC 3986 percent-encoding as S3 uses it: {@code +} is an ordinary character (never a space),
 * a bad escape is an error instead of being passed through, and decoded bytes must be UTF-8.
 */
public final class PercentCodec {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private PercentCodec() {}

    /**
     * Decodes {@code %XX} escapes (hex digits in either case) as UTF-8; every other character,
     * {@code +} included, stands for itself.
     *
     * @throws StorageException {@link ErrorCode#InvalidURI} naming the bad sequence when a {@code %}
     *         is not followed by two hex digits or the escaped bytes are not valid UTF-8
     */
    public static String decode(String raw) {
        if (raw.indexOf('%') < 0) {
            return raw;
        }
        StringBuilder out = new StringBuilder(raw.length());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int i = 0;
        while (i < raw.length()) {
            char c = raw.charAt(i);
            if (c != '%') {
                out.append(c);
                i++;
                continue;
            }
            int runStart = i;
            bytes.reset();
            while (i < raw.length() && raw.charAt(i) == '%') {
                int hi = i + 1 < raw.length() ? Character.digit(raw.charAt(i + 1), 16) : -1;
                int lo = i + 2 < raw.length() ? Character.digit(raw.charAt(i + 2), 16) : -1;
                if (hi < 0 || lo < 0 || !isAsciiHex(raw.charAt(i + 1)) || !isAsciiHex(raw.charAt(i + 2))) {
                    String bad = raw.substring(i, Math.min(raw.length(), i + 3));
                    throw new StorageException(
                            ErrorCode.InvalidURI, "Invalid percent-encoding '" + bad + "' in '" + raw + "'");
                }
                bytes.write(hi << 4 | lo);
                i += 3;
            }
            out.append(utf8(bytes.toByteArray(), raw.substring(runStart, i), raw));
        }
        return out.toString();
    }

    /**
     * Encodes everything but the RFC 3986 unreserved characters ({@code A-Z a-z 0-9 - . _ ~}) as
     * {@code %XX} of its UTF-8 bytes with upper-case hex; {@code /} is kept when {@code keepSlash}.
     * This is the encoding SigV4 canonical requests and S3's {@code encoding-type=url} use.
     */
    public static String encode(String s, boolean keepSlash) {
        StringBuilder out = null;
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            int b = bytes[i] & 0xFF;
            boolean keep = isUnreserved(b) || (keepSlash && b == '/');
            if (out == null) {
                if (keep) {
                    continue;
                }
                out = new StringBuilder(bytes.length + 16);
                out.append(new String(bytes, 0, i, StandardCharsets.US_ASCII));
            }
            if (keep) {
                out.append((char) b);
            } else {
                out.append('%').append(HEX[b >> 4]).append(HEX[b & 0xF]);
            }
        }
        return out == null ? s : out.toString();
    }

    private static boolean isUnreserved(int b) {
        return (b >= 'A' && b <= 'Z')
                || (b >= 'a' && b <= 'z')
                || (b >= '0' && b <= '9')
                || b == '-'
                || b == '.'
                || b == '_'
                || b == '~';
    }

    private static boolean isAsciiHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static String utf8(byte[] bytes, String escaped, String raw) {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new StorageException(
                    ErrorCode.InvalidURI,
                    "Percent-encoded bytes '" + escaped + "' in '" + raw + "' are not valid UTF-8");
        }
    }
}
