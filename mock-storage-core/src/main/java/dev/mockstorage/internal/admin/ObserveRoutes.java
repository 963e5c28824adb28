package dev.mockstorage.internal.admin;

import dev.mockstorage.internal.contract.AdminJson;
import dev.mockstorage.internal.error.ErrorCode;
import dev.mockstorage.internal.error.StorageException;
import dev.mockstorage.internal.http.HttpRequest;
import dev.mockstorage.internal.http.HttpResponse;
import dev.mockstorage.internal.observe.Metrics;
import dev.mockstorage.internal.service.Health;
import dev.mockstorage.internal.service.Inspection;
import dev.mockstorage.internal.service.ObjectService;
import dev.mockstorage.journal.RecordedRequest;
import dev.mockstorage.journal.RequestJournal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** How the server is doing: {@code /health}, {@code /metrics}, {@code /api/v1/stats} and the request journal. */
final class ObserveRoutes {
    private final ObjectService service;
    private final Inspection inspection;
    private final RequestJournal journal;
    /** null when {@code metrics.enabled} is false */
    private final Metrics metrics;

    ObserveRoutes(ObjectService service, Inspection inspection, RequestJournal journal, Metrics metrics) {
        this.service = service;
        this.inspection = inspection;
        this.journal = journal;
        this.metrics = metrics;
    }

    /**
     * {@code GET /health}. Written without Jackson on purpose: it is the first request a container's
     * wait strategy sends, and building an ObjectMapper (hundreds of classes) would add to start-up.
     */
    HttpResponse health(HttpRequest request, Map<String, String> path) {
        Health h = service.maintenance().health();
        boolean allNodesUp = h.nodes().stream().allMatch(Health.Node::up);
        String status = !h.up() ? "DOWN" : allNodesUp ? "UP" : "DEGRADED";
        List<String> down = new ArrayList<>();
        StringBuilder nodes = new StringBuilder();
        for (Health.Node n : h.nodes()) {
            nodes.append(nodes.length() == 0 ? "" : ", ")
                    .append("{ \"id\" : ")
                    .append(jsonString(n.id()))
                    .append(", \"path\" : ")
                    .append(jsonString(n.path()))
                    .append(", \"status\" : ")
                    .append(jsonString(n.up() ? "UP" : "DOWN"));
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
            reason = !h.database()
                    ? "the metadata database does not answer"
                    : "writes need " + h.writeQuorum() + " storage node(s) (storage.write_quorum) but " + h.upNodes()
                            + " are up: " + String.join("; ", down);
        } else if (!down.isEmpty()) {
            reason = "storage node(s) down: " + String.join("; ", down);
        }
        StringBuilder body = new StringBuilder(256)
                .append("{\n  \"status\" : ")
                .append(jsonString(status))
                .append(",\n  \"uptime_ms\" : ")
                .append(inspection.uptimeMillis())
                .append(",\n  \"database\" : { \"status\" : ")
                .append(jsonString(h.database() ? "UP" : "DOWN"))
                .append(" }")
                .append(",\n  \"nodes\" : [ ")
                .append(nodes)
                .append(" ]");
        if (reason != null) {
            body.append(",\n  \"reason\" : ").append(jsonString(reason));
        }
        body.append("\n}");
        return Replies.json(h.up() ? 200 : 503, body.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** A JSON string literal. */
    private static String jsonString(String s) {
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

    HttpResponse metrics(HttpRequest request, Map<String, String> path) {
        if (metrics == null) {
            throw new StorageException(ErrorCode.NotFound, "metrics are off (metrics.enabled = false)");
        }
        return HttpResponse.status(200)
                .header("Content-Type", Metrics.CONTENT_TYPE)
                .header("Cache-Control", "no-store")
                .body(metrics.scrape());
    }

    HttpResponse stats(HttpRequest request, Map<String, String> path) {
        return Replies.json(200, AdminJson.writeStats(inspection.stats()));
    }

    /** {@code GET /api/v1/requests?operation=&bucket=&key=&status=&limit=}: the journal, oldest first; {@code limit} keeps the latest. */
    HttpResponse requests(HttpRequest request, Map<String, String> path) {
        List<RecordedRequest> all = journalOrFail().all();
        String operation = request.queryParameter("operation");
        String bucket = request.queryParameter("bucket");
        String key = request.queryParameter("key");
        String statusText = request.queryParameter("status");
        int status = statusText == null ? 0 : Params.intParameter("status", statusText, 100, 599);
        String limitText = request.queryParameter("limit");
        int limit =
                limitText == null ? Integer.MAX_VALUE : Params.intParameter("limit", limitText, 1, Integer.MAX_VALUE);
        List<RecordedRequest> matching = new ArrayList<>();
        for (RecordedRequest r : all) {
            if ((operation == null || operation.equals(r.operation()))
                    && (bucket == null || bucket.equals(r.bucket()))
                    && (key == null || key.equals(r.key()))
                    && (status == 0 || status == r.status())) {
                matching.add(r);
            }
        }
        List<RecordedRequest> page =
                matching.size() > limit ? matching.subList(matching.size() - limit, matching.size()) : matching;
        return Replies.json(200, AdminJson.writeRequests(page, matching.size()));
    }

    HttpResponse clearRequests(HttpRequest request, Map<String, String> path) {
        journalOrFail().clear();
        return Replies.noContent();
    }

    /** The journal, or 404 when it is off ({@code journal.size} = 0). */
    private RequestJournal journalOrFail() {
        try {
            journal.all();
        } catch (IllegalStateException e) {
            throw new StorageException(ErrorCode.NotFound, e.getMessage());
        }
        return journal;
    }
}
