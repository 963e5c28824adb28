package dev.mockstorage.internal.thirdparty;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the upstream answered: the body is still open and streams from the socket; close it.
 *
 * @param url     the URL fetched
 * @param status  HTTP status
 * @param headers response headers, names lower-case
 * @param body    the body, read with the source's idle timeout
 * @param length  Content-Length as declared, or -1
 */
public record UpstreamResponse(String url, int status, Map<String, List<String>> headers, InputStream body, long length)
        implements AutoCloseable {

    /** First value of a header (any case), or null. */
    public String header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    @Override
    public void close() {
        try {
            body.close();
        } catch (IOException ignored) {
            // nothing more to release
        }
    }
}
