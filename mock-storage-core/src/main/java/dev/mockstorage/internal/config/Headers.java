package dev.mockstorage.internal.config;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code third_party.headers} as written: each header name (untrimmed) with its value. In config.json
 * an object of strings; as text {@code Name=value,Name=value}.
 */
final class Headers {

    static final Type<Map<String, Value<String>>> TYPE = Type.of(Headers::parse, Headers::read);

    private static final Pattern NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    private static final Set<String> RESTRICTED = Set.of("connection", "content-length", "expect", "host", "upgrade");

    private Headers() {}

    private static Map<String, Value<String>> parse(Value<String> raw) {
        Map<String, Value<String>> headers = new LinkedHashMap<>();
        if (raw.value().isBlank()) {
            return headers;
        }
        for (String entry : raw.value().split(",", -1)) {
            int eq = entry.indexOf('=');
            if (eq < 0) {
                throw raw.fail("\"" + entry.trim() + "\" is not Name=value");
            }
            String name = entry.substring(0, eq).trim();
            headers.put(name, Value.of(entry.substring(eq + 1).trim(), raw.origin(), "third_party.headers." + name));
        }
        return headers;
    }

    private static Map<String, Value<String>> read(JsonField json) {
        Map<String, Value<String>> headers = new LinkedHashMap<>();
        json.members().forEach((name, value) -> headers.put(name, value.value(value.string())));
        return headers;
    }

    /** Each name a header name the HTTP client lets us set; no line breaks in values. */
    static void verify(Value<Map<String, Value<String>>> headers) {
        headers.value().forEach((written, value) -> {
            String name = written.trim();
            if (!NAME.matcher(name).matches()) {
                throw value.fail("\"" + written + "\" is not an HTTP header name");
            }
            if (RESTRICTED.contains(name.toLowerCase(Locale.ROOT))) {
                throw value.fail(name + " is set by the HTTP client itself and cannot be configured");
            }
            if (value.value().contains("\r") || value.value().contains("\n")) {
                throw value.fail("a header value must not contain line breaks");
            }
        });
    }

    /** The headers to send: names trimmed. */
    static Map<String, String> resolve(Map<String, Value<String>> headers) {
        Map<String, String> resolved = new LinkedHashMap<>();
        headers.forEach((name, value) -> resolved.put(name.trim(), value.value()));
        return Map.copyOf(resolved);
    }
}
