package dev.mockstorage.internal.service;

import dev.mockstorage.internal.error.ErrorCode;
import dev.mockstorage.internal.error.StorageException;
import dev.mockstorage.internal.metadata.CorsRule;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * S3's CORS rules: what a configuration may hold (checked on PutBucketCors) and which rule allows a
 * cross-origin request (first match wins, as on S3). An origin or allowed header may hold one
 * {@code *} wildcard matching any run of characters; headers match case-insensitively, origins exactly.
 */
public final class CorsRules {
    /** Most rules in one configuration. */
    public static final int MAX_RULES = 100;
    /** Longest rule ID, in characters. */
    public static final int MAX_ID_LENGTH = 255;
    /** The methods a rule may allow (and a preflight may ask for). */
    public static final Set<String> METHODS = Set.of("GET", "PUT", "POST", "DELETE", "HEAD");

    private CorsRules() {}

    /**
     * Checks a configuration as S3 does: 1 to {@value #MAX_RULES} rules ({@code MalformedXML} when none,
     * {@code InvalidRequest} when more), each with an origin and a method ({@code MalformedXML}), only
     * {@link #METHODS} and at most one wildcard per origin or allowed header ({@code InvalidRequest}).
     *
     * @return the rules, unmodifiable
     */
    public static List<CorsRule> validate(List<CorsRule> rules) {
        if (rules.isEmpty()) {
            throw new StorageException(
                    ErrorCode.MalformedXML,
                    "The XML you provided was not well-formed or did not validate "
                            + "against our published schema: <CORSConfiguration> needs at least one <CORSRule>");
        }
        if (rules.size() > MAX_RULES) {
            throw new StorageException(
                    ErrorCode.InvalidRequest,
                    "The number of CORS rules should not exceed allowed limit of " + MAX_RULES + " rules (got "
                            + rules.size() + ")");
        }
        for (CorsRule rule : rules) {
            if (rule.allowedOrigins().isEmpty() || rule.allowedMethods().isEmpty()) {
                throw new StorageException(
                        ErrorCode.MalformedXML,
                        "The XML you provided was not well-formed or did not validate "
                                + "against our published schema: each CORSRule must identify at least one origin and one method");
            }
            if (rule.id() != null && rule.id().length() > MAX_ID_LENGTH) {
                throw new StorageException(
                                ErrorCode.InvalidArgument,
                                "The ID of a CORSRule can be at most " + MAX_ID_LENGTH + " characters long")
                        .with("ArgumentName", "ID")
                        .with("ArgumentValue", rule.id());
            }
            if (rule.maxAgeSeconds() != null && rule.maxAgeSeconds() < 0) {
                throw new StorageException(
                        ErrorCode.MalformedXML, "MaxAgeSeconds \"" + rule.maxAgeSeconds() + "\" is not a valid value");
            }
            for (String method : rule.allowedMethods()) {
                if (!METHODS.contains(method)) {
                    throw new StorageException(
                            ErrorCode.InvalidRequest,
                            "Found unsupported HTTP method in CORS config. Unsupported method is " + method);
                }
            }
            wildcards(rule.allowedOrigins(), "AllowedOrigin");
            wildcards(rule.allowedHeaders(), "AllowedHeader");
        }
        return List.copyOf(rules);
    }

    private static void wildcards(List<String> values, String element) {
        for (String v : values) {
            if (v.isEmpty()) {
                throw new StorageException(
                        ErrorCode.MalformedXML, "The XML you provided was not well-formed: an empty <" + element + ">");
            }
            int first = v.indexOf('*');
            if (first >= 0 && v.indexOf('*', first + 1) >= 0) {
                throw new StorageException(
                        ErrorCode.InvalidRequest, element + " \"" + v + "\" can not have more than one wildcard.");
            }
        }
    }

    /**
     * The first rule that allows a request from {@code origin} with {@code method}, and, for a
     * preflight, every header in {@code requestHeaders} (lower case; null for an actual request, which
     * S3 does not check headers of).
     */
    public static Optional<CorsRule> match(
            List<CorsRule> rules, String origin, String method, List<String> requestHeaders) {
        for (CorsRule rule : rules) {
            if (rule.allowedMethods().contains(method)
                    && anyMatches(rule.allowedOrigins(), origin, false)
                    && (requestHeaders == null || headersAllowed(rule, requestHeaders))) {
                return Optional.of(rule);
            }
        }
        return Optional.empty();
    }

    private static boolean headersAllowed(CorsRule rule, List<String> requested) {
        for (String header : requested) {
            if (!anyMatches(rule.allowedHeaders(), header, true)) {
                return false;
            }
        }
        return true;
    }

    private static boolean anyMatches(List<String> patterns, String value, boolean ignoreCase) {
        String v = ignoreCase ? value.toLowerCase(Locale.ROOT) : value;
        for (String pattern : patterns) {
            if (matches(ignoreCase ? pattern.toLowerCase(Locale.ROOT) : pattern, v)) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code value} matches {@code pattern}, whose one {@code *} (if any) stands for any characters. */
    static boolean matches(String pattern, String value) {
        int star = pattern.indexOf('*');
        if (star < 0) {
            return pattern.equals(value);
        }
        String prefix = pattern.substring(0, star);
        String suffix = pattern.substring(star + 1);
        return value.length() >= prefix.length() + suffix.length()
                && value.startsWith(prefix)
                && value.endsWith(suffix);
    }
}
