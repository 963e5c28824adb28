package dev.mockstorage.internal.remote;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs admin API requests with AWS Signature Version 4 ({@code Authorization} header, service {@code s3}, region
 * us-east-1, the body's SHA-256 as {@code x-amz-content-sha256}), as the server in strict mode
 * ({@code auth.mode=strict}) requires of every admin call but {@code /health} and {@code /metrics}; a server in
 * open mode ignores the headers. The same signature an AWS SDK would make, so the server checks it with the
 * checker its S3 API uses. This is deliberately not the server's code: a signer and a checker sharing one bug
 * would agree with each other and with nobody else.
 */
final class AdminSigner {
    static final String ALGORITHM = "AWS4-HMAC-SHA256";
    private static final String REGION = "us-east-1";
    private static final String SERVICE = "s3";
    private static final DateTimeFormatter AMZ_DATE =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final HexFormat HEX = HexFormat.of();

    private final String accessKey;
    private final String secretKey;
    /** The real time, as the server's skew check reads it (15 minutes allowed), never the server clock tests move. */
    private final Clock clock = Clock.systemUTC();

    AdminSigner(String accessKey, String secretKey) {
        this.accessKey = accessKey;
        this.secretKey = secretKey;
    }

    /**
     * The headers that sign {@code method uri} with {@code body} (null: none): {@code x-amz-date},
     * {@code x-amz-content-sha256} and {@code Authorization}. {@code uri}'s path and query must be sent as they are
     * (each part percent-encoded as RFC 3986 says, as {@code AdminRoute.Request} builds them).
     */
    Map<String, String> headers(String method, URI uri, byte[] body) {
        String amzDate = AMZ_DATE.format(clock.instant());
        String scope = amzDate.substring(0, 8) + "/" + REGION + "/" + SERVICE + "/aws4_request";
        String payload = HEX.formatHex(sha256(body == null ? new byte[0] : body));
        Map<String, String> signed = new LinkedHashMap<>(); // sorted by name
        signed.put("host", host(uri));
        signed.put("x-amz-content-sha256", payload);
        signed.put("x-amz-date", amzDate);
        StringBuilder canonicalHeaders = new StringBuilder();
        signed.forEach((name, value) ->
                canonicalHeaders.append(name).append(':').append(value).append('\n'));
        String signedHeaders = String.join(";", signed.keySet());
        String canonicalRequest = method + "\n" + (uri.getRawPath().isEmpty() ? "/" : uri.getRawPath()) + "\n"
                + canonicalQuery(uri.getRawQuery()) + "\n" + canonicalHeaders + "\n" + signedHeaders + "\n" + payload;
        String stringToSign = ALGORITHM + "\n" + amzDate + "\n" + scope + "\n"
                + HEX.formatHex(sha256(canonicalRequest.getBytes(StandardCharsets.UTF_8)));
        byte[] key = hmac(("AWS4" + secretKey).getBytes(StandardCharsets.UTF_8), amzDate.substring(0, 8));
        for (String part : List.of(REGION, SERVICE, "aws4_request")) {
            key = hmac(key, part);
        }
        String signature = HEX.formatHex(hmac(key, stringToSign));
        return Map.of(
                "x-amz-date",
                amzDate,
                "x-amz-content-sha256",
                payload,
                "Authorization",
                ALGORITHM + " Credential=" + accessKey + "/" + scope + ", SignedHeaders=" + signedHeaders
                        + ", Signature=" + signature);
    }

    /** The Host header java.net.http sends: the port only when it is not the scheme's default. */
    static String host(URI uri) {
        int port = uri.getPort();
        boolean defaultPort = port == -1 || port == ("https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80);
        return defaultPort ? uri.getHost() : uri.getHost() + ":" + port;
    }

    /** The query's {@code name=value} pairs (already RFC 3986-encoded) sorted by name, then value. */
    static String canonicalQuery(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return "";
        }
        List<String[]> pairs = new ArrayList<>();
        for (String part : rawQuery.split("&")) {
            if (!part.isEmpty()) {
                int eq = part.indexOf('=');
                pairs.add(
                        eq < 0
                                ? new String[] {part, ""}
                                : new String[] {part.substring(0, eq), part.substring(eq + 1)});
            }
        }
        pairs.sort((a, b) -> a[0].equals(b[0]) ? a[1].compareTo(b[1]) : a[0].compareTo(b[0]));
        StringBuilder sb = new StringBuilder();
        for (String[] p : pairs) {
            sb.append(sb.length() == 0 ? "" : "&").append(p[0]).append('=').append(p[1]);
        }
        return sb.toString();
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no HmacSHA256", e);
        }
    }
}
