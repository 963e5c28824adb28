package dev.mockstorage.internal.contract;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mockstorage.StorageNodes;
import dev.mockstorage.journal.RecordedRequest;
import dev.mockstorage.stats.ConsistencyReport;
import dev.mockstorage.stats.ServerStats;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The JSON of what crosses the admin API between the server and the remote handle: stats, consistency
 * reports, recorded requests, storage nodes, the clock and errors, each written by the server's admin handlers and
 * read back by {@code HttpAdminClient} with the methods of the same name. (Third-party scripts, calls and
 * verifications have theirs in the public {@code ThirdPartyJson}, which is also their file format.)
 * Field names are snake_case; answers are pretty-printed.
 */
public final class AdminJson {
    /** An ObjectMapper is thread-safe once configured, and building its serializers is the slow part: one for all. */
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private AdminJson() {}

    /** An error answer's code (null when the body was not one) and message. */
    public record Error(String code, String message) {}

    /** A new JSON object, for answers the server alone writes. */
    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** A new JSON array. */
    public static ArrayNode array() {
        return MAPPER.createArrayNode();
    }

    /** The answer's bytes, pretty-printed. */
    public static byte[] bytes(JsonNode node) {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Parses an answer. */
    public static JsonNode read(byte[] body) {
        try {
            return MAPPER.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + e.getMessage(), e);
        }
    }

    // ---------------------------------------------------------------- errors

    /** {@code {"error": code, "message": ..., "parameter": name}}; {@code parameter} only when not null. */
    public static ObjectNode writeError(String code, String message, String parameter) {
        ObjectNode body = object().put("error", code).put("message", message);
        if (parameter != null) {
            body.put("parameter", parameter);
        }
        return body;
    }

    /** The code and message of an error answer; a body that is not one is the message, with no code. */
    public static Error readError(String body) {
        try {
            JsonNode error = MAPPER.readTree(body);
            if (error != null && error.isObject()) {
                return new Error(
                        text(error.get("error")),
                        error.hasNonNull("message") ? error.get("message").asText() : body);
            }
        } catch (JsonProcessingException e) {
            // not JSON: the raw text is the message
        }
        return new Error(null, body);
    }

    // ---------------------------------------------------------------- stats

    /** {@code GET /api/v1/stats}. */
    public static ObjectNode writeStats(ServerStats s) {
        ObjectNode root = object().put("time", s.time().toString()).put("uptime_ms", s.uptimeMillis());
        root.putObject("objects")
                .put("count", s.objects().count())
                .put("bytes", s.objects().bytes());
        ArrayNode buckets = root.putArray("buckets");
        for (ServerStats.Bucket b : s.buckets()) {
            buckets.addObject()
                    .put("name", b.name())
                    .put("objects", b.objects())
                    .put("bytes", b.bytes())
                    .put("uploads", b.uploads())
                    .put("uploaded_bytes", b.uploadedBytes())
                    .put("last_upload_at", string(b.lastUploadAt()));
        }
        ArrayNode nodes = root.putArray("nodes");
        for (ServerStats.Node n : s.nodes()) {
            nodes.addObject()
                    .put("id", n.id())
                    .put("path", n.path())
                    .put("state", n.state())
                    .put("reason", n.reason())
                    .put("blobs", n.blobs())
                    .put("bytes", n.bytes())
                    .put("disk_total_bytes", n.diskTotalBytes())
                    .put("disk_usable_bytes", n.diskUsableBytes());
        }
        ServerStats.Queue q = s.queue();
        root.putObject("queue")
                .put("depth", q.depth())
                .put("capacity", q.capacity())
                .put("done", q.done())
                .put("failed", q.failed())
                .put("retried", q.retried())
                .put("parked", q.parked())
                .put("workers", q.workers());
        ServerStats.ThirdParty t = s.thirdParty();
        root.putObject("third_party")
                .put("hits", t.hits())
                .put("misses", t.misses())
                .put("errors", t.errors());
        ServerStats.Consistency c = s.consistency();
        ObjectNode consistency = root.putObject("consistency")
                .put("checks", c.checks())
                .put("last_check_at", string(c.lastCheckAt()))
                .put("last_findings", c.lastFindings())
                .put("repairs", c.repairs())
                .put("damaged_objects", c.damagedObjects())
                .put("waiting_repairs", c.waitingRepairs());
        ObjectNode kinds = consistency.putObject("findings_by_kind");
        new TreeMap<>(c.findingsByKind()).forEach(kinds::put);
        ArrayNode requests = root.putArray("requests");
        for (ServerStats.Requests r : s.requests()) {
            requests.addObject()
                    .put("operation", r.operation())
                    .put("status", r.status())
                    .put("count", r.count());
        }
        return root;
    }

