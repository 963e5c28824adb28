package dev.mockstorage.internal.contract;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The admin API's table of contents, read by the server to dispatch and by the remote handle to build
 * its requests: method, path template, operation name (as the access log and the metrics name the
 * request) and the query parameters each route accepts. In a template, {@code {name}} stands for one non-empty
 * path segment and a final {@code {name+}} for the non-empty rest of the path (slashes included).
 * Routes are tried in this order; the first whose method and path fit wins.
 */
public enum AdminRoute {
    HEALTH("GET", "/health", "Health"),
    HEALTH_HEAD("HEAD", "/health", "Health"),
    METRICS("GET", "/metrics", "Metrics"),
    LIST_OBJECTS("GET", "/api/v1/objects", "AdminListObjects", "bucket", "prefix", "delimiter", "limit", "cursor"),
    UPLOAD_OBJECT("POST", "/api/v1/objects", "AdminUploadObject", "bucket", "key"),
    GET_OBJECT("GET", "/api/v1/objects/{bucket}/{key+}", "AdminGetObject"),
    DELETE_OBJECT("DELETE", "/api/v1/objects/{bucket}/{key+}", "AdminDeleteObject"),
    STATS("GET", "/api/v1/stats", "AdminStats"),
    SEARCH(
            "GET",
            "/api/v1/search",
            "AdminSearch",
            "q",
            "bucket",
            "content_type",
            "min_size",
            "max_size",
            "limit",
            "cursor"),
    GET_REQUESTS("GET", "/api/v1/requests", "AdminGetRequests", "operation", "bucket", "key", "status", "limit"),
    CLEAR_REQUESTS("DELETE", "/api/v1/requests", "AdminClearRequests"),
    // ---- runtime: waiting, reset, buckets, fault injection and the clock (MockStorageRuntime over HTTP)
    AWAIT_IDLE("POST", "/api/v1/await-idle", "AdminAwaitIdle", "timeout_ms"),
    RESET("POST", "/api/v1/reset", "AdminReset"),
    CREATE_BUCKET("PUT", "/api/v1/buckets/{bucket}", "AdminCreateBucket"),
    LIST_NODES("GET", "/api/v1/nodes", "AdminListNodes"),
    NODE_DOWN("POST", "/api/v1/nodes/{node}/down", "AdminNodeFault"),
    NODE_UP("POST", "/api/v1/nodes/{node}/up", "AdminNodeFault"),
    NODE_READ_ONLY("POST", "/api/v1/nodes/{node}/read-only", "AdminNodeFault"),
    NODE_CORRUPT("POST", "/api/v1/nodes/{node}/corrupt", "AdminNodeFault", "bucket", "key"),
    NODE_DELAY("PUT", "/api/v1/nodes/{node}/delay", "AdminNodeDelay", "ms"),
    CONSISTENCY_CHECK("POST", "/api/v1/consistency/check", "AdminConsistencyCheck", "repair"),
    CLOCK("GET", "/api/v1/clock", "AdminClock"),
    ADVANCE_CLOCK("POST", "/api/v1/clock/advance", "AdminAdvanceClock", "ms"),
    // ---- what the web console shows
    INFO("GET", "/api/v1/info", "AdminInfo"),
    LIST_BUCKETS("GET", "/api/v1/buckets", "AdminListBuckets"),
    DELETE_BUCKET("DELETE", "/api/v1/buckets/{bucket}", "AdminDeleteBucket"),
    REPLICAS("GET", "/api/v1/replicas/{bucket}/{key+}", "AdminReplicas"),
    VERSIONS("GET", "/api/v1/versions/{bucket}/{key+}", "AdminVersions"),
    TASKS("GET", "/api/v1/tasks", "AdminTasks", "state", "limit"),
    // ---- the scripted third party (ThirdParty over HTTP, in the JSON of ThirdPartyJson)
    THIRD_PARTY_SCRIPTS("GET", "/api/v1/third-party/scripts", "AdminThirdParty"),
    THIRD_PARTY_ADD_SCRIPTS("POST", "/api/v1/third-party/scripts", "AdminThirdParty"),
    THIRD_PARTY_RESET("DELETE", "/api/v1/third-party/scripts", "AdminThirdParty"),
    THIRD_PARTY_REMOVE_SCRIPT("DELETE", "/api/v1/third-party/scripts/{id}", "AdminThirdParty"),
    THIRD_PARTY_CALLS("GET", "/api/v1/third-party/calls", "AdminThirdParty", "unmatched"),
    THIRD_PARTY_RESET_CALLS("DELETE", "/api/v1/third-party/calls", "AdminThirdParty"),
    THIRD_PARTY_VERIFY("POST", "/api/v1/third-party/verify", "AdminThirdParty");

    /** The prefix of every route but {@code /health} and {@code /metrics}. */
    public static final String API = "/api/v1";

