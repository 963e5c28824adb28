package dev.mockstorage.internal.admin;

import dev.mockstorage.internal.config.Config;
import dev.mockstorage.internal.contract.AdminJson;
import dev.mockstorage.internal.contract.AdminRoute;
import dev.mockstorage.internal.error.ErrorCode;
import dev.mockstorage.internal.error.StorageException;
import dev.mockstorage.internal.http.HttpHandler;
import dev.mockstorage.internal.http.HttpRequest;
import dev.mockstorage.internal.http.HttpResponse;
import dev.mockstorage.internal.http.PercentCodec;
import dev.mockstorage.internal.observe.Metrics;
import dev.mockstorage.internal.observe.Observer;
import dev.mockstorage.internal.service.FaultInjection;
import dev.mockstorage.internal.service.Inspection;
import dev.mockstorage.internal.service.ObjectService;
import dev.mockstorage.journal.RequestJournal;
import dev.mockstorage.stats.ConsistencyReport;
import dev.mockstorage.thirdparty.ThirdParty;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The management side on the S3 port: dispatches each request along {@link AdminRoute}, the admin API's
 * one route table (shared with the remote handle), to the handler {@link #handlerOf} binds to it; a path
 * that fits with another method gets 405 naming the allowed ones, a query parameter the route does not
 * take 400 naming it. Answers are JSON; errors are {@code {"error": code, "message": ..., "parameter": name}}
 * with the code's status ({@code parameter} only when a query parameter is at fault). The handlers are
 * grouped by what they serve: {@link ObserveRoutes}, {@link ObjectRoutes}, {@link RuntimeRoutes},
 * {@link InspectRoutes}, {@link ThirdPartyRoutes}.
 *
 * <p>In strict auth mode every request but {@code /health} and {@code /metrics} (which probes and scrapers read) must
 * be signed as an S3 request is, by the same checker, before anything else is looked at: the error (e.g.
 * {@code 403 AccessDenied}, {@code SignatureDoesNotMatch}) is the JSON error with S3's code and message. Query
 * parameters {@code X-Amz-*} belong to a presigned URL, never to a route.
 */
public final class AdminApi implements HttpHandler {

    @FunctionalInterface
    private interface Handler {
        /** @param path the route's path values by name, percent-decoded */
        HttpResponse handle(HttpRequest request, Map<String, String> path) throws IOException;
    }

    private final Map<AdminRoute, Handler> handlers = new EnumMap<>(AdminRoute.class);
    private final AtomicLong requestCounter = new AtomicLong();
    private final Consumer<HttpRequest> signatureCheck;

    /**
     * @param journal     the request journal (a disabled one throws IllegalStateException on use)
     * @param metrics     the metrics, or null when {@code metrics.enabled} is false
     * @param thirdParty  the handle served under {@code /api/v1/third-party/}
     * @param reset       what {@code POST /api/v1/reset} runs: the in-process handle's reset
     * @param consistency runs the consistency check (argument: repair)
     * @param config      the settings {@code GET /api/v1/info} describes (never a secret)
     * @param signatureCheck strict mode: throws the S3 error of a request that is not properly signed (the S3 API's
     *                    checker); null in open mode, where nothing is checked
     */
    public AdminApi(
            ObjectService service,
            Inspection inspection,
            RequestJournal journal,
            Metrics metrics,
            ThirdParty thirdParty,
            FaultInjection faults,
            Runnable reset,
            Function<Boolean, ConsistencyReport> consistency,
            Config config,
            Consumer<HttpRequest> signatureCheck) {
        this.signatureCheck = signatureCheck;
        ObserveRoutes observe = new ObserveRoutes(service, inspection, journal, metrics);
        ObjectRoutes objects = new ObjectRoutes(service, inspection);
        RuntimeRoutes runtime = new RuntimeRoutes(service, faults, reset, consistency);
        InspectRoutes inspect = new InspectRoutes(service, inspection, config);
        ThirdPartyRoutes third = new ThirdPartyRoutes(thirdParty);
        for (AdminRoute route : AdminRoute.values()) {
            handlers.put(route, handlerOf(route, observe, objects, runtime, inspect, third));
        }
    }

    /** The handler of each route: the switch covers every route of the table, or this does not compile. */
    private static Handler handlerOf(
            AdminRoute route,
            ObserveRoutes observe,
            ObjectRoutes objects,
            RuntimeRoutes runtime,
            InspectRoutes inspect,
            ThirdPartyRoutes third) {
        return switch (route) {
            case HEALTH, HEALTH_HEAD -> observe::health;
            case METRICS -> observe::metrics;
            case STATS -> observe::stats;
            case GET_REQUESTS -> observe::requests;
            case CLEAR_REQUESTS -> observe::clearRequests;
            case LIST_OBJECTS -> objects::list;
            case UPLOAD_OBJECT -> objects::upload;
            case GET_OBJECT -> objects::get;
            case DELETE_OBJECT -> objects::delete;
            case SEARCH -> objects::search;
            case AWAIT_IDLE -> runtime::awaitIdle;
            case RESET -> runtime::reset;
            case CREATE_BUCKET -> runtime::createBucket;
            case LIST_NODES -> runtime::listNodes;
            case NODE_DOWN -> runtime::down;
            case NODE_UP -> runtime::up;
            case NODE_READ_ONLY -> runtime::readOnly;
            case NODE_CORRUPT -> runtime::corrupt;
            case NODE_DELAY -> runtime::delay;
            case CONSISTENCY_CHECK -> runtime::consistencyCheck;
            case CLOCK -> runtime::clock;
            case ADVANCE_CLOCK -> runtime::advanceClock;
            case INFO -> inspect::info;
            case LIST_BUCKETS -> inspect::buckets;
            case DELETE_BUCKET -> inspect::deleteBucket;
            case REPLICAS -> inspect::replicas;
            case VERSIONS -> inspect::versions;
            case TASKS -> inspect::tasks;
            case THIRD_PARTY_SCRIPTS -> third::scripts;
            case THIRD_PARTY_ADD_SCRIPTS -> third::addScripts;
            case THIRD_PARTY_RESET -> third::reset;
            case THIRD_PARTY_REMOVE_SCRIPT -> third::removeScript;
            case THIRD_PARTY_CALLS -> third::calls;
            case THIRD_PARTY_RESET_CALLS -> third::resetCalls;
            case THIRD_PARTY_VERIFY -> third::verify;
        };
    }

    /** True when the request is for this API rather than the S3 API. */
    public static boolean owns(HttpRequest request) {
        String p = request.rawPath();
        return p.equals("/health")
                || p.equals("/metrics")
                || p.startsWith(AdminRoute.API + "/")
                || p.equals(AdminRoute.API);
    }

    @Override
    public HttpResponse handle(HttpRequest request) {
        String operation = "AdminUnknown";
        String requestId =
                "A" + Long.toHexString(requestCounter.incrementAndGet()).toUpperCase(Locale.ROOT);
        HttpResponse response;
        String error = null;
        try {
            if (request.problem() != null) {
                throw request.problem();
            }
            String rawPath = request.rawPath();
            if (signatureCheck != null && !rawPath.equals("/health") && !rawPath.equals("/metrics")) {
                signatureCheck.accept(request); // strict mode, before the route is even looked up
            }
            List<String> allowed = new ArrayList<>();
            AdminRoute route = null;
            Map<String, String> values = null;
            for (AdminRoute r : AdminRoute.values()) {
                Map<String, String> v = r.match(rawPath);
                if (v == null) {
                    continue;
                }
                if (r.method().equals(request.method())) {
                    route = r;
                    values = v;
                    break;
                }
                allowed.add(r.method());
            }
            if (route == null) {
                throw noRoute(request, allowed);
            }
            operation = route.operation();
            checkParameters(request, route.parameters());
            response = handlers.get(route).handle(request, decode(values));
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
        return response.header("X-Request-Id", requestId)
                .attribute(Observer.ATTR_ADMIN, Boolean.TRUE)
                .attribute(HttpResponse.ATTR_OPERATION, operation)
                .attribute(HttpResponse.ATTR_ERROR, error)
                .attribute(HttpResponse.ATTR_REQUEST_ID, requestId);
    }

    /**
     * 405 naming the methods the path takes, or 404 listing the routes: those under the same
     * {@code /api/v1/section/} when there are any, else all of them.
     */
    private static StorageException noRoute(HttpRequest request, List<String> allowed) {
        String rawPath = request.rawPath();
        if (!allowed.isEmpty()) {
            return new StorageException(
                    ErrorCode.MethodNotAllowed,
                    request.method() + " is not allowed on " + rawPath + "; use " + String.join(" or ", allowed));
        }
        int section = rawPath.startsWith(AdminRoute.API + "/") ? rawPath.indexOf('/', AdminRoute.API.length() + 1) : -1;
        String prefix = section < 0 ? null : rawPath.substring(0, section + 1);
        List<String> near = prefix == null
                ? List.of()
                : AdminRoute.all().stream()
                        .filter(r -> r.substring(r.indexOf(' ') + 1).startsWith(prefix))
                        .toList();
        return new StorageException(
                ErrorCode.NotFound,
                "no admin endpoint " + request.method() + " " + rawPath + "; available: "
                        + String.join(", ", near.isEmpty() ? AdminRoute.all() : near));
    }

    private static void checkParameters(HttpRequest request, Set<String> allowed) {
        for (Map.Entry<String, String> p : request.queryParameters()) {
            if (!allowed.contains(p.getKey()) && !p.getKey().startsWith("X-Amz-")) {
                throw Params.badParameter(
                        p.getKey(),
                        "unknown query parameter '" + p.getKey() + "'"
                                + (allowed.isEmpty()
                                        ? "; this endpoint takes none"
                                        : "; this endpoint takes " + String.join(", ", new TreeSet<>(allowed))));
            }
        }
    }

    private static Map<String, String> decode(Map<String, String> raw) {
        if (raw.isEmpty()) {
            return raw;
        }
        Map<String, String> decoded = new LinkedHashMap<>(raw.size() * 2);
        raw.forEach((name, value) -> decoded.put(name, PercentCodec.decode(value)));
        return decoded;
    }

    private static HttpResponse error(StorageException e) {
        return Replies.json(
                e.status(),
                AdminJson.writeError(
                        e.code().name(), e.getMessage(), e.details().get("ArgumentName")));
    }
}
