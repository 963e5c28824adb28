package dev.mockstorage.internal.metadata;

import java.util.List;

/**
 * One CORSRule of a bucket's CORS configuration, as stored (validated by the service before).
 *
 * @param id             the rule's ID, or null
 * @param allowedOrigins origins, each with at most one {@code *} wildcard; never empty
 * @param allowedMethods GET, PUT, POST, DELETE and/or HEAD; never empty
 * @param allowedHeaders headers a preflight may ask for (wildcards allowed, case-insensitive); may be empty
 * @param exposeHeaders  response headers the browser may show the page; may be empty
 * @param maxAgeSeconds  how long a browser may cache the preflight answer, or null
 */
public record CorsRule(
        String id,
        List<String> allowedOrigins,
        List<String> allowedMethods,
        List<String> allowedHeaders,
        List<String> exposeHeaders,
        Integer maxAgeSeconds) {
    public CorsRule {
        allowedOrigins = allowedOrigins == null ? List.of() : List.copyOf(allowedOrigins);
        allowedMethods = allowedMethods == null ? List.of() : List.copyOf(allowedMethods);
        allowedHeaders = allowedHeaders == null ? List.of() : List.copyOf(allowedHeaders);
        exposeHeaders = exposeHeaders == null ? List.of() : List.copyOf(exposeHeaders);
    }
}
