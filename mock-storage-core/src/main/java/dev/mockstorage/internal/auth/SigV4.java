package dev.mockstorage.internal.auth;

import dev.mockstorage.internal.http.PercentCodec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** The Signature Version 4 arithmetic: hashes, the signing key, canonical query strings and headers. */
final class SigV4 {
    static final String ALGORITHM = "AWS4-HMAC-SHA256";
    static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    private static final HexFormat HEX = HexFormat.of();

    private SigV4() {}

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    static String hex(byte[] bytes) {
        return HEX.formatHex(bytes);
    }

    static String sha256Hex(String s) {
        return hex(sha256().digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no HmacSHA256", e);
        }
    }

    /** kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request"). */
    static byte[] signingKey(String secret, String date, String region, String service) {
        byte[] k = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), date);
        k = hmac(k, region);
        k = hmac(k, service);
        return hmac(k, "aws4_request");
    }

    /** Lower-case hex HMAC-SHA256 of {@code stringToSign}. */
    static String sign(byte[] signingKey, String stringToSign) {
        return hex(hmac(signingKey, stringToSign));
    }

    /** Whether two hex signatures are equal, in time independent of where they differ. */
    static boolean same(String expected, String provided) {
        return provided != null
                && MessageDigest.isEqual(
                        expected.getBytes(StandardCharsets.US_ASCII), provided.getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * The canonical query string: every parameter of {@code rawQuery} but {@code skip}, names and values
     * decoded and re-encoded (RFC 3986 unreserved characters kept, {@code %XX} upper case), sorted by
     * name then value, {@code name=value} joined by {@code &}; a bare {@code ?x} is {@code x=}.
     */
    static String canonicalQuery(String rawQuery, String skip) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return "";
        }
        List<String[]> pairs = new ArrayList<>();
        for (String part : rawQuery.split("&")) {
            if (part.isEmpty()) {
                continue;
            }
            int eq = part.indexOf('=');
            String name = PercentCodec.decode(eq < 0 ? part : part.substring(0, eq));
            if (name.equals(skip)) {
                continue;
            }
            String value = eq < 0 ? "" : PercentCodec.decode(part.substring(eq + 1));
            pairs.add(new String[] {PercentCodec.encode(name, false), PercentCodec.encode(value, false)});
        }
        pairs.sort((a, b) -> a[0].equals(b[0]) ? a[1].compareTo(b[1]) : a[0].compareTo(b[0]));
        StringBuilder sb = new StringBuilder();
        for (String[] p : pairs) {
            sb.append(sb.length() == 0 ? "" : "&").append(p[0]).append('=').append(p[1]);
        }
        return sb.toString();
    }

    /** {@code name:value\n} for each signed header (values trimmed, inner runs of spaces collapsed; absent = empty). */
    static String canonicalHeaders(List<String> signedHeaders, Map<String, String> headers) {
        StringBuilder sb = new StringBuilder();
        for (String name : signedHeaders) {
            String value = headers.get(name);
            sb.append(name)
                    .append(':')
                    .append(value == null ? "" : value.strip().replaceAll(" {2,}", " "))
                    .append('\n');
        }
        return sb.toString();
    }

    /** The path re-encoded the way SigV4 encodes it (each byte but unreserved and '/' as %XX), for clients that normalise. */
    static String normalisedPath(String rawPath) {
        return PercentCodec.encode(PercentCodec.decode(rawPath), true);
    }
}
