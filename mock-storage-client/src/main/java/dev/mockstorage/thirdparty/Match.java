package dev.mockstorage.thirdparty;

import dev.mockstorage.verification.NearestMiss;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Which upstream calls a script answers or a verification counts: every condition that is set must
 * hold; an unset one (null) matches anything. Immutable; build with the static factories and refine
 * with {@link #method(String)}.
 *
 * <pre>{@code
 * Match.get("photos", "cat.jpg")            // GET of exactly photos/cat.jpg
 * Match.keyPrefix("photos", "2024/")        // any method, keys starting with 2024/
 * Match.keyRegex("photos", ".*\\.png")       // the whole key matches the regex
 * Match.url("/photos/a%20cat.jpg")          // the request target exactly as sent (path + query, encoded)
 * }</pre>
 *
 * <p>At most one of {@code key}, {@code keyPrefix}, {@code keyRegex} and at most one of {@code url},
 * {@code urlRegex} may be set. Regexes must match the whole value ({@link java.util.regex.Matcher#matches()}).
 *
 * @param method    upper-case HTTP method, or null for any
 * @param bucket    exact bucket, or null for any
 * @param key       exact key (decoded), or null
 * @param keyPrefix key prefix, or null
 * @param keyRegex  regex the whole key matches, or null
 * @param url       exact request target (path and query as sent, percent-encoded), or null
 * @param urlRegex  regex the whole request target matches, or null
 */
public record Match(
        String method, String bucket, String key, String keyPrefix, String keyRegex, String url, String urlRegex) {

    /**
     * @throws IllegalArgumentException when two key or two url conditions are set or a regex does not compile
     */
    public Match {
        method = method == null ? null : method.toUpperCase(Locale.ROOT);
        if (count(key, keyPrefix, keyRegex) > 1) {
            throw new IllegalArgumentException("a match takes at most one of key, key_prefix and key_regex; got "
                    + describe(null, null, key, keyPrefix, keyRegex, null, null));
        }
        if (count(url, urlRegex) > 1) {
            throw new IllegalArgumentException("a match takes at most one of url and url_regex");
        }
        compile("key_regex", keyRegex);
        compile("url_regex", urlRegex);
    }

    /** Every call. */
    public static Match any() {
        return new Match(null, null, null, null, null, null, null);
    }

    /** Every call for a key in the bucket (any key when {@code key} is null). */
    public static Match key(String bucket, String key) {
        return new Match(null, Objects.requireNonNull(bucket, "bucket"), key, null, null, null, null);
    }

    /** A GET of exactly {@code bucket/key}. */
    public static Match get(String bucket, String key) {
        return key(bucket, Objects.requireNonNull(key, "key")).method("GET");
    }

    /** A HEAD of exactly {@code bucket/key}. */
    public static Match head(String bucket, String key) {
        return key(bucket, Objects.requireNonNull(key, "key")).method("HEAD");
    }

    /** Every call in the bucket (any key). */
    public static Match bucket(String bucket) {
        return key(bucket, null);
    }

    /** Keys in {@code bucket} (any bucket when null) starting with {@code prefix}. */
    public static Match keyPrefix(String bucket, String prefix) {
        return new Match(null, bucket, null, Objects.requireNonNull(prefix, "prefix"), null, null, null);
    }

    /** Keys in {@code bucket} (any bucket when null) that the regex matches as a whole. */
    public static Match keyRegex(String bucket, String regex) {
        return new Match(null, bucket, null, null, Objects.requireNonNull(regex, "regex"), null, null);
    }

    /** The request target exactly as sent, e.g. {@code /photos/a%20cat.jpg} (path and query, percent-encoded). */
    public static Match url(String url) {
        return new Match(null, null, null, null, null, Objects.requireNonNull(url, "url"), null);
    }

    /** Request targets the regex matches as a whole. */
    public static Match urlRegex(String regex) {
        return new Match(null, null, null, null, null, null, Objects.requireNonNull(regex, "regex"));
    }

    /** This match restricted to one HTTP method (null: any). */
    public Match method(String method) {
        return new Match(method, bucket, key, keyPrefix, keyRegex, url, urlRegex);
    }

    /** Whether a call with these facts matches. */
    public boolean matches(String method, String url, String bucket, String key) {
        return (this.method == null || this.method.equalsIgnoreCase(method))
                && (this.bucket == null || this.bucket.equals(bucket))
                && keyMatches(key)
                && urlMatches(url);
    }

    private boolean keyMatches(String key) {
        return (this.key == null || this.key.equals(key))
                && (keyPrefix == null || (key != null && key.startsWith(keyPrefix)))
                && (keyRegex == null
                        || (key != null
                                && Pattern.compile(keyRegex).matcher(key).matches()));
    }

    private boolean urlMatches(String url) {
        return (this.url == null || this.url.equals(url))
                && (urlRegex == null
                        || (url != null
                                && Pattern.compile(urlRegex).matcher(url).matches()));
    }

    /** Whether the recorded call matches. */
    public boolean matches(UpstreamCall call) {
        return matches(call.method(), call.url(), call.bucket(), call.key());
    }

    /**
     * How a call differs from this match (for the closest calls and scripts in failure messages): the
     * conditions it fails, then the edit distance of its key (or, for a url condition, its url).
     */
    public NearestMiss.Difference difference(UpstreamCall call) {
        boolean byKey = key != null || keyPrefix != null || keyRegex != null;
        boolean byUrl = url != null || urlRegex != null;
        String expected = key != null ? key : keyPrefix != null ? keyPrefix : url;
        return new NearestMiss.Difference()
                .condition("method", method == null || method.equalsIgnoreCase(call.method()), call.method())
                .condition("bucket", bucket == null || bucket.equals(call.bucket()), call.bucket())
                .condition("key", !byKey || keyMatches(call.key()), "\"" + call.key() + "\"")
                .condition("url", !byUrl || urlMatches(call.url()), call.url())
                .edits(expected, byKey || url == null ? call.key() : call.url());
    }

    /** Readable form for messages, e.g. {@code GET bucket=photos key="cat.jpg"}. */
    @Override
    public String toString() {
        return describe(method, bucket, key, keyPrefix, keyRegex, url, urlRegex);
    }

    private static String describe(
            String method, String bucket, String key, String keyPrefix, String keyRegex, String url, String urlRegex) {
        List<String> parts = new ArrayList<>();
        parts.add(method == null ? "any method" : method);
        if (bucket != null) {
            parts.add("bucket=" + bucket);
        }
        if (key != null) {
            parts.add("key=\"" + key + "\"");
        }
        if (keyPrefix != null) {
            parts.add("key_prefix=\"" + keyPrefix + "\"");
        }
        if (keyRegex != null) {
            parts.add("key_regex=/" + keyRegex + "/");
        }
        if (url != null) {
            parts.add("url=" + url);
        }
        if (urlRegex != null) {
            parts.add("url_regex=/" + urlRegex + "/");
        }
        if (parts.size() == 1 && method == null) {
            return "any call";
        }
        return String.join(" ", parts);
    }

    private static int count(String... values) {
        int n = 0;
        for (String v : values) {
            n += v == null ? 0 : 1;
        }
        return n;
    }

    private static void compile(String field, String regex) {
        if (regex == null) {
            return;
        }
        try {
            Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException(
                    field + ": not a valid regex: " + e.getDescription() + " in /" + regex + "/", e);
        }
    }
}
