package dev.mockstorage.internal.remote;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mockstorage.MockStorageRuntime;
import dev.mockstorage.StorageNodes;
import dev.mockstorage.journal.RecordedRequest;
import dev.mockstorage.journal.RequestJournal;
import dev.mockstorage.stats.ConsistencyReport;
import dev.mockstorage.stats.ServerStats;
import dev.mockstorage.thirdparty.Match;
import dev.mockstorage.thirdparty.Reply;
import dev.mockstorage.thirdparty.ThirdParty;
import dev.mockstorage.thirdparty.ThirdPartyJson;
import dev.mockstorage.thirdparty.ThirdPartyScript;
import dev.mockstorage.thirdparty.UpstreamCall;
import dev.mockstorage.verification.Times;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * {@link MockStorageRuntime} over the admin HTTP API of a server in another process: every method is
 * one request to {@code /api/v1/...} (see {@code internal.admin.AdminApi} and {@code ThirdPartyAdmin}
 * for the routes and their JSON), so test code reads the same against the container as in-process.
 *
 * <p>Errors come back as the exception the in-process method throws: a verification that fails is an
 * {@link AssertionError} with the server's message; an await-idle timeout an {@link IllegalStateException}
 * listing the open tasks; an unknown node, bucket name or key an {@link IllegalArgumentException}; a
 * third-party script while read-through to the scripted upstream is off an {@link IllegalStateException}.
 * A server that does not answer is an {@link UncheckedIOException} naming the endpoint.
 *
 * <p>What cannot cross the wire as it is: {@link Reply#bodyFromFile} and {@link Reply#bodyFromClasspath}
 * name a file or resource of <em>this</em> JVM, which the server cannot see. They are read here when the
 * script is added (as the in-process server does) and sent inline as the body, up to
 * {@link #MAX_INLINE_BODY_BYTES}; a larger body is refused, saying to copy the file into the container and
 * script it from there. {@link ThirdParty#loadScripts(Path)} reads the file here, resolving relative
 * {@code body_file}s against its directory.
 */
public final class HttpAdminClient implements MockStorageRuntime {

    /** The largest body a script may carry inline from a file or classpath resource (the admin API takes 16 MiB per request). */
    public static final int MAX_INLINE_BODY_BYTES = 8 * 1024 * 1024;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String API = "/api/v1";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** Error codes for which the in-process method throws IllegalStateException rather than IllegalArgumentException. */
    private static final Set<String> STATE_ERRORS = Set.of("NotIdle", "InvalidRequest", "ServiceUnavailable", "SlowDown");

    private final URI endpoint;
    private final String accessKey;
    private final String secretKey;
    private final HttpClient http;
    private final RemoteThirdParty thirdParty = new RemoteThirdParty();
    private final RemoteJournal journal = new RemoteJournal();
    private final RemoteNodes nodes = new RemoteNodes();

    /** A server with the default credentials ({@link #DEFAULT_ACCESS_KEY}/{@link #DEFAULT_SECRET_KEY}). */
    public HttpAdminClient(URI endpoint) {
        this(endpoint, DEFAULT_ACCESS_KEY, DEFAULT_SECRET_KEY);
    }

    /**
     * @param endpoint  {@code http://host:port} of the server (S3 and the admin API share the port)
     * @param accessKey the access key the server knows ({@code auth.access_key}), handed out by {@link #accessKey()}
     * @param secretKey its secret key ({@code auth.secret_key})
     */
    public HttpAdminClient(URI endpoint, String accessKey, String secretKey) {
        Objects.requireNonNull(endpoint, "endpoint");
        this.accessKey = Objects.requireNonNull(accessKey, "accessKey");
        this.secretKey = Objects.requireNonNull(secretKey, "secretKey");
        String text = endpoint.toString();
        this.endpoint = URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
        // NanoHTTPD speaks HTTP/1.1 only; asking for h2c would cost an upgrade attempt per connection
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
    }

    @Override
    public URI endpoint() {
        return endpoint;
    }

    @Override
    public String region() {
        return DEFAULT_REGION;
    }

    @Override
    public String accessKey() {
        return accessKey;
    }

    @Override
    public String secretKey() {
        return secretKey;
    }

    @Override
    public ThirdParty thirdParty() {
        return thirdParty;
    }

    @Override
    public RequestJournal requests() {
        return journal;
    }

    @Override
    public StorageNodes nodes() {
        return nodes;
    }

    @Override
    public ServerStats stats() {
        return parseStats(json(send("GET", API + "/stats", null, null, TIMEOUT)));
    }

    @Override
    public ConsistencyReport checkConsistency(boolean repair) {
        // a check reads every replica whole: give it longer than an ordinary admin call
        JsonNode r = json(send("POST", API + "/consistency/check?repair=" + repair, null, null, TIMEOUT.multipliedBy(10)));
        List<String> skipped = new ArrayList<>();
        r.get("skipped_nodes").forEach(n -> skipped.add(n.asText()));
        List<ConsistencyReport.Finding> findings = new ArrayList<>();
        for (JsonNode f : r.get("findings")) {
            findings.add(new ConsistencyReport.Finding(ConsistencyReport.Kind.valueOf(f.get("kind").asText()),
                    text(f.get("bucket")), text(f.get("key")), text(f.get("blob")), text(f.get("node")),
                    text(f.get("detail")), text(f.get("action"))));
        }
        return new ConsistencyReport(Instant.parse(r.get("started_at").asText()), r.get("duration_ms").asLong(),
                r.get("repair").asBoolean(), r.get("objects").asLong(), r.get("blob_files").asLong(),
                List.copyOf(skipped), List.copyOf(findings));
    }

    @Override
    public void awaitIdle(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("awaitIdle: timeout " + timeout + " is negative");
        }
        // the server waits up to timeout; the HTTP call must outlive that wait
        send("POST", API + "/await-idle?timeout_ms=" + timeout.toMillis(), null, null, timeout.plus(TIMEOUT));
    }

    @Override
    public void createBucket(String bucket) {
        Objects.requireNonNull(bucket, "bucket");
        send("PUT", API + "/buckets/" + encode(bucket), null, null, TIMEOUT);
    }

    @Override
    public void putObject(String bucket, String key, byte[] content, String contentType) {
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(content, "content");
        send("POST", API + "/objects?bucket=" + encode(bucket) + "&key=" + encode(key), content, contentType, TIMEOUT);
    }

    @Override
    public void reset() {
        send("POST", API + "/reset", null, null, TIMEOUT);
    }

    @Override
    public String toString() {
        return "HttpAdminClient[" + endpoint + "]";
    }

    // ---------------------------------------------------------------- the handles

    private final class RemoteThirdParty implements ThirdParty {
        private static final String PREFIX = API + "/third-party/";

        @Override
        public List<ThirdPartyScript> script(ThirdPartyScript... scripts) {
            List<ThirdPartyScript> inlined = new ArrayList<>();
            for (ThirdPartyScript s : scripts) {
                inlined.add(inline(s));
            }
            byte[] body = ThirdPartyJson.writeScripts(inlined).getBytes(StandardCharsets.UTF_8);
            return ThirdPartyJson.parseScripts(text(send("POST", PREFIX + "scripts", body, "application/json", TIMEOUT)), null);
        }

        @Override
        public List<ThirdPartyScript> loadScripts(Path json) {
            Objects.requireNonNull(json, "json");
            String text;
            try {
                text = Files.readString(json);
            } catch (IOException e) {
                throw new IllegalArgumentException(json + ": cannot read the script file: " + e, e);
            }
            List<ThirdPartyScript> parsed;
            try {
                Path dir = json.toAbsolutePath().getParent();
                parsed = ThirdPartyJson.parseScripts(text, dir);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(json + ": " + e.getMessage(), e);
            }
            return script(parsed.toArray(new ThirdPartyScript[0]));
        }

        @Override
        public List<ThirdPartyScript> loadScripts(String json) {
            return script(ThirdPartyJson.parseScripts(json, null).toArray(new ThirdPartyScript[0]));
        }

        @Override
        public List<ThirdPartyScript> scripts() {
            return ThirdPartyJson.parseScripts(text(send("GET", PREFIX + "scripts", null, null, TIMEOUT)), null);
        }

        @Override
        public void remove(String scriptId) {
            send("DELETE", PREFIX + "scripts/" + encode(Objects.requireNonNull(scriptId, "scriptId")), null, null, TIMEOUT);
        }

        @Override
        public void reset() {
            send("DELETE", PREFIX + "scripts", null, null, TIMEOUT);
        }

        @Override
        public void resetCalls() {
            send("DELETE", PREFIX + "calls", null, null, TIMEOUT);
        }

        @Override
        public List<UpstreamCall> calls() {
            return ThirdPartyJson.parseCalls(text(send("GET", PREFIX + "calls", null, null, TIMEOUT)));
        }

        @Override
        public List<UpstreamCall> unmatchedCalls() {
            return ThirdPartyJson.parseCalls(text(send("GET", PREFIX + "calls?unmatched=true", null, null, TIMEOUT)));
        }

        @Override
        public void verify(Times times, Match match) {
            Objects.requireNonNull(times, "times");
            Objects.requireNonNull(match, "match");
            byte[] body = ThirdPartyJson.writeVerification(times, match).getBytes(StandardCharsets.UTF_8);
            send("POST", PREFIX + "verify", body, "application/json", TIMEOUT); // 409 becomes the AssertionError
        }

        @Override
        public String toString() {
            return "ThirdParty of " + HttpAdminClient.this;
        }
    }

    private final class RemoteJournal implements RequestJournal {
        @Override
        public List<RecordedRequest> all() {
            return parseRequests(json(send("GET", API + "/requests", null, null, TIMEOUT)));
        }

        @Override
        public void clear() {
            send("DELETE", API + "/requests", null, null, TIMEOUT);
        }
    }

    private final class RemoteNodes implements StorageNodes {
        @Override
        public List<Node> list() {
            List<Node> list = new ArrayList<>();
            for (JsonNode n : json(send("GET", API + "/nodes", null, null, TIMEOUT))) {
                list.add(new Node(n.get("id").asText(), n.get("up").asBoolean(), text(n.get("reason")),
                        Duration.ofMillis(n.path("delay_ms").asLong())));
            }
            return list;
        }

        @Override
        public void down(String nodeId) {
            send("POST", node(nodeId) + "/down", null, null, TIMEOUT);
        }

        @Override
        public void up(String nodeId) {
            send("POST", node(nodeId) + "/up", null, null, TIMEOUT);
        }

        @Override
        public void readOnly(String nodeId) {
            send("POST", node(nodeId) + "/read-only", null, null, TIMEOUT);
        }

        @Override
        public void slow(String nodeId, Duration delay) {
            Objects.requireNonNull(delay, "delay");
            send("PUT", node(nodeId) + "/delay?ms=" + delay.toMillis(), null, null, TIMEOUT);
        }

        @Override
        public void corrupt(String bucket, String key, String nodeId) {
            Objects.requireNonNull(bucket, "bucket");
            Objects.requireNonNull(key, "key");
            send("POST", node(nodeId) + "/corrupt?bucket=" + encode(bucket) + "&key=" + encode(key), null, null, TIMEOUT);
        }

        private String node(String nodeId) {
            return API + "/nodes/" + encode(Objects.requireNonNull(nodeId, "nodeId"));
        }
    }

    // ---------------------------------------------------------------- bodies that cannot cross the wire

    /** A script whose file and classpath bodies are read here and carried inline. */
    static ThirdPartyScript inline(ThirdPartyScript script) {
        List<Reply> replies = new ArrayList<>();
        boolean changed = false;
        for (Reply r : script.replies()) {
            Reply inlined = inline(r);
            changed |= inlined != r;
            replies.add(inlined);
        }
        return changed ? new ThirdPartyScript(script.id(), script.match(), replies) : script;
    }

    private static Reply inline(Reply r) {
        if (r.bodyFile() != null) {
            Path file = r.bodyFile();
            if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
                throw new IllegalArgumentException("body file " + file + " does not exist or is not readable (it is read in "
                        + "this JVM and sent to the server inline)");
            }
            try {
                long size = Files.size(file);
                requireInlineSize(size, "Reply.bodyFromFile(" + file + ")");
                return r.body(Files.readAllBytes(file));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the body file " + file, e);
            }
        }
        if (r.bodyClasspath() != null) {
            String resource = r.bodyClasspath();
            ClassLoader loader = Thread.currentThread().getContextClassLoader();
            if (loader == null) {
                loader = HttpAdminClient.class.getClassLoader();
            }
            try (InputStream in = loader.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalArgumentException("body resource " + resource + " is not on the classpath (it is read "
                            + "in this JVM and sent to the server inline)");
                }
                byte[] bytes = in.readNBytes(MAX_INLINE_BODY_BYTES + 1);
                requireInlineSize(bytes.length, "Reply.bodyFromClasspath(\"" + resource + "\")");
                return r.body(bytes);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the body resource " + resource, e);
            }
        }
        return r;
    }

    private static void requireInlineSize(long size, String what) {
        if (size > MAX_INLINE_BODY_BYTES) {
            throw new IllegalArgumentException(what + " has " + size + " bytes, more than the " + MAX_INLINE_BODY_BYTES
                    + " a script can carry inline over the admin API; copy the file into the container"
                    + " (withCopyFileToContainer) and script it there with \"body_file\": \"/its/container/path\""
                    + " in withThirdPartyScript(...)");
        }
    }

    // ---------------------------------------------------------------- JSON of /api/v1/stats and /api/v1/requests

    static ServerStats parseStats(JsonNode root) {
        JsonNode o = root.path("objects");
        List<ServerStats.Bucket> buckets = new ArrayList<>();
        for (JsonNode b : root.path("buckets")) {
            buckets.add(new ServerStats.Bucket(b.get("name").asText(), b.get("objects").asLong(), b.get("bytes").asLong(),
                    b.get("uploads").asLong(), b.get("uploaded_bytes").asLong(),
                    b.hasNonNull("last_upload_at") ? Instant.parse(b.get("last_upload_at").asText()) : null));
        }
        List<ServerStats.Node> nodes = new ArrayList<>();
        for (JsonNode n : root.path("nodes")) {
            nodes.add(new ServerStats.Node(n.get("id").asText(), text(n.get("path")), n.get("state").asText(),
                    text(n.get("reason")), n.get("blobs").asLong(), n.get("bytes").asLong(),
                    n.get("disk_total_bytes").asLong(), n.get("disk_usable_bytes").asLong()));
        }
        JsonNode q = root.path("queue");
        JsonNode t = root.path("third_party");
        List<ServerStats.Requests> requests = new ArrayList<>();
        for (JsonNode r : root.path("requests")) {
            requests.add(new ServerStats.Requests(r.get("operation").asText(), r.get("status").asInt(), r.get("count").asLong()));
        }
        return new ServerStats(Instant.parse(root.get("time").asText()), root.get("uptime_ms").asLong(),
                new ServerStats.Totals(o.get("count").asLong(), o.get("bytes").asLong()), List.copyOf(buckets),
                List.copyOf(nodes), new ServerStats.Queue(q.get("depth").asLong(), q.get("capacity").asLong(),
                q.get("done").asLong(), q.get("failed").asLong(), q.get("retried").asLong(), q.get("parked").asLong(),
                q.get("workers").asInt()),
                new ServerStats.ThirdParty(t.get("hits").asLong(), t.get("misses").asLong(), t.get("errors").asLong()),
                List.copyOf(requests));
    }

    static List<RecordedRequest> parseRequests(JsonNode root) {
        List<RecordedRequest> list = new ArrayList<>();
        for (JsonNode n : root.path("requests")) {
            Map<String, String> headers = new LinkedHashMap<>();
            n.path("headers").fields().forEachRemaining(e -> headers.put(e.getKey(), e.getValue().asText()));
            list.add(new RecordedRequest(Instant.parse(n.get("time").asText()), text(n.get("request_id")),
                    text(n.get("remote_addr")), n.get("method").asText(), n.get("operation").asText(), text(n.get("bucket")),
                    text(n.get("key")), n.get("status").asInt(), text(n.get("error")), n.get("bytes_in").asLong(),
                    n.get("bytes_out").asLong(), Math.round(n.get("duration_ms").asDouble() * 1_000_000d),
                    java.util.Collections.unmodifiableMap(headers)));
        }
        return List.copyOf(list);
    }

    private static String text(JsonNode v) {
        return v == null || v.isNull() || v.isMissingNode() ? null : v.asText();
    }

    // ---------------------------------------------------------------- HTTP

    /** One admin call; any answer but 2xx becomes the exception the in-process method throws. */
    private HttpResponse<byte[]> send(String method, String pathAndQuery, byte[] body, String contentType, Duration timeout) {
        URI uri = URI.create(endpoint + pathAndQuery);
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(timeout)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        HttpResponse<byte[]> response;
        try {
            response = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (ConnectException e) {
            throw new UncheckedIOException("mock-storage at " + endpoint + " does not answer (" + method + " " + pathAndQuery
                    + "): is the container running?", e);
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + uri + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during " + method + " " + uri, e);
        }
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return response;
        }
        throw failure(method, pathAndQuery, status, new String(response.body(), StandardCharsets.UTF_8));
    }

    /** The exception for an error answer {@code {"error": code, "message": ...}}. */
    static RuntimeException failureOf(String method, String pathAndQuery, int status, String body) {
        String code = null;
        String message = body;
        try {
            JsonNode error = JSON.readTree(body);
            if (error != null && error.isObject()) {
                code = text(error.get("error"));
                message = error.hasNonNull("message") ? error.get("message").asText() : body;
            }
        } catch (JsonProcessingException e) {
            // not JSON: the raw text is the message
        }
        if (status == 404 && pathAndQuery.startsWith(API + "/third-party/") && "NotFound".equals(code)) {
            return new IllegalStateException("the server has no scripted third party (third_party.enabled=false or "
                    + "third_party.url set): " + message);
        }
        if (status == 404 && "NotFound".equals(code) && message.startsWith("no admin endpoint")) {
            return new UnsupportedOperationException("this mock-storage server has no " + method + " " + pathAndQuery
                    + " (an older image than this client?): " + message);
        }
        if (status >= 400 && status < 500 && (code == null || !STATE_ERRORS.contains(code))) {
            return new IllegalArgumentException(message);
        }
        return new IllegalStateException(status >= 500 ? method + " " + pathAndQuery + " answered " + status + " "
                + code + ": " + message : message);
    }

    private static RuntimeException failure(String method, String pathAndQuery, int status, String body) {
        if (status == 409 && body.contains("\"VerificationFailed\"")) {
            String message = body;
            try {
                message = JSON.readTree(body).path("message").asText(body);
            } catch (JsonProcessingException e) {
                // keep the raw text
            }
            throw new AssertionError(message); // what ThirdParty.verify throws in-process
        }
        return failureOf(method, pathAndQuery, status, body);
    }

    private static JsonNode json(HttpResponse<byte[]> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException(response.request().method() + " " + response.uri()
                    + " answered something that is not JSON: " + e.getMessage(), e);
        }
    }

    private static String text(HttpResponse<byte[]> response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    /** Percent-encodes a path segment or query value (RFC 3986 unreserved characters stay as they are). */
    static String encode(String value) {
        StringBuilder sb = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
                    || c == '_' || c == '~') {
                sb.append((char) c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
        return sb.toString();
    }
}
