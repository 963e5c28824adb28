package dev.mockstorage.internal.s3;

import dev.mockstorage.internal.error.ErrorCode;
import dev.mockstorage.internal.error.StorageException;
import dev.mockstorage.internal.http.HttpRequest;
import dev.mockstorage.internal.http.PercentCodec;
import java.util.List;
import java.util.Locale;

/**
 * An S3 request: the HTTP request with its bucket and key taken from the raw, undecoded path. Path
 * style is {@code /bucket/key}; virtual-host style is {@code Host: bucket.<domain>[:port]} with path
 * {@code /key}, for each configured service domain. The key is decoded strictly, so it round-trips
 * byte for byte.
 */
record S3Request(HttpRequest http, String bucket, String key, String requestId) {
    enum Level {
        SERVICE,
        BUCKET,
        OBJECT
    }

    Level level() {
        return bucket == null ? Level.SERVICE : key == null ? Level.BUCKET : Level.OBJECT;
    }

    String resource() {
        return bucket == null ? "/" : key == null ? "/" + bucket : "/" + bucket + "/" + key;
    }

    /** Path style only. */
    static S3Request of(HttpRequest http, String requestId) {
        return of(http, requestId, List.of());
    }

    /**
     * @param domains service domains (lower case): a Host of {@code bucket.<domain>} names the bucket;
     *                the domain itself, an IP address or any other host is path style
     */
    static S3Request of(HttpRequest http, String requestId, List<String> domains) {
        String raw = http.rawPath();
        if (!raw.startsWith("/")) {
            throw new StorageException(
                    ErrorCode.InvalidURI, "Couldn't parse the specified URI: the path must start with '/': " + raw);
        }
        String rest = raw.substring(1);
        String hostBucket = domains.isEmpty() ? null : virtualHostBucket(http.header("host"), domains);
        if (hostBucket != null) {
            return new S3Request(http, hostBucket, rest.isEmpty() ? null : PercentCodec.decode(rest), requestId);
        }
        if (rest.isEmpty()) {
            return new S3Request(http, null, null, requestId);
        }
        int slash = rest.indexOf('/');
        String bucket = PercentCodec.decode(slash < 0 ? rest : rest.substring(0, slash));
        String rawKey = slash < 0 ? "" : rest.substring(slash + 1);
        if (bucket.isEmpty()) {
            throw new StorageException(
                    ErrorCode.InvalidURI, "Couldn't parse the specified URI: empty bucket name in " + raw);
        }
        return new S3Request(http, bucket, rawKey.isEmpty() ? null : PercentCodec.decode(rawKey), requestId);
    }

    /** The bucket a {@code bucket.<domain>[:port]} Host names, or null for path style. */
    static String virtualHostBucket(String host, List<String> domains) {
        if (host == null || host.isEmpty() || host.startsWith("[")) {
            return null; // none, or an IPv6 literal
        }
        String name = host.trim().toLowerCase(Locale.ROOT);
        int colon = name.lastIndexOf(':');
        if (colon >= 0) {
            name = name.substring(0, colon);
        }
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        for (String domain : domains) {
            if (name.length() > domain.length() + 1 && name.endsWith("." + domain)) {
                return name.substring(0, name.length() - domain.length() - 1);
            }
        }
        return null;
    }
}
