package dev.mockstorage.internal.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mockstorage.internal.config.Config;
import dev.mockstorage.internal.contract.AdminJson;
import dev.mockstorage.internal.http.HttpRequest;
import dev.mockstorage.internal.http.HttpResponse;
import dev.mockstorage.internal.metadata.BucketRecord;
import dev.mockstorage.internal.metadata.BucketTotals;
import dev.mockstorage.internal.metadata.ObjectRecord;
import dev.mockstorage.internal.metadata.ObjectVersion;
import dev.mockstorage.internal.metadata.TaskRecord;
import dev.mockstorage.internal.service.Inspection;
import dev.mockstorage.internal.service.ObjectService;
import dev.mockstorage.internal.service.VersionPage;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The admin routes that show the store as the web console pages it: the server's settings, buckets with
 * their figures, an object's versions and the state of each node's copy, the task queue's open and
 * failed tasks. JSON as in the rest of the admin API; errors are thrown and rendered by {@link AdminApi}.
 */
final class InspectRoutes {
    /** Most versions of one key {@code GET /api/v1/versions/{bucket}/{key}} lists. */
    static final int MAX_VERSIONS = 1000;

    private final ObjectService service;
    private final Inspection inspection;
    /** What {@code GET /api/v1/info} describes. */
    private final Config config;

    InspectRoutes(ObjectService service, Inspection inspection, Config config) {
        this.service = service;
        this.inspection = inspection;
        this.config = config;
    }

    /**
     * {@code GET /api/v1/info}: the settings a client of the admin API needs to know (auth mode, nodes,
     * queue, journal, third party); never a secret (no keys, no third-party header values).
     */
    HttpResponse info(HttpRequest request, Map<String, String> path) {
        Config c = config;
        ObjectNode root = AdminJson.object();
        root.putObject("auth").put("mode", c.auth().strict() ? "strict" : "open");
        root.put("console", c.console());
        root.putObject("storage")
                .put("nodes", c.storage().nodes().size())
                .put("write_quorum", c.storage().writeQuorum())
                .put("auto_create_buckets", c.storage().autoCreateBuckets())
                .put("check_interval_ms", c.storage().consistency().checkIntervalMs());
        root.putObject("queue")
                .put("size", c.queue().size())
                .put("workers", c.queue().workers());
        root.putObject("journal").put("size", c.observe().journalSize());
        root.putObject("metrics").put("enabled", c.observe().metricsEnabled());
        Config.ThirdParty t = c.thirdParty();
        ObjectNode tp = root.putObject("third_party")
                .put("enabled", t.enabled())
                .put("mode", !t.enabled() ? "off" : t.url() != null ? "upstream" : "scripted")
                .put("url", t.url());
        if (t.buckets() == null) {
            tp.putNull("buckets");
        } else {
            ArrayNode buckets = tp.putArray("buckets");
            t.buckets().forEach(b -> buckets.addObject().put("name", b.name()).put("url", b.url()));
        }
        ArrayNode headers = tp.putArray("header_names");
        t.headers().keySet().stream().sorted().forEach(headers::add);
        tp.put("timeout_ms", t.timeoutMs())
                .put("retries", t.retries())
                .put("scripts_file", t.scripts() == null ? null : t.scripts().toString());
        return Replies.json(200, root);
    }

    /** {@code GET /api/v1/buckets}: every bucket with its objects, bytes, creation time and versioning. */
    HttpResponse buckets(HttpRequest request, Map<String, String> path) {
        Map<String, BucketTotals> totals = new HashMap<>();
        inspection.bucketTotals().forEach(t -> totals.put(t.bucket(), t));
        ObjectNode root = AdminJson.object();
        ArrayNode list = root.putArray("buckets");
        for (BucketRecord b : service.buckets().list()) {
            BucketTotals t = totals.get(b.name());
            list.addObject()
                    .put("name", b.name())
                    .put("created", b.createdAt().toString())
                    .put("versioning", b.versioning())
                    .put("objects", t == null ? 0 : t.objects())
                    .put("bytes", t == null ? 0 : t.bytes());
        }
        return Replies.json(200, root);
    }

