package dev.mockstorage.internal.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One entry of {@code third_party.buckets} as written: a bucket that reads through, with its own URL
 * template or a null url for {@code third_party.url}. In config.json an array of names or
 * {@code {"name", "url"}} objects; as text {@code name,name=url}.
 */
record BucketSpec(Value<String> name, Value<String> url) {

    static final Type<List<BucketSpec>> TYPE = Type.of(BucketSpec::parse, BucketSpec::read);

    private static List<BucketSpec> parse(Value<String> raw) {
        return raw.value().isBlank() ? List.of() : Types.entries(raw, "name", "url", BucketSpec::new);
    }

    private static List<BucketSpec> read(JsonField json) {
        List<BucketSpec> list = new ArrayList<>();
        for (JsonField entry : json.elements()) {
            JsonNode b = entry.node();
            if (b.isTextual()) {
                list.add(new BucketSpec(entry.value(b.asText()), null));
            } else if (b.isObject()) {
                Set<String> names = new TreeSet<>();
                b.fieldNames().forEachRemaining(names::add);
                names.removeAll(Set.of("name", "url"));
                if (!names.isEmpty()) {
                    throw entry.get(names.iterator().next()).fail("unknown field (known here: name, url)");
                }
                JsonField name = entry.get("name");
                JsonField url = entry.get("url");
                if (name.node() == null || !name.node().isTextual()) {
                    throw name.fail("expected a string, got " + JsonField.describe(name.node()));
                }
                if (url.node() != null && !url.node().isTextual()) {
                    throw url.fail("expected a string, got " + JsonField.describe(url.node()));
                }
                list.add(new BucketSpec(
                        name.value(name.node().asText()),
                        url.node() == null ? null : url.value(url.node().asText())));
            } else {
                throw entry.fail("expected a bucket name or {\"name\", \"url\"}, got " + JsonField.describe(b));
            }
        }
        return list;
    }

    /** Every name given once and not empty; every URL a template ({@link #checkTemplate}). */
    static void verify(Value<List<BucketSpec>> buckets) {
        Map<String, Value<String>> seen = new LinkedHashMap<>();
        for (BucketSpec b : buckets.value()) {
            String name = b.name().value().trim();
            if (name.isEmpty()) {
                throw b.name().fail("a bucket name must not be empty");
            }
            if (seen.containsKey(name)) {
                throw b.name()
                        .fail("bucket " + name + " is already listed at "
                                + seen.get(name).field());
            }
            seen.put(name, b.name());
            if (b.url() != null) {
                checkTemplate(b.url());
            }
        }
    }

    /** A URL template: http(s), a host, and {@code {key}} somewhere. */
    static void checkTemplate(Value<String> template) {
        String t = template.value().trim();
        if (!t.startsWith("http://") && !t.startsWith("https://")) {
            throw template.fail("\"" + template.text() + "\" is not an http:// or https:// URL template");
        }
        if (!t.contains("{key}")) {
            throw template.fail(
                    "\"" + template.text() + "\" has no {key} placeholder (e.g. http://host:port/{bucket}/{key})");
        }
        try {
            if (new URI(t.replace("{bucket}", "b").replace("{key}", "k")).getHost() == null) {
                throw template.fail("\"" + template.text() + "\" has no host");
            }
        } catch (URISyntaxException e) {
            throw template.fail("\"" + template.text() + "\" is not a valid URL template: " + e.getReason());
        }
    }
}
