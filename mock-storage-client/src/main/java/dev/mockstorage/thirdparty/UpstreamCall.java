package dev.mockstorage.thirdparty;

import java.time.Instant;
import java.util.Map;

/**
 * One call the scripted upstream received, recorded before it was answered.
 *
 * @param time     when the request head had been read
 * @param method   HTTP method, e.g. {@code GET}
 * @param url      the request target as sent: path and query, percent-encoded, e.g. {@code /photos/a%20cat.jpg}
 * @param bucket   the bucket (first path segment, decoded), or null when the path has none
 * @param key      the key (the rest of the path, decoded), or null when the path has none
 * @param headers  request headers, names lower-case (last value wins when repeated)
 * @param scriptId the id of the script that answered, or null when no script matched (unmatched call)
 * @param status   the status answered, or -1 when a {@link Fault} was played instead
 * @param fault    the fault played, or null
 */
public record UpstreamCall(
        Instant time,
        String method,
        String url,
        String bucket,
        String key,
        Map<String, String> headers,
        String scriptId,
        int status,
        Fault fault) {

    public UpstreamCall {
        headers = Map.copyOf(headers);
    }

    /** True when no script matched this call (it was answered with 404). */
    public boolean unmatched() {
        return scriptId == null;
    }

    /** One line for messages: {@code GET /b/k -> 200 (script s1)}. */
    @Override
    public String toString() {
        String answer = fault != null ? fault.name() : Integer.toString(status);
        return method + " " + url + " -> " + answer
                + (scriptId == null ? " (unmatched)" : " (script " + scriptId + ")");
    }
}