    public static ServerStats readStats(JsonNode root) {
        JsonNode o = root.path("objects");
        List<ServerStats.Bucket> buckets = new ArrayList<>();
        for (JsonNode b : root.path("buckets")) {
            buckets.add(new ServerStats.Bucket(
                    b.get("name").asText(),
                    b.get("objects").asLong(),
                    b.get("bytes").asLong(),
                    b.get("uploads").asLong(),
                    b.get("uploaded_bytes").asLong(),
                    instant(b.get("last_upload_at"))));
        }
        List<ServerStats.Node> nodes = new ArrayList<>();
        for (JsonNode n : root.path("nodes")) {
            nodes.add(new ServerStats.Node(
                    n.get("id").asText(),
                    text(n.get("path")),
                    n.get("state").asText(),
                    text(n.get("reason")),
                    n.get("blobs").asLong(),
                    n.get("bytes").asLong(),
                    n.get("disk_total_bytes").asLong(),
                    n.get("disk_usable_bytes").asLong()));
        }
        JsonNode q = root.path("queue");
        JsonNode t = root.path("third_party");
        JsonNode c = root.path("consistency");
        Map<String, Long> kinds = new LinkedHashMap<>();
        c.path("findings_by_kind")
                .fields()
                .forEachRemaining(e -> kinds.put(e.getKey(), e.getValue().asLong()));
        List<ServerStats.Requests> requests = new ArrayList<>();
        for (JsonNode r : root.path("requests")) {
            requests.add(new ServerStats.Requests(
                    r.get("operation").asText(),
                    r.get("status").asInt(),
                    r.get("count").asLong()));
        }
        return new ServerStats(
                Instant.parse(root.get("time").asText()),
                root.get("uptime_ms").asLong(),
                new ServerStats.Totals(o.get("count").asLong(), o.get("bytes").asLong()),
                List.copyOf(buckets),
                List.copyOf(nodes),
                new ServerStats.Queue(
                        q.get("depth").asLong(),
                        q.get("capacity").asLong(),
                        q.get("done").asLong(),
                        q.get("failed").asLong(),
                        q.get("retried").asLong(),
                        q.get("parked").asLong(),
                        q.get("workers").asInt()),
                new ServerStats.ThirdParty(
                        t.get("hits").asLong(),
                        t.get("misses").asLong(),
                        t.get("errors").asLong()),
                List.copyOf(requests),
                new ServerStats.Consistency(
                        c.get("checks").asLong(),
                        instant(c.get("last_check_at")),
                        c.get("last_findings").asLong(),
                        Collections.unmodifiableMap(kinds),
                        c.get("repairs").asLong(),
                        c.get("damaged_objects").asLong(),
                        c.get("waiting_repairs").asLong()));
    }

    // ---------------------------------------------------------------- consistency check

    /** {@code POST /api/v1/consistency/check}: the report, with {@code clean} and {@code repaired} spelled out. */
    public static ObjectNode writeConsistencyReport(ConsistencyReport r) {
        ObjectNode root = object().put("started_at", r.startedAt().toString())
                .put("duration_ms", r.durationMillis())
                .put("repair", r.repair())
                .put("clean", r.clean())
                .put("objects", r.objects())
                .put("blob_files", r.blobFiles())
                .put("repaired", r.repaired());
        ArrayNode skipped = root.putArray("skipped_nodes");
        r.skippedNodes().forEach(skipped::add);
        ArrayNode findings = root.putArray("findings");
        for (ConsistencyReport.Finding f : r.findings()) {
            findings.addObject()
                    .put("kind", f.kind().name())
                    .put("bucket", f.bucket())
                    .put("key", f.key())
                    .put("blob", f.blobId())
                    .put("node", f.nodeId())
                    .put("detail", f.detail())
                    .put("action", f.action());
        }
        return root;
    }

    public static ConsistencyReport readConsistencyReport(JsonNode r) {
        List<String> skipped = new ArrayList<>();
        r.get("skipped_nodes").forEach(n -> skipped.add(n.asText()));
        List<ConsistencyReport.Finding> findings = new ArrayList<>();
        for (JsonNode f : r.get("findings")) {
            findings.add(new ConsistencyReport.Finding(
                    ConsistencyReport.Kind.valueOf(f.get("kind").asText()),
                    text(f.get("bucket")),
                    text(f.get("key")),
                    text(f.get("blob")),
                    text(f.get("node")),
                    text(f.get("detail")),
                    text(f.get("action"))));
        }
        return new ConsistencyReport(
                Instant.parse(r.get("started_at").asText()),
                r.get("duration_ms").asLong(),
                r.get("repair").asBoolean(),
                r.get("objects").asLong(),
                r.get("blob_files").asLong(),
                List.copyOf(skipped),
                List.copyOf(findings));
    }