    /** {@code DELETE /api/v1/buckets/{name}}: S3's DeleteBucket (404 NoSuchBucket, 409 BucketNotEmpty). */
    HttpResponse deleteBucket(HttpRequest request, Map<String, String> path) {
        service.buckets().delete(path.get("bucket"));
        return Replies.noContent();
    }

    /**
     * {@code GET /api/v1/replicas/{bucket}/{key}}: per node, whether its copy of the current version is
     * there and intact. Reads every copy on a node that is up whole (as the consistency check does,
     * repairing nothing), so it costs the object's size once per node.
     */
    HttpResponse replicas(HttpRequest request, Map<String, String> path) {
        ObjectRecord o = service.readThrough().headOrFetch(path.get("bucket"), path.get("key"));
        ObjectNode root = AdminJson.object();
        root.put("bucket", o.bucket())
                .put("key", o.key())
                .put("blob", o.blobId())
                .put("size", o.size());
        ArrayNode nodes = root.putArray("replicas");
        for (Inspection.Replica r : inspection.replicas(o)) {
            ObjectNode n = nodes.addObject()
                    .put("node", r.node())
                    .put("node_up", r.nodeUp())
                    .put("state", r.state());
            if (r.state() == null) {
                n.putNull("present").putNull("intact");
            } else {
                n.put("present", !r.state().equals("MISSING"))
                        .put("intact", r.state().equals("INTACT"));
            }
            n.put("detail", r.detail());
        }
        return Replies.json(200, root);
    }

    /** {@code GET /api/v1/versions/{bucket}/{key}}: the key's versions and delete markers, newest first. */
    HttpResponse versions(HttpRequest request, Map<String, String> path) {
        String bucket = path.get("bucket");
        String key = path.get("key");
        VersionPage page = service.listings().listVersions(bucket, key, null, null, null, MAX_VERSIONS);
        ObjectNode root = AdminJson.object();
        root.put("bucket", bucket)
                .put("key", key)
                .put("versioning", service.buckets().versioning(bucket));
        ArrayNode list = root.putArray("versions");
        boolean more = page.truncated();
        for (ObjectVersion v : page.versions()) {
            if (!v.key().equals(key)) {
                more = false; // the prefix's later keys
                break;
            }
            ObjectNode n = list.addObject()
                    .put("version_id", v.versionId())
                    .put("latest", v.latest())
                    .put("delete_marker", v.deleteMarker())
                    .put("last_modified", v.lastModified().toString());
            if (v.object() != null) {
                n.put("size", v.object().size()).put("etag", "\"" + v.object().etag() + "\"");
            }
        }
        root.put("truncated", more);
        return Replies.json(200, root);
    }

    /** {@code GET /api/v1/tasks?state=open|failed|all&limit=}: queue counts and the tasks, oldest first. */
    HttpResponse tasks(HttpRequest request, Map<String, String> path) {
        String state = request.queryParameter("state");
        state = state == null ? "all" : state;
        if (!List.of("open", "failed", "all").contains(state)) {
            throw Params.badParameter("state", "'state' must be open, failed or all, got '" + state + "'");
        }
        int limit = Params.limit(request);
        long[] counts = inspection.taskCounts();
        ObjectNode root = AdminJson.object();
        root.put("open", counts[0]).put("failed", counts[1]);
        ArrayNode list = root.putArray("tasks");
        if (!state.equals("failed")) {
            inspection.openTasks(limit).forEach(t -> task(list, t));
        }
        if (!state.equals("open")) {
            inspection.failedTasks(limit).forEach(t -> task(list, t));
        }
        return Replies.json(200, root);
    }

    private static void task(ArrayNode list, TaskRecord t) {
        list.addObject()
                .put("id", t.id())
                .put("kind", t.kind())
                .put("payload", t.payload())
                .put("state", t.state())
                .put("attempts", t.attempts())
                .put("created_at", t.createdAt().toString())
                .put("next_run_at", t.nextRunAt() == null ? null : t.nextRunAt().toString())
                .put("last_error", t.lastError());
    }
}
