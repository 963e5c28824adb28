package dev.mockstorage.internal.observe;

import java.util.Map;

/**
 * One answered request, as the observers see it.
 *
 * @param epochMillis    the server's time (its clock) when the handler started
 * @param requestId      the request id answered with, or null
 * @param remoteAddress  client IP
 * @param method         HTTP method
 * @param operation      S3 operation or admin route name; {@code Unknown} when none matched
 * @param admin          true for the admin API (/health, /metrics, /api/v1), false for S3
 * @param bucket         decoded bucket, or null
 * @param key            decoded key, or null
 * @param status         HTTP status
 * @param errorCode      S3/admin error code, or null
 * @param bytesIn        decoded request body bytes read
 * @param bytesOut       response body bytes written
 * @param durationNanos  handler start to last byte written
 * @param requestHeaders the request's headers (lower-case names; not copied: read, do not keep)
 */
public record RequestEvent(
        long epochMillis,
        String requestId,
        String remoteAddress,
        String method,
        String operation,
        boolean admin,
        String bucket,
        String key,
        int status,
        String errorCode,
        long bytesIn,
        long bytesOut,
        long durationNanos,
        Map<String, String> requestHeaders) {}