    // ---------------------------------------------------------------- request journal

    /**
     * {@code GET /api/v1/requests}: {@code count} (of this page), {@code matching} (of the query) and the
     * requests, oldest first; durations in fractional milliseconds.
     */
    public static ObjectNode writeRequests(List<RecordedRequest> page, int matching) {
        ObjectNode root = object().put("count", page.size()).put("matching", matching);
        ArrayNode list = root.putArray("requests");
        for (RecordedRequest r : page) {
            ObjectNode n = list.addObject()
                    .put("time", r.time().toString())
                    .put("request_id", r.requestId())
                    .put("remote_addr", r.remoteAddress())
                    .put("method", r.method())
                    .put("operation", r.operation())
                    .put("bucket", r.bucket())
                    .put("key", r.key())
                    .put("status", r.status())
                    .put("error", r.errorCode())
                    .put("bytes_in", r.bytesIn())
                    .put("bytes_out", r.bytesOut())
                    .put("duration_ms", r.durationNanos() / 1e6);
            ObjectNode headers = n.putObject("headers");
            r.headers().forEach(headers::put);
        }
        return root;
    }

    public static List<RecordedRequest> readRequests(JsonNode root) {
        List<RecordedRequest> list = new ArrayList<>();
        for (JsonNode n : root.path("requests")) {
            Map<String, String> headers = new LinkedHashMap<>();
            n.path("headers")
                    .fields()
                    .forEachRemaining(e -> headers.put(e.getKey(), e.getValue().asText()));
            list.add(new RecordedRequest(
                    Instant.parse(n.get("time").asText()),
                    text(n.get("request_id")),
                    text(n.get("remote_addr")),
                    n.get("method").asText(),
                    n.get("operation").asText(),
                    text(n.get("bucket")),
                    text(n.get("key")),
                    n.get("status").asInt(),
                    text(n.get("error")),
                    n.get("bytes_in").asLong(),
                    n.get("bytes_out").asLong(),
                    Math.round(n.get("duration_ms").asDouble() * 1_000_000d),
                    Collections.unmodifiableMap(headers)));
        }
        return List.copyOf(list);
    }

    // ---------------------------------------------------------------- storage nodes

    /** {@code GET /api/v1/nodes}: {@code [{"id", "up", "reason", "delay_ms"}, ...]} in read order. */
    public static ArrayNode writeNodes(List<StorageNodes.Node> nodes) {
        ArrayNode list = array();
        for (StorageNodes.Node n : nodes) {
            list.addObject()
                    .put("id", n.id())
                    .put("up", n.up())
                    .put("reason", n.reason())
                    .put("delay_ms", n.delay().toMillis());
        }
        return list;
    }

    public static List<StorageNodes.Node> readNodes(JsonNode root) {
        List<StorageNodes.Node> list = new ArrayList<>();
        for (JsonNode n : root) {
            list.add(new StorageNodes.Node(
                    n.get("id").asText(),
                    n.get("up").asBoolean(),
                    text(n.get("reason")),
                    Duration.ofMillis(n.path("delay_ms").asLong())));
        }
        return List.copyOf(list);
    }

    // ---------------------------------------------------------------- the clock

    /** The server's clock as {@code GET /api/v1/clock} answers it: its time and how far it is ahead of the real time. */
    public record ClockReading(Instant now, Duration offset) {}

    /** {@code {"now": ISO-8601, "offset_ms": N}}. */
    public static ObjectNode writeClock(ClockReading c) {
        return object().put("now", string(c.now())).put("offset_ms", c.offset().toMillis());
    }

    public static ClockReading readClock(JsonNode root) {
        return new ClockReading(
                instant(root.get("now")),
                Duration.ofMillis(root.path("offset_ms").asLong()));
    }

    // ---------------------------------------------------------------- values

    private static String text(JsonNode v) {
        return v == null || v.isNull() || v.isMissingNode() ? null : v.asText();
    }

    private static Instant instant(JsonNode v) {
        String text = text(v);
        return text == null ? null : Instant.parse(text);
    }

    private static String string(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
