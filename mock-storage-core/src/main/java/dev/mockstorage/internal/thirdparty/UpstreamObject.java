package dev.mockstorage.internal.thirdparty;

import java.io.InputStream;
import java.util.Map;

/**
 * What an upstream's 2xx answer says to store: its body (still streaming) and the metadata its
 * headers carry.
 *
 * @param contentType    Content-Type, or null
 * @param userMetadata   x-amz-meta-* values by name without the prefix (names lower-case)
 * @param headers        the headers an object keeps (Content-Disposition, Content-Encoding, Cache-Control,
 *                       Expires, Content-Language), canonical names
 * @param contentMd5     Content-MD5 (base64) to check the body against, or null
 * @param declaredLength Content-Length, so that a short body stores nothing; -1 when not sent
 * @param body           the body, read with the source's idle timeout
 */
public record UpstreamObject(
        String contentType,
        Map<String, String> userMetadata,
        Map<String, String> headers,
        String contentMd5,
        long declaredLength,
        InputStream body) {}
