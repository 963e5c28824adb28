package dev.mockstorage.journal;

import java.time.Instant;
import java.util.Map;

/**
 * One request the server answered, as the journal keeps it.
 *
 * @param time          when the request's head was read
 * @param requestId     the {@code x-amz-request-id} the server answered with (null when it sent none)
 * @param remoteAddress the client's IP address
 * @param method        HTTP method, e.g. {@code PUT}
 * @param operation     S3 operation name as in the AWS API reference, e.g. {@code PutObject}, or
 *                      {@code Unknown} when the request matched no operation
 * @param bucket        bucket name (decoded), or null for service-level requests
 * @param key           object key (decoded), or null when the request named no object
 * @param status        HTTP status answered
 * @param errorCode     S3 error code (e.g. {@code NoSuchKey}) when the answer was an error, else null
 * @param bytesIn       request body bytes read (decoded payload)
 * @param bytesOut      response body bytes written
 * @param durationNanos from the request head to the last response byte written
 * @param headers       selected request headers (lower-case names): content-type, content-length,
 *                      range, user-agent, if-match, if-none-match, x-amz-copy-source, x-amz-content-sha256
 */
public record RecordedRequest(
        Instant time,
        String requestId,
        String remoteAddress,
        String method,
        String operation,
        String bucket,
        String key,
        int status,
        String errorCode,
        long bytesIn,
        long bytesOut,
        long durationNanos,
        Map<String, String> headers) {

    /** Compact form used in verification messages: {@code PutObject b/k -> 200}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(operation);
        if (bucket != null) {
            sb.append(' ').append(bucket);
            if (key != null) {
                sb.append('/').append(key);
            }
        }
        sb.append(" -> ").append(status);
        if (errorCode != null) {
            sb.append(' ').append(errorCode);
        }
        return sb.toString();
    }
}
