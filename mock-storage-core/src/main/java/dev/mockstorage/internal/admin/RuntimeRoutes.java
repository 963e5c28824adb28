package dev.mockstorage.internal.admin;

import dev.mockstorage.StorageNodes;
import dev.mockstorage.internal.contract.AdminJson;
import dev.mockstorage.internal.contract.AdminJson.ClockReading;
import dev.mockstorage.internal.error.ErrorCode;
import dev.mockstorage.internal.error.StorageException;
import dev.mockstorage.internal.http.HttpRequest;
import dev.mockstorage.internal.http.HttpResponse;
import dev.mockstorage.internal.service.FaultInjection;
import dev.mockstorage.internal.service.ObjectService;
import dev.mockstorage.stats.ConsistencyReport;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code MockStorageRuntime} over HTTP, calling what the in-process handle calls: waiting for the queue,
 * reset, buckets, fault injection on the nodes, the consistency check and the clock.
 */
final class RuntimeRoutes {
    /** Default wait of {@code POST /api/v1/await-idle} without {@code timeout_ms}. */
    static final int DEFAULT_IDLE_TIMEOUT_MS = 30_000;

    private static final int MAX_MILLIS = 3_600_000;

    private final ObjectService service;
    private final FaultInjection faults;
    private final Runnable reset;
    private final Function<Boolean, ConsistencyReport> consistency;

    /**
     * @param reset       what {@code POST /api/v1/reset} runs (the in-process handle's reset)
     * @param consistency runs the consistency check (argument: repair)
     */
    RuntimeRoutes(
            ObjectService service,
            FaultInjection faults,
            Runnable reset,
            Function<Boolean, ConsistencyReport> consistency) {
        this.service = service;
        this.faults = faults;
        this.reset = reset;
        this.consistency = consistency;
    }

    /** {@code POST /api/v1/await-idle?timeout_ms=}: 204, or 409 NotIdle listing the open tasks. */
    HttpResponse awaitIdle(HttpRequest request, Map<String, String> path) {
        String text = request.queryParameter("timeout_ms");
        int timeout = text == null ? DEFAULT_IDLE_TIMEOUT_MS : Params.intParameter("timeout_ms", text, 0, MAX_MILLIS);
        try {
            service.maintenance().awaitIdle(Duration.ofMillis(timeout));
        } catch (IllegalStateException e) {
            throw new StorageException(ErrorCode.NotIdle, e.getMessage());
        }
        return Replies.noContent();
    }

    HttpResponse reset(HttpRequest request, Map<String, String> path) {
        reset.run();
        return Replies.noContent();
    }

    /** {@code PUT /api/v1/buckets/{bucket}}: 204 whether created or already there. */
    HttpResponse createBucket(HttpRequest request, Map<String, String> path) {
        try {
            service.buckets().create(path.get("bucket"));
        } catch (StorageException e) {
            if (e.code() != ErrorCode.BucketAlreadyOwnedByYou) {
                throw e;
            }
        }
        return Replies.noContent();
    }

    HttpResponse listNodes(HttpRequest request, Map<String, String> path) {
        return Replies.json(
                200,
                AdminJson.writeNodes(faults.list().stream()
                        .map(n -> new StorageNodes.Node(n.id(), n.up(), n.reason(), n.delay()))
                        .toList()));
    }

    HttpResponse down(HttpRequest request, Map<String, String> path) {
        faults.down(path.get("node"));
        return Replies.noContent();
    }

    HttpResponse up(HttpRequest request, Map<String, String> path) {
        faults.up(path.get("node"));
        return Replies.noContent();
    }

    HttpResponse readOnly(HttpRequest request, Map<String, String> path) {
        faults.readOnly(path.get("node"));
        return Replies.noContent();
    }

    /** {@code POST /api/v1/nodes/{node}/corrupt?bucket=&key=}. */
    HttpResponse corrupt(HttpRequest request, Map<String, String> path) {
        String bucket = request.queryParameter("bucket");
        String key = request.queryParameter("key");
        Params.require("bucket", bucket);
        Params.require("key", key);
        faults.corrupt(bucket, key, path.get("node"));
        return Replies.noContent();
    }

    /** {@code PUT /api/v1/nodes/{node}/delay?ms=N}. */
    HttpResponse delay(HttpRequest request, Map<String, String> path) {
        String text = request.queryParameter("ms");
        if (text == null) {
            throw Params.badParameter("ms", "'ms' is required: the delay in milliseconds (0 ends it)");
        }
        int ms = Params.intParameter("ms", text, 0, MAX_MILLIS);
        faults.slow(path.get("node"), Duration.ofMillis(ms));
        return Replies.noContent();
    }

    /** {@code GET /api/v1/clock}: the server's time and how far it is ahead of the real time. */
    HttpResponse clock(HttpRequest request, Map<String, String> path) {
        return Replies.json(
                200,
                AdminJson.writeClock(new ClockReading(
                        service.maintenance().clock().instant(),
                        service.maintenance().clock().offset())));
    }

    /** {@code POST /api/v1/clock/advance?ms=N}: moves the clock forward (lifecycle rules due by then are queued); the clock after. */
    HttpResponse advanceClock(HttpRequest request, Map<String, String> path) {
        String text = request.queryParameter("ms");
        if (text == null) {
            throw Params.badParameter("ms", "'ms' is required: how far to move the clock forward, in milliseconds");
        }
        service.maintenance()
                .advanceClock(Duration.ofMillis(Params.longParameter("ms", text, 0, Long.MAX_VALUE / 1_000_000)));
        return clock(request, path);
    }

    /** {@code POST /api/v1/consistency/check?repair=true|false}: the report. */
    HttpResponse consistencyCheck(HttpRequest request, Map<String, String> path) {
        String text = request.queryParameter("repair");
        boolean repair;
        if (text == null || text.equals("false")) {
            repair = false;
        } else if (text.equals("true") || text.isEmpty()) {
            repair = true;
        } else {
            throw Params.badParameter("repair", "'repair' must be true or false, got '" + text + "'");
        }
        return Replies.json(200, AdminJson.writeConsistencyReport(consistency.apply(repair)));
    }
}
