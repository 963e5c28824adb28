package dev.mockstorage.internal.s3;

import dev.mockstorage.internal.error.ErrorCode;
import dev.mockstorage.internal.error.StorageException;
import dev.mockstorage.internal.http.HttpRequest;
import dev.mockstorage.internal.http.PercentCodec;

/**
 * An S3 request: the HTTP request with its bucket and key taken from the raw, undecoded path
 * (path style: {@code /bucket/key}). The key is decoded strictly, so it round-trips byte for byte.
 */
record S3Request(HttpRequest http, String bucket, String key, String requestId) {
    enum Level { SERVICE, BUCKET, OBJECT }

    Level level() {
        return bucket == null ? Level.SERVICE : key == null ? Level.BUCKET : Level.OBJECT;
    }

    String resource() {
        return bucket == null ? "/" : key == null ? "/" + bucket : "/" + bucket + "/" + key;
    }

    static S3Request of(HttpRequest http, String requestId) {
        String raw = http.rawPath();
        if (!raw.startsWith("/")) {
            throw new StorageException(ErrorCode.InvalidURI, "Couldn't parse the specified URI: the path must start with '/': " + raw);
        }
        String rest = raw.substring(1);
        if (rest.isEmpty()) {
            return new S3Request(http, null, null, requestId);
        }
        int slash = rest.indexOf('/');
        String bucket = PercentCodec.decode(slash < 0 ? rest : rest.substring(0, slash));
        String rawKey = slash < 0 ? "" : rest.substring(slash + 1);
        if (bucket.isEmpty()) {
            throw new StorageException(ErrorCode.InvalidURI, "Couldn't parse the specified URI: empty bucket name in " + raw);
        }
        return new S3Request(http, bucket, rawKey.isEmpty() ? null : PercentCodec.decode(rawKey), requestId);
    }
}
