package dev.mockstorage.internal.s3;

import dev.mockstorage.internal.error.StorageException;
import dev.mockstorage.internal.http.HttpRequest;
import dev.mockstorage.internal.http.HttpResponse;
import dev.mockstorage.internal.metadata.CorsRule;
import dev.mockstorage.internal.service.CorsRules;
import dev.mockstorage.internal.service.ObjectService;
import java.util.List;
import java.util.Optional;

/**
 * The CORS headers S3 puts on responses: on a preflight that a rule allows ({@link CorsOperations#preflight})
 * and on actual requests carrying {@code Origin} to a bucket with a rule allowing the origin and method
 * ({@link #decorate}, successes and errors alike). A request without {@code Origin} costs one header lookup.
 */
final class CorsHeaders {
    static final String VARY = "Origin, Access-Control-Request-Headers, Access-Control-Request-Method";

    private final ObjectService service;

    CorsHeaders(ObjectService service) {
        this.service = service;
    }

    /**
     * Adds the matching rule's headers to the response of an actual (non-{@code OPTIONS}) request
     * with an {@code Origin} to a bucket; nothing otherwise.
     */
    void decorate(HttpRequest http, S3Request request, HttpResponse response) {
        String origin = http.headers().get("origin");
        if (origin == null || request == null || request.bucket() == null || "OPTIONS".equals(http.method())) {
            return;
        }
        Optional<List<CorsRule>> rules;
        try {
            rules = service.settings().corsRules(request.bucket());
        } catch (StorageException e) {
            return; // the metadata store is busy or closed: the response itself says what matters
        }
        if (rules.isPresent()) {
            CorsRules.match(rules.get(), origin, http.method(), null).ifPresent(rule -> allow(response, rule, origin));
        }
    }

    /**
     * The headers of an allowed CORS request: the origin ({@code *} when the rule allows any origin;
     * otherwise the request's, with {@code Access-Control-Allow-Credentials: true}), the rule's
     * methods, expose headers and max age, and {@code Vary}.
     */
    static void allow(HttpResponse response, CorsRule rule, String origin) {
        boolean any = rule.allowedOrigins().contains("*");
        response.header("Access-Control-Allow-Origin", any ? "*" : origin);
        if (!any) {
            response.header("Access-Control-Allow-Credentials", "true");
        }
        response.header("Access-Control-Allow-Methods", String.join(", ", rule.allowedMethods()));
        if (!rule.exposeHeaders().isEmpty()) {
            response.header("Access-Control-Expose-Headers", String.join(", ", rule.exposeHeaders()));
        }
        if (rule.maxAgeSeconds() != null) {
            response.header("Access-Control-Max-Age", rule.maxAgeSeconds().toString());
        }
        response.header("Vary", VARY);
    }
}
