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
import dev.mockstorage.internal.service.Health;
import dev.mockstorage.internal.service.ObjectService;
import dev.mockstorage.thirdparty.ThirdParty;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The management side on the same port: {@code /health} now; {@code /api/v1/**} and
 * {@code /metrics} join the route table as they are built. Errors are JSON
 * {@code {"error": code, "message": ...}}.
 */
public final class AdminApi implements HttpHandler {
    private final ObjectService service;
    /** Shared: an ObjectMapper is thread-safe once configured, and building its serializers is the slow part. */
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Clock clock;
    private final Instant started;
    /** {@code /api/v1/third-party/**}, or null when the server has no scripted third party. */
    private final ThirdPartyAdmin thirdParty;

    public AdminApi(ObjectService service, Clock clock) {
        this(service, clock, null);
    }

    /** @param thirdParty the handle served under {@code /api/v1/third-party/}, or null */
    public AdminApi(ObjectService service, Clock clock, ThirdParty thirdParty) {
        this.service = service;
        this.clock = clock;
        this.started = clock.instant();
        this.thirdParty = thirdParty == null ? null : new ThirdPartyAdmin(thirdParty);
    }

    /** True when the request is for this API rather than the S3 API. */
    public static boolean owns(HttpRequest request) {
        String p = request.rawPath();
        return p.equals("/health") || p.equals("/metrics") || p.startsWith("/api/v1/") || p.equals("/api/v1");
    }

    @Override
    public HttpResponse handle(HttpRequest request) {
        try {
            if (request.problem() != null) {
                throw request.problem();
            }
            if (request.rawPath().equals("/health")) {
                requireMethod(request, "GET", "HEAD");
                return health();
            }
            // ---- third party (issue 4): its own route table in ThirdPartyAdmin
            if (thirdParty != null && ThirdPartyAdmin.owns(request)) {
                return thirdParty.handle(request);
            }
            // ---- end third party
            throw new StorageException(ErrorCode.NotFound, "no admin endpoint " + request.method() + " " + request.rawPath()
                    + " (available: GET /health" + (thirdParty == null ? "" : ", " + ThirdPartyAdmin.PREFIX + "{scripts,calls,verify}") + ")");
        } catch (StorageException e) {
            return error(e);
        }
    }

    static void requireMethod(HttpRequest request, String... methods) {
        for (String m : methods) {
            if (m.equals(request.method())) {
                return;
            }
        }
        throw new StorageException(ErrorCode.MethodNotAllowed, request.method() + " is not allowed on " + request.rawPath()
                + "; use " + String.join(" or ", methods));
    }

    private HttpResponse health() {
        Health h = service.health();
        ObjectNode root = JSON.createObjectNode();
        boolean allNodesUp = h.nodes().stream().allMatch(Health.Node::up);
        String status = !h.up() ? "DOWN" : allNodesUp ? "UP" : "DEGRADED";
        root.put("status", status);
        root.put("uptime_ms", Duration.between(started, clock.instant()).toMillis());
        ObjectNode db = root.putObject("database");
        db.put("status", h.database() ? "UP" : "DOWN");
        ArrayNode nodes = root.putArray("nodes");
        for (Health.Node n : h.nodes()) {
            ObjectNode node = nodes.addObject();
            node.put("id", n.id());
            node.put("path", n.path());
            node.put("status", n.up() ? "UP" : "DOWN");
            if (n.reason() != null) {
                node.put("reason", n.reason());
            }
        }
        if (!h.up()) {
            root.put("reason", !h.database() ? "the metadata database does not answer" : "no storage node is up");
        }
        return json(h.up() ? 200 : 503, root);
    }

    private HttpResponse error(StorageException e) {
        ObjectNode body = JSON.createObjectNode();
        body.put("error", e.code().name());
        body.put("message", e.getMessage());
        return json(e.code().status(), body);
    }

    private HttpResponse json(int status, Object body) {
        try {
            return HttpResponse.status(status).header("Content-Type", "application/json")
                    .header("Cache-Control", "no-store").body(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