    private final String method;
    private final String path;
    private final String operation;
    private final Set<String> parameters;
    private final String[] segments;

    AdminRoute(String method, String path, String operation, String... parameters) {
        this.method = method;
        this.path = path;
        this.operation = operation;
        this.parameters = Set.of(parameters);
        this.segments = path.substring(1).split("/");
        for (int i = 0; i < segments.length - 1; i++) {
            if (segments[i].endsWith("+}")) {
                throw new IllegalStateException(path + ": only the last segment may take the rest of the path");
            }
        }
    }

    /** HTTP method, e.g. {@code GET}. */
    public String method() {
        return method;
    }

    /** Path template, e.g. {@code /api/v1/nodes/{node}/down}. */
    public String path() {
        return path;
    }

    /** Operation name, e.g. {@code AdminNodeFault}. */
    public String operation() {
        return operation;
    }

    /** The query parameters the route accepts (any other is refused). */
    public Set<String> parameters() {
        return parameters;
    }

    /** {@code METHOD template}, e.g. {@code GET /api/v1/stats}. */
    @Override
    public String toString() {
        return method + " " + path;
    }

    /** Method and template of every route, in table order. */
    public static List<String> all() {
        return Arrays.stream(values()).map(AdminRoute::toString).toList();
    }

    /**
     * The values of the template's placeholders in {@code rawPath}, as sent (still percent-encoded), by
     * name; null when the path does not fit the template.
     */
    public Map<String, String> match(String rawPath) {
        Map<String, String> values = null;
        int pos = 0;
        for (String segment : segments) {
            if (pos >= rawPath.length() || rawPath.charAt(pos) != '/') {
                return null;
            }
            pos++;
            boolean rest = segment.endsWith("+}");
            int slash = rawPath.indexOf('/', pos);
            int end = rest || slash < 0 ? rawPath.length() : slash;
            String part = rawPath.substring(pos, end);
            if (segment.startsWith("{")) {
                if (part.isEmpty()) {
                    return null;
                }
                if (values == null) {
                    values = new LinkedHashMap<>(4);
                }
                values.put(segment.substring(1, segment.length() - (rest ? 2 : 1)), part);
            } else if (!segment.equals(part)) {
                return null;
            }
            pos = end;
        }
        return pos != rawPath.length() ? null : values == null ? Map.of() : values;
    }

    /** A request of this route with the template's placeholders filled in order, each percent-encoded. */
    public Request request(String... values) {
        StringBuilder target = new StringBuilder();
        int next = 0;
        for (String segment : segments) {
            target.append('/');
            if (!segment.startsWith("{")) {
                target.append(segment);
                continue;
            }
            if (next >= values.length) {
                throw new IllegalArgumentException(this + " needs " + segment);
            }
            String value = values[next++];
            if (segment.endsWith("+}")) {
                String[] parts = value.split("/", -1);
                for (int i = 0; i < parts.length; i++) {
                    target.append(i == 0 ? "" : "/").append(Request.encode(parts[i]));
                }
            } else {
                target.append(Request.encode(value));
            }
        }
        if (next != values.length) {
            throw new IllegalArgumentException(this + " takes " + next + " path value(s), got " + values.length);
        }
        return new Request(method, toString(), parameters, target.toString());
    }

    /** One request to make: its method and target (path and query, encoded), checked against the route's parameters. */
    public static final class Request {
        private final String method;
        private final String route;
        private final Set<String> parameters;
        private final StringBuilder target;
        private boolean query;

        private Request(String method, String route, Set<String> parameters, String path) {
            this.method = method;
            this.route = route;
            this.parameters = parameters;
            this.target = new StringBuilder(path);
        }

        /** Adds a query parameter the route accepts. */
        public Request with(String name, Object value) {
            if (!parameters.contains(name)) {
                throw new IllegalArgumentException(route + " takes no query parameter '" + name + "'");
            }
            target.append(query ? '&' : '?').append(name).append('=').append(encode(String.valueOf(value)));
            query = true;
            return this;
        }

        public String method() {
            return method;
        }

        /** Path and query as sent, e.g. {@code /api/v1/nodes/stg1/corrupt?bucket=b&key=a%20b}. */
        public String target() {
            return target.toString();
        }

        /** Percent-encodes a path segment or query value (RFC 3986 unreserved characters stay as they are). */
        public static String encode(String value) {
            StringBuilder sb = new StringBuilder();
            for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
                int c = b & 0xff;
                if ((c >= 'a' && c <= 'z')
                        || (c >= 'A' && c <= 'Z')
                        || (c >= '0' && c <= '9')
                        || c == '-'
                        || c == '.'
                        || c == '_'
                        || c == '~') {
                    sb.append((char) c);
                } else {
                    sb.append('%')
                            .append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                            .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
                }
            }
            return sb.toString();
        }
    }
}
