package dev.mockstorage.internal.http;

/** TEMPORARY placeholder; replaced by the http branch. */
public final class PercentCodec {
    private PercentCodec() {
    }

    public static String decode(String raw) {
        return java.net.URLDecoder.decode(raw.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
    }

    public static String encode(String s, boolean keepSlash) {
        String e = java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20").replace("*", "%2A").replace("%7E", "~");
        return keepSlash ? e.replace("%2F", "/") : e;
    }
}
