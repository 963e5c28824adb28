package dev.mockstorage.internal.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mockstorage.internal.error.ErrorCode;
import dev.mockstorage.internal.error.StorageException;
import dev.mockstorage.internal.http.HttpHandler;
import dev.mockstorage.internal.http.HttpRequest;
import dev.mockstorage.internal.http.HttpResponse;
import dev.mockstorage.internal.http.PercentCodec;
import dev.mockstorage.internal.metadata.ObjectQuery;
import dev.mockstorage.internal.metadata.ObjectRecord;
import dev.mockstorage.internal.observe.Metrics;
import dev.mockstorage.internal.observe.Observer;
import dev.mockstorage.internal.service.FaultInjection;
import dev.mockstorage.internal.service.Health;
import dev.mockstorage.internal.service.Inspection;
import dev.mockstorage.internal.service.ObjectService;
import dev.mockstorage.thirdparty.ThirdParty;
import dev.mockstorage.internal.service.ObjectWrite;
import dev.mockstorage.journal.RecordedRequest;
import dev.mockstorage.journal.RequestJournal;
import dev.mockstorage.stats.ServerStats;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The management side on the S3 port. {@link #ROUTES} is its table of contents: method, path
 * (a trailing {@code /**} matches the rest of the path) and operation name, the first match wins;
 * a path that matches with another method gets 405 naming the allowed ones. Answers are JSON;
 * errors are {@code {"error": code, "message": ..., "parameter": name}} with the code's status
 * ({@code parameter} only when a query parameter is at fault).
 */
public final class AdminApi implements HttpHandler {
    /** Shared: an ObjectMapper is thread-safe once configured, and building its serializers is the slow part. */
    static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }
    static final String API = "/api/v1";
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    @FunctionalInterface
    private interface Handler {
        HttpResponse handle(AdminApi api, HttpRequest request, String rest) throws IOException;
    }

    /** One row of the route table; {@code params} are the query parameters the route accepts. */
    private record Route(String method, String path, String operation, Set<String> params, Handler handler) {
        boolean pathMatches(String p) {
            return path.endsWith("/**") ? p.startsWith(path.substring(0, path.length() - 2))
                    && p.length() > path.length() - 2 : p.equals(path);
        }
    }

    /** The admin API's table of contents. */
    private static final List<Route> ROUTES = List.of(
            new Route("GET", "/health", "Health", Set.of(), AdminApi::health),
            new Route("HEAD", "/health", "Health", Set.of(), AdminApi::health),
            new Route("GET", "/metrics", "Metrics", Set.of(), AdminApi::metrics),
            new Route("GET", API + "/objects", "AdminListObjects", Set.of("bucket", "prefix", "delimiter", "limit", "cursor"),
                    AdminApi::listObjects),
            new Route("POST", API + "/objects", "AdminUploadObject", Set.of("bucket", "key"), AdminApi::upload),
            new Route("GET", API + "/objects/**", "AdminGetObject", Set.of(), AdminApi::getObject),
            new Route("DELETE", API + "/objects/**", "AdminDeleteObject", Set.of(), AdminApi::deleteObject),
            new Route("GET", API + "/stats", "AdminStats", Set.of(), AdminApi::stats),
            new Route("GET", API + "/search", "AdminSearch",
                    Set.of("q", "bucket", "content_type", "min_size", "max_size", "limit", "cursor"), AdminApi::search),
            new Route("GET", API + "/requests", "AdminGetRequests",
                    Set.of("operation", "bucket", "key", "status", "limit"), AdminApi::requests),
            new Route("DELETE", API + "/requests", "AdminClearRequests", Set.of(), AdminApi::clearRequests),
            // ---- runtime: waiting, reset, buckets and fault injection (MockStorageRuntime over HTTP)
            new Route("POST", API + "/await-idle", "AdminAwaitIdle", Set.of("timeout_ms"), AdminApi::awaitIdle),
            new Route("POST", API + "/reset", "AdminReset", Set.of(), AdminApi::reset),
            new Route("PUT", API + "/buckets/**", "AdminCreateBucket", Set.of(), AdminApi::createBucket),
            new Route("GET", API + "/nodes", "AdminListNodes", Set.of(), AdminApi::listNodes),
            new Route("POST", API + "/nodes/**", "AdminNodeFault", Set.of("bucket", "key"), AdminApi::nodeFault),
            new Route("PUT", API + "/nodes/**", "AdminNodeDelay", Set.of("ms"), AdminApi::nodeDelay),
            // ---- consistency check and repair
            new Route("POST", API + "/consistency/check", "AdminConsistencyCheck", Set.of("repair"),
                    AdminApi::consistencyCheck),
            // ---- what the web console shows (InspectRoutes)
            new Route("GET", API + "/info", "AdminInfo", Set.of(), (api, r, rest) -> api.inspect.info(r, rest)),
            new Route("GET", API + "/buckets", "AdminListBuckets", Set.of(), (api, r, rest) -> api.inspect.buckets(r, rest)),
            new Route("DELETE", API + "/buckets/**", "AdminDeleteBucket", Set.of(),
                    (api, r, rest) -> api.inspect.deleteBucket(r, rest)),
            new Route("GET", API + "/replicas/**", "AdminReplicas", Set.of(), (api, r, rest) -> api.inspect.replicas(r, rest)),
            new Route("GET", API + "/versions/**", "AdminVersions", Set.of(), (api, r, rest) -> api.inspect.versions(r, rest)),
            new Route("GET", API + "/tasks", "AdminTasks", Set.of("state", "limit"), (api, r, rest) -> api.inspect.tasks(r, rest)));

    private final ObjectService service;
    private final Inspection inspection;
    private final RequestJournal journal;
    private final Metrics metrics;
    private final AtomicLong requestCounter = new AtomicLong();
    private final InspectRoutes inspect;
    /** {@code /api/v1/third-party/**}, or null when the server has no scripted third party. */
    private final ThirdPartyAdmin thirdParty;
    // runtime routes: set by runtime(); null until then (the routes answer 404 NotFound)
    private volatile FaultInjection faults;
    private volatile Runnable reset;
    private volatile java.util.function.Consumer<String> createBucket;
    /** {@code POST /api/v1/consistency/check}: runs the check (argument: repair); null until set */
    private volatile java.util.function.Function<Boolean, dev.mockstorage.stats.ConsistencyReport> consistency;

    /**
     * @param journal the request journal (a disabled one throws IllegalStateException on use)
     * @param metrics the metrics, or null when {@code metrics.enabled} is false
     * @param thirdParty the handle served under {@code /api/v1/third-party/}, or null
     */
    public AdminApi(ObjectService service, Inspection inspection, RequestJournal journal, Metrics metrics,
                    ThirdParty thirdParty) {
        this.thirdParty = thirdParty == null ? null : new ThirdPartyAdmin(thirdParty);
        this.service = service;
        this.inspection = inspection;
        this.journal = journal;
        this.metrics = metrics;
        this.inspect = new InspectRoutes(service, inspection);
    }

    /** Turns on {@code GET /api/v1/info}, which describes these settings (never a secret). */
    public AdminApi info(dev.mockstorage.internal.config.Config config) {
        inspect.config(config);
        return this;
    }

    /**
     * Turns on the runtime routes ({@code await-idle}, {@code reset}, {@code buckets}, {@code nodes}):
     * they call the same code as the in-process {@code MockStorageRuntime}.
     *
     * @param reset        what {@code POST /api/v1/reset} runs
     * @param createBucket creates a bucket, doing nothing when it exists
     */
    public AdminApi runtime(FaultInjection faults, Runnable reset, java.util.function.Consumer<String> createBucket) {
        this.faults = faults;
        this.reset = reset;
        this.createBucket = createBucket;
        return this;
    }

    /** Turns on {@code POST /api/v1/consistency/check}, which runs {@code check} (its argument: repair). */
    public AdminApi consistency(java.util.function.Function<Boolean, dev.mockstorage.stats.ConsistencyReport> check) {
        this.consistency = check;
        return this;
    }

    /** True when the request is for this API rather than the S3 API. */
    public static boolean owns(HttpRequest request) {
        String p = request.rawPath();
        return p.equals("/health") || p.equals("/metrics") || p.startsWith(API + "/") || p.equals(API);
    }

    /** Method and path of every route, in table order (for documentation checks). */
    public static List<String> routes() {
        return ROUTES.stream().map(r -> r.method() + " " + r.path()).toList();
    }

    @Override
    public HttpResponse handle(HttpRequest request) {
        String operation = "AdminUnknown";
        String requestId = "A" + Long.toHexString(requestCounter.incrementAndGet()).toUpperCase(java.util.Locale.ROOT);
        HttpResponse response;
        String error = null;
        try {
            if (request.problem() != null) {
                throw request.problem();
            }
            // ---- third party (issue 4): its own route table in ThirdPartyAdmin
            if (thirdParty != null && ThirdPartyAdmin.owns(request)) {
                operation = "AdminThirdParty";
                response = thirdParty.handle(request);
            } else {
                Route route = route(request);
                operation = route.operation();
                checkParameters(request, route.params());
                String rest = route.path().endsWith("/**") ? request.rawPath().substring(route.path().length() - 2) : null;
                response = route.handler().handle(this, request, rest);
            }
        } catch (StorageException e) {
            error = e.code().name();
            response = error(e);
            if (request.problem() != null) {
                response.closeConnection();
            }
        } catch (IOException | RuntimeException e) {
            error = ErrorCode.InternalError.name();
            response = error(new StorageException(ErrorCode.InternalError, "internal error: " + e, null, e));
        }
        return response.header("X-Request-Id", requestId).attribute(Observer.ATTR_ADMIN, Boolean.TRUE)
                .attribute(HttpResponse.ATTR_OPERATION, operation).attribute(HttpResponse.ATTR_ERROR, error)
                .attribute(HttpResponse.ATTR_REQUEST_ID, requestId);
    }

    /** Refuses a request whose method is not one of {@code methods} with 405 naming them (for ThirdPartyAdmin). */
    static void requireMethod(HttpRequest request, String... methods) {
        for (String m : methods) {
            if (m.equals(request.method())) {
                return;
            }
        }
        throw new StorageException(ErrorCode.MethodNotAllowed, request.method() + " is not allowed on " + request.rawPath()
                + "; use " + String.join(" or ", methods));
    }

    private static Route route(HttpRequest request) {
        List<String> allowed = new ArrayList<>();
        for (Route r : ROUTES) {
            if (r.pathMatches(request.rawPath())) {
                if (r.method().equals(request.method())) {
                    return r;
                }
                allowed.add(r.method());
            }
        }
        if (!allowed.isEmpty()) {
            throw new StorageException(ErrorCode.MethodNotAllowed, request.method() + " is not allowed on "
                    + request.rawPath() + "; use " + String.join(" or ", allowed));
        }
        throw new StorageException(ErrorCode.NotFound, "no admin endpoint " + request.method() + " " + request.rawPath()
                + "; available: " + String.join(", ", routes()));
    }

    private static void checkParameters(HttpRequest request, Set<String> allowed) {
        for (Map.Entry<String, String> p : request.queryParameters()) {
            if (!allowed.contains(p.getKey())) {
                throw badParameter(p.getKey(), "unknown query parameter '" + p.getKey() + "'"
                        + (allowed.isEmpty() ? "; this endpoint takes none" : "; this endpoint takes " + String.join(", ", new java.util.TreeSet<>(allowed))));
            }
        }
    }

    // ---------------------------------------------------------------- health and metrics

    /**
     * {@code GET /health}. Written without Jackson on purpose: it is the first request a container's
     * wait strategy sends, and building an ObjectMapper (hundreds of classes) would add to start-up.
     */
    private HttpResponse health(HttpRequest request, String rest) {
        Health h = service.health();
        boolean allNodesUp = h.nodes().stream().allMatch(Health.Node::up);
        String status = !h.up() ? "DOWN" : allNodesUp ? "UP" : "DEGRADED";
        List<String> down = new ArrayList<>();
        StringBuilder nodes = new StringBuilder();
        for (Health.Node n : h.nodes()) {
            nodes.append(nodes.length() == 0 ? "" : ", ").append("{ \"id\" : ").append(jsonString(n.id()))
                    .append(", \"path\" : ").append(jsonString(n.path()))
                    .append(", \"status\" : ").append(jsonString(n.up() ? "UP" : "DOWN"));
            if (n.reason() != null) {
                nodes.append(", \"reason\" : ").append(jsonString(n.reason()));
            }
            nodes.append(" }");
            if (!n.up()) {
                down.add(n.id() + ": " + n.reason());
            }
        }
        String reason = null;
        if (!h.up()) {
            reason = !h.database() ? "the metadata database does not answer"
                    : "writes need " + h.writeQuorum() + " storage node(s) (storage.write_quorum) but " + h.upNodes()
                    + " are up: " + String.join("; ", down);
        } else if (!down.isEmpty()) {
            reason = "storage node(s) down: " + String.join("; ", down);
        }
        StringBuilder body = new StringBuilder(256).append("{\n  \"status\" : ").append(jsonString(status))
                .append(",\n  \"uptime_ms\" : ").append(inspection.uptimeMillis())
                .append(",\n  \"database\" : { \"status\" : ").append(jsonString(h.database() ? "UP" : "DOWN")).append(" }")
                .append(",\n  \"nodes\" : [ ").append(nodes).append(" ]");
        if (reason != null) {
            body.append(",\n  \"reason\" : ").append(jsonString(reason));
        }
        body.append("\n}");
        return HttpResponse.status(h.up() ? 200 : 503).header("Content-Type", "application/json")
                .header("Cache-Control", "no-store").body(body.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** A JSON string literal. */
    static String jsonString(String s) {
        StringBuilder out = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    private HttpResponse metrics(HttpRequest request, String rest) {
        if (metrics == null) {
            throw new StorageException(ErrorCode.NotFound, "metrics are off (metrics.enabled = false)");
        }
        return HttpResponse.status(200).header("Content-Type", Metrics.CONTENT_TYPE).header("Cache-Control", "no-store")
                .body(metrics.scrape());
    }

    // ---------------------------------------------------------------- objects

    private HttpResponse listObjects(HttpRequest request, String rest) {
        String delimiter = request.queryParameter("delimiter");
        if (delimiter != null && !delimiter.isEmpty()) {
            return inspect.listFolders(request, delimiter);
        }
        String bucket = request.queryParameter("bucket");
        if (bucket != null) {
            service.requireBucket(bucket);
        }
        ObjectQuery q = new ObjectQuery(bucket, request.queryParameter("prefix"), null, null, null, null, null);
        return page(request, q, null);
    }

    private HttpResponse search(HttpRequest request, String rest) {
        String text = request.queryParameter("q");
        if (text == null || text.isEmpty()) {
            throw badParameter("q", "the query parameter 'q' is required: a substring of the keys, or a glob with * and ?");
        }
        boolean glob = text.indexOf('*') >= 0 || text.indexOf('?') >= 0;
        Long min = size(request, "min_size");
        Long max = size(request, "max_size");
        if (min != null && max != null && min > max) {
            throw badParameter("max_size", "max_size (" + max + ") is below min_size (" + min + ")");
        }
        ObjectQuery q = new ObjectQuery(request.queryParameter("bucket"), null, glob ? null : text, glob ? text : null,
                request.queryParameter("content_type"), min, max);
        return page(request, q, glob ? "glob" : "substring");
    }

    private HttpResponse page(HttpRequest request, ObjectQuery query, String mode) {
        int limit = limit(request);
        String[] after = decodeCursor(request.queryParameter("cursor"));
        List<ObjectRecord> found = inspection.find(query, after == null ? null : after[0], after == null ? null : after[1],
                limit + 1);
        boolean truncated = found.size() > limit;
        List<ObjectRecord> page = truncated ? found.subList(0, limit) : found;
        ObjectNode root = Json.MAPPER.createObjectNode();
        if (mode != null) {
            root.put("mode", mode);
        }
        ArrayNode objects = root.putArray("objects");
        for (ObjectRecord o : page) {
            objects.add(object(o, null));
        }
        root.put("count", page.size());
        root.put("truncated", truncated);
        if (truncated) {
            ObjectRecord last = page.get(page.size() - 1);
            root.put("next_cursor", encodeCursor(last.bucket(), last.key()));
        } else {
            root.putNull("next_cursor");
        }
        return json(200, root);
    }

    private HttpResponse getObject(HttpRequest request, String rest) {
        String[] bk = bucketAndKey(rest);
        ObjectRecord o = service.head(bk[0], bk[1]);
        return json(200, object(o, inspection.replicaNodes(o)));
    }

    private HttpResponse deleteObject(HttpRequest request, String rest) {
        String[] bk = bucketAndKey(rest);
        service.head(bk[0], bk[1]); // 404 NoSuchBucket / NoSuchKey for what is not there
        if (service.delete(bk[0], bk[1]).isEmpty()) {
            throw new StorageException(ErrorCode.NoSuchKey, "no object " + bk[0] + "/" + bk[1]);
        }
        return HttpResponse.status(204);
    }

    private HttpResponse upload(HttpRequest request, String rest) throws IOException {
        String boundary = MultipartReader.boundary(request.header("content-type"));
        String bucket = request.queryParameter("bucket");
        String key = request.queryParameter("key");
        if (boundary == null) {
            require("bucket", bucket);
            require("key", key);
            ObjectRecord stored = service.put(write(bucket, key, request.header("content-type"),
                    request.declaredBodyLength(), request::trailers), request.body());
            return json(201, object(stored, inspection.replicaNodes(stored)));
        }
        MultipartReader reader = new MultipartReader(request.body(), boundary);
        String contentType = null;
        ObjectRecord stored = null;
        for (MultipartReader.Part part = reader.next(); part != null; part = reader.next()) {
            String name = part.name() == null ? "" : part.name();
            switch (name) {
                case "bucket" -> bucket = field(part);
                case "key" -> key = field(part);
                case "content_type" -> contentType = field(part);
                case "file" -> {
                    if (stored != null) {
                        throw badParameter("file", "more than one 'file' part; upload one object per request");
                    }
                    if (key == null && part.filename() != null && !part.filename().isEmpty()) {
                        key = part.filename();
                    }
                    require("bucket", bucket);
                    require("key", key);
                    String type = contentType != null ? contentType : part.contentType();
                    stored = service.put(write(bucket, key, type, -1, Map::of), part.body());
                }
                default -> throw badParameter(name, "unknown form field '" + name
                        + "'; the form takes bucket, key, content_type and file (bucket and key before file)");
            }
        }
        if (stored == null) {
            throw badParameter("file", "the form has no 'file' part");
        }
        return json(201, object(stored, inspection.replicaNodes(stored)));
    }

    private static ObjectWrite write(String bucket, String key, String contentType, long declaredLength,
                                     java.util.function.Supplier<Map<String, String>> trailers) {
        return new ObjectWrite(bucket, key, contentType, Map.of(), Map.of(), null, null, Map.of(), Set.of(), trailers,
                declaredLength);
    }

    private static String field(MultipartReader.Part part) throws IOException {
        byte[] value = part.body().readNBytes(4097);
        if (value.length > 4096) {
            throw badParameter(part.name(), "the form field '" + part.name() + "' is longer than 4096 bytes");
        }
        return new String(value, StandardCharsets.UTF_8);
    }

    // ---------------------------------------------------------------- stats and journal

    private HttpResponse stats(HttpRequest request, String rest) {
        ServerStats s = inspection.stats();
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("time", s.time().toString());
        root.put("uptime_ms", s.uptimeMillis());
        ObjectNode objects = root.putObject("objects");
        objects.put("count", s.objects().count());
        objects.put("bytes", s.objects().bytes());
        ArrayNode buckets = root.putArray("buckets");
        for (ServerStats.Bucket b : s.buckets()) {
            buckets.addObject().put("name", b.name()).put("objects", b.objects()).put("bytes", b.bytes())
                    .put("uploads", b.uploads()).put("uploaded_bytes", b.uploadedBytes())
                    .put("last_upload_at", b.lastUploadAt() == null ? null : b.lastUploadAt().toString());
        }
        ArrayNode nodes = root.putArray("nodes");
        for (ServerStats.Node n : s.nodes()) {
            nodes.addObject().put("id", n.id()).put("path", n.path()).put("state", n.state()).put("reason", n.reason())
                    .put("blobs", n.blobs()).put("bytes", n.bytes()).put("disk_total_bytes", n.diskTotalBytes())
                    .put("disk_usable_bytes", n.diskUsableBytes());
        }
        ServerStats.Queue q = s.queue();
        root.putObject("queue").put("depth", q.depth()).put("capacity", q.capacity()).put("done", q.done())
                .put("failed", q.failed()).put("retried", q.retried()).put("parked", q.parked()).put("workers", q.workers());
        ServerStats.ThirdParty t = s.thirdParty();
        root.putObject("third_party").put("hits", t.hits()).put("misses", t.misses()).put("errors", t.errors());
        ServerStats.Consistency c = s.consistency();
        ObjectNode consistencyNode = root.putObject("consistency").put("checks", c.checks())
                .put("last_check_at", c.lastCheckAt() == null ? null : c.lastCheckAt().toString())
                .put("last_findings", c.lastFindings()).put("repairs", c.repairs())
                .put("damaged_objects", c.damagedObjects()).put("waiting_repairs", c.waitingRepairs());
        ObjectNode kinds = consistencyNode.putObject("findings_by_kind");
        new java.util.TreeMap<>(c.findingsByKind()).forEach(kinds::put);
        ArrayNode requests = root.putArray("requests");
        for (ServerStats.Requests r : s.requests()) {
            requests.addObject().put("operation", r.operation()).put("status", r.status()).put("count", r.count());
        }
        return json(200, root);
    }

    private HttpResponse requests(HttpRequest request, String rest) {
        List<RecordedRequest> all = journalOrFail().all();
        String operation = request.queryParameter("operation");
        String bucket = request.queryParameter("bucket");
        String key = request.queryParameter("key");
        String statusText = request.queryParameter("status");
        int status = statusText == null ? 0 : intParameter("status", statusText, 100, 599);
        String limitText = request.queryParameter("limit");
        int limit = limitText == null ? Integer.MAX_VALUE : intParameter("limit", limitText, 1, Integer.MAX_VALUE);
        List<RecordedRequest> matching = new ArrayList<>();
        for (RecordedRequest r : all) {
            if ((operation == null || operation.equals(r.operation())) && (bucket == null || bucket.equals(r.bucket()))
                    && (key == null || key.equals(r.key())) && (status == 0 || status == r.status())) {
                matching.add(r);
            }
        }
        List<RecordedRequest> page = matching.size() > limit ? matching.subList(matching.size() - limit, matching.size()) : matching;
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("count", page.size());
        root.put("matching", matching.size());
        ArrayNode list = root.putArray("requests");
        for (RecordedRequest r : page) {
            ObjectNode n = list.addObject();
            n.put("time", r.time().toString());
            n.put("request_id", r.requestId());
            n.put("remote_addr", r.remoteAddress());
            n.put("method", r.method());
            n.put("operation", r.operation());
            n.put("bucket", r.bucket());
            n.put("key", r.key());
            n.put("status", r.status());
            n.put("error", r.errorCode());
            n.put("bytes_in", r.bytesIn());
            n.put("bytes_out", r.bytesOut());
            n.put("duration_ms", r.durationNanos() / 1e6);
            ObjectNode headers = n.putObject("headers");
            r.headers().forEach(headers::put);
        }
        return json(200, root);
    }

    private HttpResponse clearRequests(HttpRequest request, String rest) {
        journalOrFail().clear();
        return HttpResponse.status(204);
    }

    private RequestJournal journalOrFail() {
        try {
            journal.all();
        } catch (IllegalStateException e) {
            throw new StorageException(ErrorCode.NotFound, e.getMessage());
        }
        return journal;
    }

    // ---------------------------------------------------------------- runtime: await-idle, reset, buckets, nodes

    /** Default wait of {@code POST /api/v1/await-idle} without {@code timeout_ms}. */
    static final int DEFAULT_IDLE_TIMEOUT_MS = 30_000;

    private HttpResponse awaitIdle(HttpRequest request, String rest) {
        String text = request.queryParameter("timeout_ms");
        int timeout = text == null ? DEFAULT_IDLE_TIMEOUT_MS : intParameter("timeout_ms", text, 0, 3_600_000);
        try {
            service.awaitIdle(java.time.Duration.ofMillis(timeout));
        } catch (IllegalStateException e) {
            throw new StorageException(ErrorCode.NotIdle, e.getMessage());
        }
        return HttpResponse.status(204);
    }

    private HttpResponse reset(HttpRequest request, String rest) {
        runtimeOrFail();
        reset.run();
        return HttpResponse.status(204);
    }

    private HttpResponse createBucket(HttpRequest request, String rest) {
        runtimeOrFail();
        String name = PercentCodec.decode(rest);
        try {
            createBucket.accept(name);
        } catch (IllegalArgumentException e) {
            // the in-process handle translates the service's error; answer with the S3 code again
            if (e.getCause() instanceof StorageException s) {
                throw s;
            }
            throw new StorageException(ErrorCode.InvalidBucketName, e.getMessage(), name);
        }
        return HttpResponse.status(204);
    }

    private HttpResponse listNodes(HttpRequest request, String rest) {
        ArrayNode nodes = Json.MAPPER.createArrayNode();
        for (FaultInjection.NodeStatus n : runtimeOrFail().list()) {
            nodes.addObject().put("id", n.id()).put("up", n.up()).put("reason", n.reason())
                    .put("delay_ms", n.delay().toMillis());
        }
        return json(200, nodes);
    }

    /** {@code POST /api/v1/nodes/{id}/down|up|corrupt}. */
    private HttpResponse nodeFault(HttpRequest request, String rest) {
        FaultInjection f = runtimeOrFail();
        String[] idAndAction = nodeAndAction(rest, "down, up, read-only or corrupt");
        String id = idAndAction[0];
        String action = idAndAction[1];
        if (!action.equals("corrupt")) {
            checkParameters(request, Set.of());
        }
        switch (action) {
            case "down" -> f.down(id);
            case "up" -> f.up(id);
            case "read-only" -> f.readOnly(id);
            case "corrupt" -> {
                String bucket = request.queryParameter("bucket");
                String key = request.queryParameter("key");
                require("bucket", bucket);
                require("key", key);
                f.corrupt(bucket, key, id);
            }
            default -> throw new StorageException(ErrorCode.NotFound, "no admin endpoint POST " + request.rawPath()
                    + "; a node takes POST .../down, .../up, .../read-only or .../corrupt?bucket=B&key=K");
        }
        return HttpResponse.status(204);
    }

    /** {@code POST /api/v1/consistency/check?repair=true|false}: the report as Json.MAPPER. */
    private HttpResponse consistencyCheck(HttpRequest request, String rest) {
        if (consistency == null) {
            throw new StorageException(ErrorCode.NotFound, "the consistency check is not available on this server");
        }
        String text = request.queryParameter("repair");
        boolean repair;
        if (text == null || text.equals("false")) {
            repair = false;
        } else if (text.equals("true") || text.isEmpty()) {
            repair = true;
        } else {
            throw badParameter("repair", "'repair' must be true or false, got '" + text + "'");
        }
        dev.mockstorage.stats.ConsistencyReport r = consistency.apply(repair);
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("started_at", r.startedAt().toString());
        root.put("duration_ms", r.durationMillis());
        root.put("repair", r.repair());
        root.put("clean", r.clean());
        root.put("objects", r.objects());
        root.put("blob_files", r.blobFiles());
        root.put("repaired", r.repaired());
        ArrayNode skipped = root.putArray("skipped_nodes");
        r.skippedNodes().forEach(skipped::add);
        ArrayNode findings = root.putArray("findings");
        for (dev.mockstorage.stats.ConsistencyReport.Finding f : r.findings()) {
            findings.addObject().put("kind", f.kind().name()).put("bucket", f.bucket()).put("key", f.key())
                    .put("blob", f.blobId()).put("node", f.nodeId()).put("detail", f.detail()).put("action", f.action());
        }
        return json(200, root);
    }

    /** {@code PUT /api/v1/nodes/{id}/delay?ms=N}. */
    private HttpResponse nodeDelay(HttpRequest request, String rest) {
        FaultInjection f = runtimeOrFail();
        String[] idAndAction = nodeAndAction(rest, "delay");
        if (!idAndAction[1].equals("delay")) {
            throw new StorageException(ErrorCode.NotFound, "no admin endpoint PUT " + request.rawPath()
                    + "; a node takes PUT .../delay?ms=N");
        }
        String text = request.queryParameter("ms");
        if (text == null) {
            throw badParameter("ms", "'ms' is required: the delay in milliseconds (0 ends it)");
        }
        int ms = intParameter("ms", text, 0, 3_600_000);
        f.slow(idAndAction[0], java.time.Duration.ofMillis(ms));
        return HttpResponse.status(204);
    }

    private static String[] nodeAndAction(String rawRest, String actions) {
        int slash = rawRest.indexOf('/');
        if (slash <= 0 || slash == rawRest.length() - 1 || rawRest.indexOf('/', slash + 1) >= 0) {
            throw new StorageException(ErrorCode.NotFound, "expected " + API + "/nodes/{id}/{action} with action "
                    + actions + ", got " + API + "/nodes/" + rawRest);
        }
        return new String[] {PercentCodec.decode(rawRest.substring(0, slash)), rawRest.substring(slash + 1)};
    }

    private FaultInjection runtimeOrFail() {
        FaultInjection f = faults;
        if (f == null) {
            throw new StorageException(ErrorCode.NotFound, "this server has no runtime endpoints");
        }
        return f;
    }

    // ---------------------------------------------------------------- parameters

    static int limit(HttpRequest request) {
        String text = request.queryParameter("limit");
        return text == null ? DEFAULT_LIMIT : intParameter("limit", text, 1, MAX_LIMIT);
    }

    private static int intParameter(String name, String text, int min, int max) {
        try {
            int v = Integer.parseInt(text);
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw badParameter(name, "'" + name + "' must be a whole number from " + min
                + (max == Integer.MAX_VALUE ? " up" : " to " + max) + ", got '" + text + "'");
    }

    private static Long size(HttpRequest request, String name) {
        String text = request.queryParameter(name);
        if (text == null) {
            return null;
        }
        try {
            long v = Long.parseLong(text);
            if (v >= 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw badParameter(name, "'" + name + "' must be a number of bytes (0 or more), got '" + text + "'");
    }

    private static void require(String name, String value) {
        if (value == null || value.isEmpty()) {
            throw badParameter(name, "'" + name + "' is required (as a query parameter, or a form field before 'file')");
        }
    }

    static String encodeCursor(String bucket, String key) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString((bucket + "\n" + key).getBytes(StandardCharsets.UTF_8));
    }

    static String[] decodeCursor(String cursor) {
        if (cursor == null) {
            return null;
        }
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            int nl = text.indexOf('\n');
            if (nl > 0) {
                return new String[] {text.substring(0, nl), text.substring(nl + 1)};
            }
        } catch (IllegalArgumentException e) {
            // below
        }
        throw badParameter("cursor", "'cursor' is not a cursor this API returned: '" + cursor + "'");
    }

    /** {@code bucket/key...} (percent-encoded, as on the request line) into the decoded bucket and key. */
    private static String[] bucketAndKey(String rawRest) {
        return bucketAndKey(rawRest, "/objects/");
    }

    /** The same for another route ({@code /replicas/}, {@code /versions/}), named in the error. */
    static String[] bucketAndKey(String rawRest, String route) {
        int slash = rawRest.indexOf('/');
        if (slash <= 0 || slash == rawRest.length() - 1) {
            throw new StorageException(ErrorCode.NotFound, "expected " + API + route + "{bucket}/{key}, got "
                    + API + route + rawRest);
        }
        return new String[] {PercentCodec.decode(rawRest.substring(0, slash)), PercentCodec.decode(rawRest.substring(slash + 1))};
    }

    static StorageException badParameter(String name, String message) {
        return new StorageException(ErrorCode.InvalidArgument, message).with("ArgumentName", name);
    }

    // ---------------------------------------------------------------- JSON

    static ObjectNode object(ObjectRecord o, List<String> replicas) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("bucket", o.bucket());
        n.put("key", o.key());
        n.put("size", o.size());
        n.put("etag", "\"" + o.etag() + "\"");
        n.put("content_type", o.contentType());
        n.put("created", o.lastModified().toString());
        ObjectNode checksums = n.putObject("checksums");
        checksums.put("MD5", o.etag());
        o.checksums().forEach(checksums::put);
        ObjectNode meta = n.putObject("user_metadata");
        o.userMetadata().forEach(meta::put);
        ObjectNode tags = n.putObject("tags");
        o.tags().forEach(tags::put);
        n.put("version_id", o.s3VersionId());
        if (!o.headers().isEmpty()) {
            ObjectNode headers = n.putObject("headers");
            o.headers().forEach(headers::put);
        }
        if (replicas != null) {
            ArrayNode r = n.putArray("replicas");
            replicas.forEach(r::add);
        }
        return n;
    }

    private static HttpResponse error(StorageException e) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("error", e.code().name());
        body.put("message", e.getMessage());
        String parameter = e.details().get("ArgumentName");
        if (parameter != null) {
            body.put("parameter", parameter);
        }
        return json(e.code().status(), body);
    }

    static HttpResponse json(int status, Object body) {
        try {
            return HttpResponse.status(status).header("Content-Type", "application/json")
                    .header("Cache-Control", "no-store").body(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

}
