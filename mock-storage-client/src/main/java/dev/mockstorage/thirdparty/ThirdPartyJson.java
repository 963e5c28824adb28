package dev.mockstorage.thirdparty;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mockstorage.verification.Times;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The one JSON form of scripts, matches and recorded calls, used by {@link ThirdParty#loadScripts},
 * the {@code third_party.scripts} file and the admin API. Field names are snake_case; unknown fields,
 * wrong types and impossible values fail with an {@link IllegalArgumentException} naming the field,
 * e.g. {@code [0].responses[1].status: expected a whole number, got "x"}.
 *
 * <pre>
 * [
 *   { "id": "cat",                                   // optional
 *     "match": { "method": "GET", "bucket": "photos", "key": "cat.jpg" },
 *     "responses": [                                  // or "response": { ... } for one
 *       { "status": 503 },
 *       { "status": 200, "headers": { "Content-Type": "image/jpeg" }, "body_file": "cat.jpg", "delay_ms": 50 }
 *     ] },
 *   { "match": { "key_prefix": "broken/" }, "response": { "fault": "CONNECTION_RESET" } }
 * ]
 * </pre>
 *
 * A document is an array of scripts, one script object, or {@code {"scripts": [...]}}.
 * Match fields: {@code method}, {@code bucket}, one of {@code key} / {@code key_prefix} / {@code key_regex},
 * one of {@code url} / {@code url_regex}; all optional. Response fields: {@code status} (default 200),
 * {@code headers} (object of strings), at most one of {@code body} (UTF-8 text), {@code body_base64},
 * {@code body_file} (relative to the JSON file's directory when loaded from a file), {@code body_classpath};
 * {@code delay_ms}, {@code fault} ({@link Fault} name).
 */
public final class ThirdPartyJson {
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    private static final Set<String> SCRIPT_FIELDS = Set.of("id", "match", "response", "responses");
    private static final Set<String> MATCH_FIELDS =
            Set.of("method", "bucket", "key", "key_prefix", "key_regex", "url", "url_regex");
    private static final Set<String> REPLY_FIELDS =
            Set.of("status", "headers", "body", "body_base64", "body_file", "body_classpath", "delay_ms", "fault");
    private static final Set<String> VERIFY_FIELDS = Set.of("times", "match");
    private static final Set<String> TIMES_FIELDS = Set.of("min", "max");

    private ThirdPartyJson() {}

    /** Scripts from a JSON document; {@code baseDir} resolves relative {@code body_file}s (null: working directory). */
    public static List<ThirdPartyScript> parseScripts(String json, Path baseDir) {
        JsonNode root = read(json);
        JsonNode list = root;
        String path = "";
        if (root.isObject() && root.has("scripts")) {
            fields(root, "", Set.of("scripts"));
            list = root.get("scripts");
            path = "scripts";
        }
        List<ThirdPartyScript> scripts = new ArrayList<>();
        if (list.isArray()) {
            for (int i = 0; i < list.size(); i++) {
                scripts.add(script(list.get(i), path + "[" + i + "]", baseDir));
            }
        } else if (list.isObject()) {
            scripts.add(script(list, path, baseDir));
        } else {
            throw fail(path, "expected an array of scripts or a script object, got " + kind(list));
        }
        return scripts;
    }

    /** Scripts as a JSON array (bodies that are valid UTF-8 as {@code body}, others as {@code body_base64}). */
    public static String writeScripts(List<ThirdPartyScript> scripts) {
        ArrayNode array = JSON.createArrayNode();
        for (ThirdPartyScript s : scripts) {
            ObjectNode o = array.addObject();
            if (s.id() != null) {
                o.put("id", s.id());
            }
            o.set("match", matchNode(s.match()));
            ArrayNode replies = o.putArray("responses");
            for (Reply r : s.replies()) {
                replies.add(replyNode(r));
            }
        }
        return write(array);
    }

    /** A match object. */
    public static Match parseMatch(String json) {
        return match(read(json), "");
    }

    /** A match as a JSON object. */
    public static String writeMatch(Match match) {
        return write(matchNode(match));
    }

    /**
     * A verification request {@code {"times": N, "match": {...}}}: {@code times} is a count (exactly N) or
     * {@code {"min": N, "max": M}} (either may be left out: 0, no bound); returns the times and the match.
     */
    public static Map.Entry<Times, Match> parseVerification(String json) {
        JsonNode root = read(json);
        if (!root.isObject()) {
            throw fail("", "expected an object {\"times\": N, \"match\": {...}}, got " + kind(root));
        }
        fields(root, "", VERIFY_FIELDS);
        JsonNode m = root.get("match");
        return Map.entry(times(root.get("times")), m == null ? Match.any() : match(m, "match"));
    }

    /** A verification request as JSON ({@code times} a number when exact). */
    public static String writeVerification(Times times, Match match) {
        ObjectNode o = JSON.createObjectNode();
        o.set("times", timesNode(times));
        o.set("match", matchNode(match));
        return write(o);
    }

    /** The answer to a verification that held: {@code {"verified": true, "times": ...}}. */
    public static String writeVerified(Times times) {
        ObjectNode o = JSON.createObjectNode().put("verified", true);
        o.set("times", timesNode(times));
        return write(o);
    }

    /** {@code times} as {@link #parseVerification} reads it: a number when exact, else {@code {"min", "max"}}. */
    private static JsonNode timesNode(Times times) {
        if (times.isExact()) {
            return JSON.getNodeFactory().numberNode(times.min());
        }
        ObjectNode o = JSON.createObjectNode().put("min", times.min());
        if (times.max() != Integer.MAX_VALUE) {
            o.put("max", times.max());
        }
        return o;
    }

    /** Recorded calls as a JSON array. */
    public static String writeCalls(List<UpstreamCall> calls) {
        ArrayNode array = JSON.createArrayNode();
        for (UpstreamCall c : calls) {
            ObjectNode o = array.addObject();
            o.put("time", c.time().toString());
            o.put("method", c.method());
            o.put("url", c.url());
            o.put("bucket", c.bucket());
            o.put("key", c.key());
            ObjectNode h = o.putObject("headers");
            new TreeMap<>(c.headers()).forEach(h::put);
            o.put("script_id", c.scriptId());
            o.put("status", c.status());
            o.put("fault", c.fault() == null ? null : c.fault().name());
        }
        return write(array);
    }

    /** Recorded calls from {@link #writeCalls}. */
    public static List<UpstreamCall> parseCalls(String json) {
        JsonNode root = read(json);
        List<UpstreamCall> calls = new ArrayList<>();
        for (JsonNode o : root) {
            Map<String, String> headers = new LinkedHashMap<>();
            o.path("headers")
                    .fields()
                    .forEachRemaining(e -> headers.put(e.getKey(), e.getValue().asText()));
            calls.add(new UpstreamCall(
                    Instant.parse(o.get("time").asText()),
                    o.get("method").asText(),
                    o.get("url").asText(),
                    text(o.get("bucket")),
                    text(o.get("key")),
                    headers,
                    text(o.get("script_id")),
                    o.get("status").asInt(),
                    o.hasNonNull("fault") ? Fault.valueOf(o.get("fault").asText()) : null));
        }
        return calls;
    }

    // ---------------------------------------------------------------- parsing

    private static ThirdPartyScript script(JsonNode node, String path, Path baseDir) {
        if (!node.isObject()) {
            throw fail(path, "expected a script object, got " + kind(node));
        }
        fields(node, path, SCRIPT_FIELDS);
        String id = string(node, path, "id");
        JsonNode m = node.get("match");
        Match match = m == null ? Match.any() : match(m, join(path, "match"));
        List<Reply> replies = new ArrayList<>();
        if (node.has("response") && node.has("responses")) {
            throw fail(path, "give either response or responses, not both");
        }
        if (node.has("response")) {
            replies.add(reply(node.get("response"), join(path, "response"), baseDir));
        } else if (node.has("responses")) {
            JsonNode list = node.get("responses");
            String p = join(path, "responses");
            if (!list.isArray() || list.isEmpty()) {
                throw fail(p, "expected a non-empty array of responses, got " + kind(list));
            }
            for (int i = 0; i < list.size(); i++) {
                replies.add(reply(list.get(i), p + "[" + i + "]", baseDir));
            }
        } else {
            throw fail(path, "a script needs a response (or responses)");
        }
        return new ThirdPartyScript(id, match, replies);
    }

    private static Times times(JsonNode node) {
        if (node != null && node.isObject()) {
            fields(node, "times", TIMES_FIELDS);
            int min = node.has("min") ? count(node.get("min"), "times.min") : 0;
            int max = node.has("max") ? count(node.get("max"), "times.max") : Integer.MAX_VALUE;
            if (max < min) {
                throw fail("times.max", "expected at least min (" + min + "), got " + max);
            }
            return new Times(min, max);
        }
        if (node == null || !node.isIntegralNumber()) {
            throw fail("times", "expected a whole number >= 0 or {\"min\": N, \"max\": M}, got " + kind(node));
        }
        return Times.exactly(count(node, "times"));
    }

    private static int count(JsonNode node, String path) {
        if (!node.isIntegralNumber() || !node.canConvertToInt() || node.intValue() < 0) {
            throw fail(path, "expected a whole number >= 0, got " + kind(node));
        }
        return node.intValue();
    }

    private static Match match(JsonNode node, String path) {
        if (!node.isObject()) {
            throw fail(path, "expected a match object, got " + kind(node));
        }
        fields(node, path, MATCH_FIELDS);
        try {
            return new Match(
                    string(node, path, "method"),
                    string(node, path, "bucket"),
                    string(node, path, "key"),
                    string(node, path, "key_prefix"),
                    string(node, path, "key_regex"),
                    string(node, path, "url"),
                    string(node, path, "url_regex"));
        } catch (IllegalArgumentException e) {
            throw fail(path, e.getMessage());
        }
    }

    private static Reply reply(JsonNode node, String path, Path baseDir) {
        if (!node.isObject()) {
            throw fail(path, "expected a response object, got " + kind(node));
        }
        fields(node, path, REPLY_FIELDS);
        int status = 200;
        if (node.has("status")) {
            JsonNode s = node.get("status");
            if (!s.isIntegralNumber() || !s.canConvertToInt() || s.intValue() < 100 || s.intValue() > 999) {
                throw fail(join(path, "status"), "expected an HTTP status 100..999, got " + kind(s));
            }
            status = s.intValue();
        }
        Reply r = Reply.status(status);
        if (node.has("headers")) {
            JsonNode h = node.get("headers");
            if (!h.isObject()) {
                throw fail(join(path, "headers"), "expected an object of header names to strings, got " + kind(h));
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = h.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getValue().isTextual()) {
                    throw fail(join(path, "headers." + e.getKey()), "expected a string, got " + kind(e.getValue()));
                }
                r = r.header(e.getKey(), e.getValue().asText());
            }
        }
        int bodies = 0;
        for (String f : List.of("body", "body_base64", "body_file", "body_classpath")) {
            bodies += node.has(f) ? 1 : 0;
        }
        if (bodies > 1) {
            throw fail(path, "give at most one of body, body_base64, body_file and body_classpath");
        }
        if (node.has("body")) {
            r = r.body(string(node, path, "body"));
        } else if (node.has("body_base64")) {
            try {
                r = r.body(Base64.getDecoder().decode(string(node, path, "body_base64")));
            } catch (IllegalArgumentException e) {
                throw fail(join(path, "body_base64"), "not valid base64: " + e.getMessage());
            }
        } else if (node.has("body_file")) {
            String f = string(node, path, "body_file");
            r = r.bodyFromFile(baseDir == null ? Path.of(f) : baseDir.resolve(f));
        } else if (node.has("body_classpath")) {
            r = r.bodyFromClasspath(string(node, path, "body_classpath"));
        }
        if (node.has("delay_ms")) {
            JsonNode d = node.get("delay_ms");
            if (!d.isIntegralNumber() || d.longValue() < 0) {
                throw fail(join(path, "delay_ms"), "expected a whole number of milliseconds >= 0, got " + kind(d));
            }
            r = r.delay(Duration.ofMillis(d.longValue()));
        }
        if (node.has("fault")) {
            String f = string(node, path, "fault");
            try {
                r = r.withFault(Fault.valueOf(f));
            } catch (IllegalArgumentException e) {
                throw fail(
                        join(path, "fault"),
                        "\"" + f + "\" is not a fault (known: " + Arrays.toString(Fault.values()) + ")");
            }
        }
        return r;
    }

    private static JsonNode read(String json) {
        if (json == null || json.isBlank()) {
            throw new IllegalArgumentException("empty JSON document");
        }
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(
                    "malformed JSON: " + e.getOriginalMessage()
                            + (e.getLocation() == null
                                    ? ""
                                    : " (line " + e.getLocation().getLineNr() + ", column "
                                            + e.getLocation().getColumnNr() + ")"),
                    e);
        }
    }

    private static void fields(JsonNode node, String path, Set<String> known) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!known.contains(name)) {
                throw fail(
                        join(path, name),
                        "unknown field (known here: " + String.join(", ", new TreeSet<>(known)) + ")");
            }
        }
    }

    private static String string(JsonNode node, String path, String field) {
        JsonNode v = node.get(field);
        if (v == null) {
            return null;
        }
        if (!v.isTextual()) {
            throw fail(join(path, field), "expected a string, got " + kind(v));
        }
        return v.asText();
    }

    private static String text(JsonNode v) {
        return v == null || v.isNull() ? null : v.asText();
    }

    private static String kind(JsonNode v) {
        if (v == null || v.isMissingNode()) {
            return "nothing";
        }
        if (v.isNull()) {
            return "null";
        }
        if (v.isObject()) {
            return "an object";
        }
        if (v.isArray()) {
            return v.isEmpty() ? "an empty array" : "an array";
        }
        return v.isTextual() ? "string " + v : v.toString();
    }

    private static String join(String path, String field) {
        return path.isEmpty() ? field : path + "." + field;
    }

    private static IllegalArgumentException fail(String path, String problem) {
        return new IllegalArgumentException((path.isEmpty() ? "top level" : path) + ": " + problem);
    }

    // ---------------------------------------------------------------- writing

    private static ObjectNode matchNode(Match m) {
        ObjectNode o = JSON.createObjectNode();
        putIf(o, "method", m.method());
        putIf(o, "bucket", m.bucket());
        putIf(o, "key", m.key());
        putIf(o, "key_prefix", m.keyPrefix());
        putIf(o, "key_regex", m.keyRegex());
        putIf(o, "url", m.url());
        putIf(o, "url_regex", m.urlRegex());
        return o;
    }

    private static ObjectNode replyNode(Reply r) {
        ObjectNode o = JSON.createObjectNode();
        o.put("status", r.status());
        if (!r.headers().isEmpty()) {
            ObjectNode h = o.putObject("headers");
            r.headers().forEach(h::put);
        }
        byte[] body = r.body();
        if (body != null && body.length > 0) {
            try {
                o.put(
                        "body",
                        StandardCharsets.UTF_8
                                .newDecoder()
                                .decode(ByteBuffer.wrap(body))
                                .toString());
            } catch (CharacterCodingException e) {
                o.put("body_base64", Base64.getEncoder().encodeToString(body));
            }
        }
        putIf(o, "body_file", r.bodyFile() == null ? null : r.bodyFile().toString());
        putIf(o, "body_classpath", r.bodyClasspath());
        if (!r.delay().isZero()) {
            o.put("delay_ms", r.delay().toMillis());
        }
        putIf(o, "fault", r.fault() == null ? null : r.fault().name());
        return o;
    }

    private static void putIf(ObjectNode o, String field, String value) {
        if (value != null) {
            o.put(field, value);
        }
    }

    private static String write(JsonNode node) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
